#if canImport(Glibc)
  import Glibc
#endif

/// `ledger-soak` as a function from arguments to an exit status, so the executable stays thin.
public enum SoakCommand {
  /// Exit statuses (swift-argument-parser's conventions): 0 every criterion held, 1 one did
  /// not (or the soak could not run), 64 bad arguments.
  public static let exitSuccess: Int32 = 0
  public static let exitFailure: Int32 = 1
  public static let exitUsage: Int32 = 64

  /// The usage text printed for `-h` and with usage errors.
  public static let usage = """
    USAGE: ledger-soak [options]

    Starts ledger-server (the binary next to this one) on a fresh database and soaks it: steady
    legitimate load alone (BASELINE), then twice: the same load while abusive clients attack
    (ABUSE: idle connections past the limit, slowloris, oversized lengths, stream floods,
    garbage after the preface, mid-stream disconnects, a client that never reads) and the load
    alone again (RECOVERY).
    Reports throughput and p99 per phase, the server's memory, descriptors and CPU before,
    during and after, and PASS/FAIL per criterion (no crash, no leak, legitimate calls keep
    succeeding, invariants hold). See docs/SOAK.md.

    OPTIONS:
      --seconds S                    Length of each phase (default 10).
      --cycles N                     ABUSE + RECOVERY cycles after BASELINE (default 2).
      --warmup-seconds S             Unmeasured load before the first phase (default 2).
      --connections N                Legitimate connections, kept for the whole run (default 4).
      --concurrency N                Legitimate workers, closed loop (default 16).
      --accounts N                   Funded accounts the transfers move between (default 100).
      --max-connections N            The server's connection limit (default 64).
      --max-message-bytes N          The server's message limit (default 65536).
      --handshake-timeout-seconds S  The server's handshake timeout (default 2).
      --frame-timeout-seconds S      The server's frame timeout (default 2).
      --abusers LIST                 Comma-separated abusers to run (default: all of idle-flood,
                                     slowloris, oversized, stream-flood, garbage, mid-stream,
                                     non-reader, bad-tokens); "none" makes ABUSE a control phase.
      --malloc-arenas N|default      MALLOC_ARENA_MAX for the server (default 1; "default" leaves
                                     glibc's 8 per core: see docs/SOAK.md, memory).
      --server-binary PATH           The ledger-server to soak (default: next to ledger-soak).
      --keep-files                   Keep the database and server log even on PASS.
      --json                         Print the report as JSON instead of text.
      -h, --help                     Show this help.

    EXIT STATUS: 0 every criterion held; 1 a criterion failed or the soak could not run;
    64 bad arguments.
    """

  /// What the command line asked for.
  public enum Invocation: Sendable, Hashable {
    case help
    case run(SoakOptions, json: Bool)
  }

  /// Parses the arguments after the program name.
  /// - Throws: `SoakUsageError` for an unknown flag, a missing or malformed value, or options
  ///   out of range.
  public static func parse(_ arguments: [String]) throws(SoakUsageError) -> Invocation {
    var options = SoakOptions()
    var json = false
    var remaining = arguments[...]
    func value(_ flag: String) throws(SoakUsageError) -> String {
      guard let value = remaining.popFirst() else { throw SoakUsageError("\(flag) needs a value") }
      return value
    }
    func integer(_ flag: String) throws(SoakUsageError) -> Int {
      let text = try value(flag)
      guard let number = Int(text) else { throw SoakUsageError("\(flag) '\(text)' is not an integer") }
      return number
    }
    func duration(_ flag: String) throws(SoakUsageError) -> Duration {
      let text = try value(flag)
      guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
        throw SoakUsageError("\(flag) '\(text)' is not a number of seconds")
      }
      return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
    while let argument = remaining.popFirst() {
      switch argument {
      case "-h", "--help": return .help
      case "--seconds": options.phaseDuration = try duration(argument)
      case "--cycles": options.cycles = try integer(argument)
      case "--warmup-seconds": options.warmupDuration = try duration(argument)
      case "--connections": options.connections = try integer(argument)
      case "--concurrency": options.concurrency = try integer(argument)
      case "--accounts": options.accounts = try integer(argument)
      case "--max-connections": options.serverConnectionsMax = try integer(argument)
      case "--max-message-bytes": options.serverMessageBytesMax = try integer(argument)
      case "--handshake-timeout-seconds": options.serverHandshakeTimeout = try duration(argument)
      case "--frame-timeout-seconds": options.serverFrameTimeout = try duration(argument)
      case "--abusers":
        let list = try value(argument)
        options.abusers = list == "none" ? [] : list.split(separator: ",").map(String.init)
      case "--malloc-arenas":
        let text = try value(argument)
        if text == "default" {
          options.serverMallocArenas = nil
        } else {
          guard let arenas = Int(text) else { throw SoakUsageError("--malloc-arenas '\(text)' is not a number or default") }
          options.serverMallocArenas = arenas
        }
      case "--server-binary": options.serverBinary = try value(argument)
      case "--keep-files": options.keepFiles = true
      case "--json": json = true
      default: throw SoakUsageError("unknown argument '\(argument)'")
      }
    }
    try options.validate()
    return .run(options, json: json)
  }

  /// Parses `arguments` (without the program name), runs, prints progress on standard error
  /// and the report on standard output, and returns the exit status.
  public static func main(_ arguments: [String]) async -> Int32 {
    let options: SoakOptions
    let json: Bool
    do {
      switch try parse(arguments) {
      case .help:
        write(1, usage + "\n")
        return exitSuccess
      case .run(let parsed, let asJSON):
        options = parsed
        json = asJSON
      }
    } catch {
      write(2, "error: \(error.message)\n\n\(usage)\n")
      return exitUsage
    }
    let report: SoakReport
    do {
      report = try await SoakRunner(options: options).run { line in write(2, "[soak] \(line)\n") }
    } catch {
      write(2, "error: \(error)\n")
      return exitFailure
    }
    write(1, json ? SoakReportRendering.json(report) : SoakReportRendering.text(report))
    return report.passed ? exitSuccess : exitFailure
  }

  /// Writes all of `text` to `fd`, retrying short writes and EINTR.
  static func write(_ fd: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }
}
