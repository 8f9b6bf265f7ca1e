#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import LedgerRPC

/// `ledger-server` as a function, so the executable is one line and its behaviour (exit
/// codes, output) lives in a library: parse the command line, start the stack, log
/// `listening`, wait for SIGINT/SIGTERM, stop gracefully.
public enum LedgerServerCommand {
  /// Exit statuses, as swift-argument-parser uses them.
  public enum ExitStatus {
    /// Served and stopped cleanly, or printed the help.
    public static let success: Int32 = 0
    /// Could not start (the database, the address) or failed while running.
    public static let failure: Int32 = 1
    /// The command line or the environment was not usable (`EX_USAGE`).
    public static let usage: Int32 = 64
  }

  /// Runs the server until a shutdown signal and returns the process's exit status.
  /// - Parameters:
  ///   - arguments: the command line without the program name.
  ///   - environment: the process environment (read for `LEDGER_*` variables).
  public static func run(arguments: [String], environment: [String: String]) async -> Int32 {
    let configuration: LedgerServerConfiguration
    do {
      switch try LedgerServerArguments.parse(arguments, environment: environment) {
      case .help:
        print(LedgerServerArguments.usage)
        return ExitStatus.success
      case .serve(let parsed):
        configuration = parsed
      }
    } catch {
      writeStandardError("Error: \(error.message)\n\(LedgerServerArguments.usageHint)\n")
      return ExitStatus.usage
    }

    let sink = StandardErrorLogSink()
    let logger = Logger(minimumLevel: configuration.logLevel, sink: sink)
    let signals = ShutdownSignals()
    defer { signals.cancel() }
    let stack: LedgerStack
    do {
      stack = try await LedgerStack.start(configuration, logger: logger)
    } catch {
      logger.log(.error, "failed to start", ["error": .string(String(describing: error))])
      await sink.flush()
      writeStandardError(
        "Error: cannot start the ledger on \(configuration.host):\(configuration.port) with database "
          + "\(configuration.databasePath): \(error)\n")
      return ExitStatus.failure
    }
    logger.log(
      .info, "listening",
      [
        "host": .string(configuration.host), "port": .integer(Int64(stack.port)),
        "database": .string(configuration.databasePath),
      ])
    let signal = await signals.next()
    logger.log(.info, "shutdown requested", ["signal": .string(signal.map(ShutdownSignals.name(of:)) ?? "none")])
    await stack.shutdown()
    await sink.flush()
    return ExitStatus.success
  }

  private static func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return }
      var offset = 0
      while offset < bytes.count {
        let written = Glibc.write(2, base + offset, bytes.count - offset)
        if written > 0 {
          offset += written
        } else if !(written < 0 && errno == EINTR) {
          return
        }
      }
    }
  }
}

/// The process environment, read from `environ` (this package does not use Foundation).
public enum ProcessEnvironment {
  /// Every `NAME=value` pair; for a repeated name, the first one wins, as `getenv` does.
  public static func current() -> [String: String] {
    var variables: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
      let text = String(cString: pointer)
      if let equals = text.firstIndex(of: "=") {
        let name = String(text[..<equals])
        if variables[name] == nil { variables[name] = String(text[text.index(after: equals)...]) }
      }
      entry += 1
    }
    return variables
  }
}
