import LedgerRPC

/// Parses `ledger-server`'s flags and environment variables, following swift-argument-parser's
/// conventions (`--kebab-case <value>` or `--kebab-case=<value>`, `-h/--help`) without
/// depending on it.
public enum LedgerServerArguments {
  /// One setting: its flag, its environment variable, and how it applies a value.
  private struct Option: Sendable {
    let flag: String
    let environment: String
    let valueName: String
    let help: String
    let apply: @Sendable (inout LedgerServerConfiguration, String) throws(UsageError) -> Void
  }

  /// The one switch without a value: serve without authentication (local development only).
  static let insecureNoAuthFlag = "--insecure-no-auth"
  /// The flag naming the key file of accepted tokens.
  static let authKeysFlag = "--auth-keys"

  private static let options: [Option] = [
    Option(
      flag: authKeysFlag, environment: "LEDGER_AUTH_KEYS", valueName: "file",
      help: "Key file of the tokens to accept ('<id> <secret>' lines; see courier-token)"
    ) { configuration, value throws(UsageError) in
      guard !value.isEmpty else { throw UsageError("The value for '--auth-keys <file>' must not be empty") }
      configuration.authentication = .keyFile(value)
    },
    Option(flag: "--host", environment: "LEDGER_HOST", valueName: "host", help: "Address to listen on (default: 127.0.0.1)") {
      configuration, value throws(UsageError) in
      guard !value.isEmpty else { throw UsageError("The value for '--host <host>' must not be empty") }
      configuration.host = value
    },
    Option(flag: "--port", environment: "LEDGER_PORT", valueName: "port", help: "TCP port; 0 picks a free one (default: 7070)") {
      configuration, value throws(UsageError) in
      configuration.port = try integer(value, "--port <port>", in: 0...65_535)
    },
    Option(
      flag: "--database", environment: "LEDGER_DATABASE", valueName: "path",
      help: "SQLite database file, created if missing (default: ledger.sqlite)"
    ) { configuration, value throws(UsageError) in
      guard !value.isEmpty else { throw UsageError("The value for '--database <path>' must not be empty") }
      configuration.databasePath = value
    },
    Option(
      flag: "--max-connections", environment: "LEDGER_MAX_CONNECTIONS", valueName: "n",
      help: "Connections served at once (default: 1024)"
    ) { configuration, value throws(UsageError) in
      configuration.connectionsMax = try integer(value, "--max-connections <n>", in: 1...1_000_000)
    },
    Option(
      flag: "--max-message-bytes", environment: "LEDGER_MAX_MESSAGE_BYTES", valueName: "n",
      help: "Largest message in bytes, at most 16777216 (default: 4194304)"
    ) { configuration, value throws(UsageError) in
      configuration.messageBytesMax = try integer(
        value, "--max-message-bytes <n>", in: 1...LedgerServerConfiguration.messageBytesLimit)
    },
    Option(
      flag: "--shutdown-grace-seconds", environment: "LEDGER_SHUTDOWN_GRACE_SECONDS", valueName: "s",
      help: "Time calls in flight get to finish on SIGTERM/SIGINT (default: 5)"
    ) { configuration, value throws(UsageError) in
      guard let seconds = Double(value), seconds >= 0, seconds <= LedgerServerConfiguration.shutdownGraceSecondsMax
      else {
        throw UsageError(
          "The value '\(value)' is invalid for '--shutdown-grace-seconds <s>' (0 to \(Int(LedgerServerConfiguration.shutdownGraceSecondsMax)))")
      }
      configuration.shutdownGraceSeconds = seconds
    },
    Option(
      flag: "--log-level", environment: "LEDGER_LOG_LEVEL", valueName: "level",
      help: "debug, info, warning or error (default: info)"
    ) { configuration, value throws(UsageError) in
      guard let level = LogLevel(name: value) else {
        throw UsageError("The value '\(value)' is invalid for '--log-level <level>' (debug, info, warning, error)")
      }
      configuration.logLevel = level
    },
    Option(
      flag: "--handshake-timeout-seconds", environment: "LEDGER_HANDSHAKE_TIMEOUT_SECONDS", valueName: "s",
      help: "Time a new connection gets to send its preface and SETTINGS (default: 10)"
    ) { configuration, value throws(UsageError) in
      configuration.handshakeTimeoutSeconds = try timeout(value, "--handshake-timeout-seconds <s>")
    },
    Option(
      flag: "--frame-timeout-seconds", environment: "LEDGER_FRAME_TIMEOUT_SECONDS", valueName: "s",
      help: "Time a frame gets to arrive once it has started (default: 10)"
    ) { configuration, value throws(UsageError) in
      configuration.frameTimeoutSeconds = try timeout(value, "--frame-timeout-seconds <s>")
    },
    cacheOption(
      flag: "--writer-cache-mib", environment: "LEDGER_WRITER_CACHE_MIB", of: "the writer", default: 64,
      \.writerCacheMebibytes),
    cacheOption(
      flag: "--reader-cache-mib", environment: "LEDGER_READER_CACHE_MIB", of: "each of the two readers",
      default: 16, \.readerCacheMebibytes),
  ]

  /// A SQLite page cache size in MiB, within `LedgerServerConfiguration.cacheMebibytesRange`.
  private static func cacheOption(
    flag: String, environment: String, of whose: String, default defaultValue: Int,
    _ setting: any WritableKeyPath<LedgerServerConfiguration, Int> & Sendable
  ) -> Option {
    let range = LedgerServerConfiguration.cacheMebibytesRange
    return Option(
      flag: flag, environment: environment, valueName: "n",
      help: "SQLite page cache of \(whose), in MiB, \(range.lowerBound) to \(range.upperBound) (default: \(defaultValue))"
    ) { configuration, value throws(UsageError) in
      configuration[keyPath: setting] = try integer(value, "\(flag) <n>", in: range)
    }
  }

  /// The help text.
  public static var usage: String {
    let rows = options.map { ("\($0.flag) <\($0.valueName)>", $0.help, "env: \($0.environment)") }
      + [
        (insecureNoAuthFlag, "Serve without authentication: local development only", "env: LEDGER_INSECURE_NO_AUTH=1"),
        ("-h, --help", "Show help information.", ""),
      ]
    let width = (rows.map(\.0.count).max() ?? 0) + 4
    let lines = rows.map { flag, help, environment in
      let first = "  " + flag + String(repeating: " ", count: width - flag.count - 2) + help
      return environment.isEmpty ? first : first + "\n" + String(repeating: " ", count: width) + environment
    }
    return """
      OVERVIEW: The Ledger service: double-entry accounts and transfers over Courier
      (ledger.v1.Accounts, ledger.v1.Transfers, grpc.health.v1.Health).

      USAGE: ledger-server [<options>]

      OPTIONS:
      \(lines.joined(separator: "\n"))

      Authentication is required: give --auth-keys, or --insecure-no-auth for local development.
      Flags override environment variables. SIGINT or SIGTERM stops the server gracefully.
      """
  }

  /// The short reminder printed after a usage error.
  public static let usageHint = "Usage: ledger-server [<options>]\n  See 'ledger-server --help' for more information."

  /// Applies `environment`, then `arguments` (without the program name) over the defaults.
  /// - Throws: `UsageError` for an unknown flag, a missing value, or a value out of range.
  public static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError)
    -> LedgerServerInvocation
  {
    var configuration = LedgerServerConfiguration()
    for option in options {
      guard let value = environment[option.environment] else { continue }
      do {
        try option.apply(&configuration, value)
      } catch {
        throw UsageError("\(error.message) (from the environment variable \(option.environment))")
      }
    }
    var insecureFromEnvironment = false
    if let value = environment["LEDGER_INSECURE_NO_AUTH"] {
      guard value == "1" || value == "0" else {
        throw UsageError("The environment variable LEDGER_INSECURE_NO_AUTH must be 1 or 0, not '\(value)'")
      }
      insecureFromEnvironment = value == "1"
    }
    let keysFromEnvironment = configuration.authentication
    var insecureFromFlag = false
    var keysFromFlag = false
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
      if argument == "-h" || argument == "--help" { return .help }
      if argument == insecureNoAuthFlag {
        insecureFromFlag = true
        continue
      }
      let (flag, inlineValue) = split(argument)
      guard let option = options.first(where: { $0.flag == flag }) else {
        throw UsageError(argument.hasPrefix("-") ? "Unknown option '\(flag)'" : "Unexpected argument '\(argument)'")
      }
      guard let value = inlineValue ?? remaining.popFirst() else {
        throw UsageError("Missing value for '\(option.flag) <\(option.valueName)>'")
      }
      try option.apply(&configuration, value)
      keysFromFlag = keysFromFlag || option.flag == authKeysFlag
    }
    configuration.authentication = try authentication(
      keys: keysFromFlag ? configuration.authentication : nil, insecure: insecureFromFlag,
      orElse: (keysFromEnvironment, insecureFromEnvironment))
    return .serve(configuration)
  }

  /// The authentication the flags choose, else the one the environment chooses; both of one
  /// source at once contradict each other, and neither is an error: running without
  /// authentication must be asked for.
  private static func authentication(
    keys: Authentication?, insecure: Bool, orElse environment: (keys: Authentication?, insecure: Bool)
  ) throws(UsageError) -> Authentication {
    switch (keys, insecure) {
    case (let keys?, false): return keys
    case (nil, true): return .disabled
    case (.some, true):
      throw UsageError("'\(authKeysFlag)' and '\(insecureNoAuthFlag)' contradict each other; pass one")
    case (nil, false):
      break
    }
    switch environment {
    case (let keys?, false): return keys
    case (nil, true): return .disabled
    case (.some, true):
      throw UsageError("LEDGER_AUTH_KEYS and LEDGER_INSECURE_NO_AUTH=1 contradict each other; set one")
    case (nil, false):
      throw UsageError(
        "No authentication configured: pass '\(authKeysFlag) <file>' (make one with 'courier-token keygen'), "
          + "or '\(insecureNoAuthFlag)' for local development only")
    }
  }

  private static func split(_ argument: String) -> (flag: String, value: String?) {
    guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
    return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
  }

  /// A timeout in seconds: more than 0, at most ``LedgerServerConfiguration/timeoutSecondsMax``.
  private static func timeout(_ text: String, _ name: String) throws(UsageError) -> Double {
    let maximum = LedgerServerConfiguration.timeoutSecondsMax
    guard let seconds = Double(text), seconds > 0, seconds <= maximum else {
      throw UsageError("The value '\(text)' is invalid for '\(name)' (more than 0, at most \(Int(maximum)))")
    }
    return seconds
  }

  private static func integer(_ text: String, _ name: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
    guard let value = Int(text), range.contains(value) else {
      throw UsageError("The value '\(text)' is invalid for '\(name)' (\(range.lowerBound) to \(range.upperBound))")
    }
    return value
  }
}
