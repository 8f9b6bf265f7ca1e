// Hand-written argument parsing for courier-gen, following swift-argument-parser's
// conventions: `--kebab-case` options with `--name value` or `--name=value`, `-h/--help`,
// `--` ending options, usage errors as one line plus the usage.

import CourierCodeGen

/// What the command line asks for.
enum Command: Equatable {
  case help
  case generate(CommandLineOptions)
}

/// The options of a generation run.
struct CommandLineOptions: Equatable {
  /// The roots schemas and imports are resolved against (`-I`); empty means ".".
  var protoPaths: [String] = []
  var swiftOut: String
  var generatorOptions: GeneratorOptions
  var files: [String]
}

/// A command line that cannot be run; printed as `error: <message>` with the usage.
struct UsageError: Error, Equatable {
  var message: String
}

enum CommandLineParser {
  static let usage = """
    USAGE: courier-gen --proto-path <dir> --swift-out <dir> [--emit <parts>] [--visibility <level>] <file> ...
    """

  static let help = """
    OVERVIEW: Generates Swift messages, service protocols and clients from proto3 schemas.

    Each schema <file> becomes <swift-out>/<file without .proto>.courier.swift; the types of
    imported schemas are referred to by their generated names, so generate them into the
    same module.

    \(usage)

    ARGUMENTS:
      <file>                  A schema to generate code for: relative to a proto path
                              (bench/v1/bench.proto) or a path under one
                              (Schemas/bench/v1/bench.proto).

    OPTIONS:
      -I, --proto-path <dir>  A directory schemas and their imports are resolved against;
                              repeat it for several, searched in order (default: .).
      --swift-out <dir>       The directory the Swift files are written under (created if
                              missing).
      --emit <parts>          The parts to generate, comma separated: messages, server,
                              client (default: messages,server,client).
      --visibility <level>    The access level of generated declarations: public or
                              internal (default: public).
      -h, --help              Show help information.

    EXIT STATUS:
      0 success, 1 schema errors (printed as file:line:col: error: message) or I/O errors,
      2 usage errors.
    """

  /// Parses the arguments that follow the command name.
  ///
  /// - Throws: `UsageError` for an unknown option, a missing or bad value, no `--swift-out`
  ///   or no files. `-h`/`--help` anywhere wins over every error.
  static func parse(_ arguments: [String]) throws(UsageError) -> Command {
    if arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "-h" || $0 == "--help" }) {
      return .help
    }
    var protoPaths: [String] = []
    var swiftOut: String?
    var parts: GeneratorOptions.Parts = .all
    var visibility = GeneratorOptions.Visibility.public
    var files: [String] = []
    var remaining = arguments[...]
    var optionsEnded = false
    while let argument = remaining.popFirst() {
      if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
        files.append(argument)
        continue
      }
      if argument == "--" {
        optionsEnded = true
        continue
      }
      // `--name=value`, or `-Ivalue` for the short form of --proto-path.
      var name = argument
      var attachedValue: String?
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        attachedValue = String(argument[argument.index(after: equals)...])
      } else if argument.hasPrefix("-I"), argument.count > 2 {
        name = "-I"
        attachedValue = String(argument.dropFirst(2))
      }
      func value(_ display: String) throws(UsageError) -> String {
        if let attachedValue { return attachedValue }
        guard let next = remaining.popFirst(), !next.hasPrefix("-") || next == "-" else {
          throw UsageError(message: "Missing value for '\(display)'")
        }
        return next
      }
      switch name {
      case "-I", "--proto-path":
        protoPaths.append(try value("--proto-path <dir>"))
      case "--swift-out":
        swiftOut = try value("--swift-out <dir>")
      case "--emit":
        parts = try parseParts(try value("--emit <parts>"))
      case "--visibility":
        let level = try value("--visibility <level>")
        guard let parsed = GeneratorOptions.Visibility(rawValue: level) else {
          throw UsageError(
            message:
              "The value '\(level)' is invalid for '--visibility <level>': expected public or internal"
          )
        }
        visibility = parsed
      default:
        throw UsageError(message: "Unknown option '\(argument)'")
      }
    }
    guard let swiftOut, !swiftOut.isEmpty else {
      throw UsageError(message: "Missing expected argument '--swift-out <dir>'")
    }
    guard !files.isEmpty else {
      throw UsageError(message: "Missing expected argument '<file> ...'")
    }
    return .generate(
      CommandLineOptions(
        protoPaths: protoPaths, swiftOut: swiftOut,
        generatorOptions: GeneratorOptions(parts: parts, visibility: visibility), files: files))
  }

  /// `messages,server` → the parts; every name must be known and at least one given.
  static func parseParts(_ text: String) throws(UsageError) -> GeneratorOptions.Parts {
    var parts: GeneratorOptions.Parts = []
    let known = GeneratorOptions.Parts.namesByPart
    for name in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard let entry = known.first(where: { $0.name == name }) else {
        let expected = known.map(\.name).joined(separator: ", ")
        throw UsageError(
          message:
            "The value '\(text)' is invalid for '--emit <parts>': '\(name)' is not one of \(expected)"
        )
      }
      parts.insert(entry.part)
    }
    return parts
  }
}
