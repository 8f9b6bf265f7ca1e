import CourierCodeGen
import CourierSchema
import Foundation
import Testing

/// One schema file with the flags and output directory scripts/regenerate uses for it.
struct GoldenCase: CustomTestStringConvertible, Sendable {
  var root: String
  var outputDirectory: String
  var flags: [String]
  var file: String

  var testDescription: String { file }

  /// Every case, read from the JOBS table of scripts/regenerate, so the test and the script
  /// cannot disagree about what is generated how.
  static let all: [GoldenCase] = {
    guard let script = try? PackageFiles.read("scripts/regenerate") else { return [] }
    var cases: [GoldenCase] = []
    var inJobs = false
    for line in script.split(separator: "\n") {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed == "JOBS=(" {
        inJobs = true
        continue
      }
      if inJobs && trimmed == ")" { break }
      guard inJobs, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else { continue }
      let fields = trimmed.dropFirst().dropLast().split(
        separator: "|", omittingEmptySubsequences: false
      ).map(String.init)
      guard fields.count == 4 else { continue }
      let flags = fields[2].split(separator: " ").map(String.init)
      for file in fields[3].split(separator: " ") {
        cases.append(
          GoldenCase(root: fields[0], outputDirectory: fields[1], flags: flags, file: String(file)))
      }
    }
    return cases
  }()

  /// The proto paths, relative to the package root: the job's root, then any `--proto-path`
  /// of its flags, in courier-gen's order.
  var protoPaths: [String] {
    var paths = [root]
    var index = 0
    while index + 1 < flags.count {
      if flags[index] == "--proto-path" || flags[index] == "-I" { paths.append(flags[index + 1]) }
      index += 2
    }
    return paths
  }

  /// The generator options `flags` select (the subset of courier-gen's flags the JOBS use).
  var options: GeneratorOptions {
    var options = GeneratorOptions()
    var index = 0
    while index + 1 < flags.count {
      switch flags[index] {
      case "--visibility":
        options.visibility = GeneratorOptions.Visibility(rawValue: flags[index + 1]) ?? .public
      case "--emit":
        options.parts = []
        for name in flags[index + 1].split(separator: ",") {
          if let entry = GeneratorOptions.Parts.namesByPart.first(where: { $0.name == name }) {
            options.parts.insert(entry.part)
          }
        }
      default: break
      }
      index += 2
    }
    return options
  }
}

/// The committed generated files are exactly what the generator produces today.
@Suite("golden files")
struct GoldenTests {
  @Test func theRegenerateScriptListsEverySchema() {
    let files = Set(GoldenCase.all.map(\.file))
    #expect(files.contains("bench/v1/bench.proto"))
    for name in ["scalars", "names", "messages", "services"] {
      #expect(files.contains("courier/test/v1/\(name).proto"))
    }
    #expect(files.contains("global_names.proto"))
    #expect(files.contains("courier/test/v1/scopes.proto"))
    #expect(GoldenCase.all.first { $0.file == "courier/test/v1/scopes.proto" }?.protoPaths == ["Tests/Schemas", "Schemas"])
  }

  @Test(arguments: GoldenCase.all)
  func generatedCodeMatchesTheCommittedFile(_ golden: GoldenCase) throws {
    let generated = try GoldenTests.generate(golden)
    let committedPath = golden.outputDirectory + "/" + generated.path
    let committed = try PackageFiles.read(committedPath)
    #expect(
      generated.contents == committed,
      "\(committedPath) is stale (run scripts/regenerate):\n\(TextDiff.unified(expected: committed, actual: generated.contents))"
    )
  }

  /// Compiles the case's schema with the real compiler and generates its file.
  static func generate(_ golden: GoldenCase) throws -> GeneratedFile {
    let compiler = SchemaCompiler(protoPaths: golden.protoPaths.map { PackageFiles.url($0).path })
    let compilation = compiler.compile([golden.file])
    let set = try #require(compilation.schemaSet, "\(compilation.diagnostics)")
    let file = try #require(set.file(golden.file))
    return try CodeGenerator.generate(file: file, in: set, options: golden.options)
  }
}
