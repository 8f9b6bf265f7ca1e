import LedgerClient

/// `ledger-load`'s command line: parsed into ``LoadOptions`` and the output choices.
public struct LoadArguments: Sendable, Hashable {
  /// How the final report is printed.
  public enum Format: String, Sendable, Hashable {
    case text, json
  }

  /// What the command was asked to do.
  public enum Invocation: Sendable, Hashable {
    case help
    case run(LoadArguments)
  }

  public var options = LoadOptions()
  public var format = Format.text
  /// Where to write the HTML report, if anywhere.
  public var htmlPath: String?

  public init() {}

  /// The usage text printed for `-h` and with usage errors.
  public static let usage = """
    USAGE: ledger-load --target HOST:PORT [options]

    Drives load at a Ledger server, reports latency and throughput, then checks the ledger's
    invariants through the API (per-currency balances sum to zero, no no-overdraft account
    below zero, every acknowledged transfer present).

    OPTIONS:
      --target HOST:PORT        A server (repeatable; calls are balanced across them).
      --connections N           Connections per target (default 1).
      --concurrency N           Closed loop: N workers, each waits for its answer (default 16).
      --rate R                  Open loop: R calls per second on a fixed schedule; latency is
                                measured from each call's intended start.
      --max-in-flight N         Open loop: calls outstanding at most (default 10000).
      --duration D              How long to run: 10s, 500ms, 2m (default 10s).
      --calls N                 Stop after N calls instead.
      --mix SPEC                Weights, e.g. create=1,transfer=8,read=1,list=0 (the default).
      --hot-share F             Share of transfers (0...1) touching a hot account (default 0).
      --hot-accounts N          How many accounts are hot (default 3).
      --mode unary|session      Unary calls, or transfers pipelined over TransferSession
                                streams (closed loop; the mix is transfers only).
      --session-window N        Session mode: requests in flight per stream (default 32).
      --accounts N              Funded accounts to move money between (default 100).
      --currency CODE           Currency of the run's accounts (default USD).
      --token TOKEN             Bearer token for a server that authenticates (needs the
                                ledger.read and ledger.write scopes); the environment
                                variable LEDGER_TOKEN is read when no --token is given.
      --no-check                Skip the invariant check after the run.
      --format text|json        The report's format on standard output (default text).
      --html FILE               Also write a self-contained HTML report with SVG charts.
      -h, --help                Show this help.

    EXIT STATUS: 0 success; 1 the run failed (target unreachable, server lost mid-run,
    invariant violated); 64 bad arguments.
    """

  /// Parses the arguments after the program name.
  /// - Throws: `LoadUsageError` for an unknown flag, a missing or malformed value, or options
  ///   out of range.
  public static func parse(
    _ arguments: [String], environment: [String: String] = [:]
  ) throws(LoadUsageError) -> Invocation {
    var parsed = LoadArguments()
    parsed.options.token = environment["LEDGER_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    var concurrency: Int?
    var rate: Double?
    var inFlightMax = 10_000
    var index = 0
    func value(_ flag: String) throws(LoadUsageError) -> String {
      index += 1
      guard index < arguments.count else { throw LoadUsageError("\(flag) needs a value") }
      return arguments[index]
    }
    func integer(_ flag: String) throws(LoadUsageError) -> Int {
      let text = try value(flag)
      guard let number = Int(text) else { throw LoadUsageError("\(flag) '\(text)' is not an integer") }
      return number
    }
    func decimal(_ flag: String) throws(LoadUsageError) -> Double {
      let text = try value(flag)
      guard let number = Double(text), number.isFinite else { throw LoadUsageError("\(flag) '\(text)' is not a number") }
      return number
    }
    while index < arguments.count {
      let argument = arguments[index]
      switch argument {
      case "-h", "--help": return .help
      case "--target": parsed.options.targets.append(try value(argument))
      case "--connections": parsed.options.connections = try integer(argument)
      case "--concurrency": concurrency = try integer(argument)
      case "--rate": rate = try decimal(argument)
      case "--max-in-flight": inFlightMax = try integer(argument)
      case "--duration":
        let text = try value(argument)
        guard let duration = parseDuration(text) else {
          throw LoadUsageError("--duration '\(text)' is not a duration like 10s, 500ms or 2m")
        }
        parsed.options.stop = .duration(duration)
      case "--calls": parsed.options.stop = .calls(try integer(argument))
      case "--mix": parsed.options.mix = try WorkloadMix.parse(try value(argument))
      case "--hot-share": parsed.options.hotShare = try decimal(argument)
      case "--hot-accounts": parsed.options.hotAccounts = try integer(argument)
      case "--mode":
        let text = try value(argument)
        guard let mode = LoadOptions.Mode(rawValue: text) else { throw LoadUsageError("--mode must be unary or session") }
        parsed.options.mode = mode
      case "--session-window": parsed.options.sessionWindow = try integer(argument)
      case "--accounts": parsed.options.accounts = try integer(argument)
      case "--currency": parsed.options.currency = try value(argument)
      case "--no-check": parsed.options.checkInvariants = false
      case "--format":
        let text = try value(argument)
        guard let format = Format(rawValue: text) else { throw LoadUsageError("--format must be text or json") }
        parsed.format = format
      case "--html": parsed.htmlPath = try value(argument)
      case "--token":
        let token = try value(argument)
        guard !token.isEmpty, Metadata.isValidTextValue(token) else {
          throw LoadUsageError("--token must be a non-empty printable ASCII token")
        }
        parsed.options.token = token
      default: throw LoadUsageError("unknown argument '\(argument)'")
      }
      index += 1
    }
    if concurrency != nil && rate != nil { throw LoadUsageError("--concurrency and --rate exclude each other") }
    if let rate {
      parsed.options.pacing = .open(callsPerSecond: rate, inFlightMax: inFlightMax)
    } else {
      parsed.options.pacing = .closed(workers: concurrency ?? 16)
    }
    for target in parsed.options.targets where Endpoint(target) == nil {
      throw LoadUsageError("--target '\(target)' is not HOST:PORT")
    }
    try parsed.options.validate()
    return .run(parsed)
  }

  /// `10s`, `500ms`, `2m`, `1.5s`, or a bare number of seconds.
  public static func parseDuration(_ text: String) -> Duration? {
    let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("us", 0.000_001), ("s", 1), ("m", 60), ("h", 3_600)]
    for unit in units where text.hasSuffix(unit.suffix) {
      guard let number = Double(text.dropLast(unit.suffix.count)), number.isFinite, number >= 0 else { return nil }
      return .nanoseconds(Int64((number * unit.seconds * 1e9).rounded()))
    }
    guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else { return nil }
    return .nanoseconds(Int64((seconds * 1e9).rounded()))
  }
}
