/// `ledger-bench`'s options, parsed by hand (no package dependencies).
struct BenchOptions {
  var runs = 3
  var seconds = 5
  var warmupSeconds = 1
  var concurrencies = [1, 16, 64]
  /// The ways to send transfers, measured in this order at each concurrency.
  var modes: [BenchMode] = [.unary, .session]
  /// Transfers in flight per TransferSession stream in session mode.
  var sessionWindow = 16
  var accountCount = 1_000
  var connections = 1
  var logCalls = true
  var json = false
  /// An external server to measure instead of the in-process stack, e.g. "127.0.0.1:7070".
  var server: String?
  /// In-process: serve with authentication on (a fresh key, and a token minted with it).
  var authenticate = false
  /// A bearer token sent with every call (for `--server` with authentication on).
  var token: String?
  /// How transfer ids are made.
  var idScheme = TransferIDScheme.ordered

  static let usage = """
    USAGE: ledger-bench [--mode unary|session|both] [--session-window N] [--runs N] [--seconds N]
                        [--concurrency L] [--accounts N] [--connections N] [--ids S] [--no-call-log] [--auth]
                        [--server HOST:PORT [--token T]] [--json]

    Starts the full Ledger stack in-process (LedgerStack: SQLite on a temporary file with WAL and
    synchronous=FULL, the real services, controllers and interceptors) on 127.0.0.1, opens one
    connection (or --connections N), and measures durable transfers per second, closed loop, at each concurrency:
    every worker sends CreateTransfer between two random funded accounts and waits for the answer.
    Session mode keeps the same number of transfers in flight over TransferSession streams
    instead: concurrency C runs max(1, C / window) streams that share the C transfers, and each
    stream sends a transfer whenever one is answered. With --mode both (the default), each
    concurrency is measured unary, then session, in the same run, so the two compare directly.
    Each level reports the median rate, latency, and CPU time (user + system) of this process per
    transfer: the whole stack in-process, the client alone with --server. On a busy machine the
    CPU time per transfer is the steadier figure.

    OPTIONS:
      --mode M            unary (CreateTransfer calls), session (TransferSession streams) or
                          both (default both)
      --session-window N  transfers in flight per TransferSession stream in session mode (default 16)
      --runs N            measured runs per concurrency; the median is reported (default 3)
      --seconds N         seconds per measured run (default 5)
      --warmup-seconds N  seconds of unmeasured load before each concurrency (default 1)
      --concurrency L     comma-separated concurrencies (default 1,16,64)
      --accounts N        funded accounts the transfers move between (default 1000)
      --connections N     spread the workers (or streams) over N connections (default 1)
      --ids S             how transfer ids are made: ordered (the default: the ULIDs of
                          LedgerClient.newTransferID(), time first, as the SDK advises), lanes
                          (<run>-<worker>-<n>) or random (128 random bits, like UUIDv4); they
                          decide where each new id falls in the ledger's unique index on ids
      --no-call-log       skip the per-call log line (by default it is formatted and discarded)
      --auth              serve with authentication on, as a production server runs: a fresh
                          key, and every call carries a token minted with it (by default the
                          in-process stack runs without, like --insecure-no-auth)
      --server HOST:PORT  measure a running ledger-server instead (e.g. a release build started
                          with --log-level warning); its accounts acct-0... are created if missing
      --token T           with --server: send T as the bearer token of every call (mint one
                          with `courier-token mint --scope ledger.read --scope ledger.write`)
      --json              also print one JSON line per concurrency and mode
      -h, --help          show this help

    Build with -c release: `swift run -c release ledger-bench`.
    """

  static func parse(_ arguments: [String]) throws(BenchUsage) -> BenchOptions {
    var options = BenchOptions()
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
      switch argument {
      case "-h", "--help": throw .help
      case "--json": options.json = true
      case "--no-call-log": options.logCalls = false
      case "--auth": options.authenticate = true
      case "--ids":
        guard let scheme = remaining.popFirst().flatMap(TransferIDScheme.init(rawValue:)) else {
          throw .invalid("--ids needs lanes, ordered or random")
        }
        options.idScheme = scheme
      case "--token":
        guard let token = remaining.popFirst(), !token.isEmpty else { throw .invalid("--token needs a token") }
        options.token = token
      case "--server":
        guard let server = remaining.popFirst(), server.contains(":") else { throw .invalid("--server needs HOST:PORT") }
        options.server = server
      case "--runs": options.runs = try positive(remaining.popFirst(), argument)
      case "--seconds": options.seconds = try positive(remaining.popFirst(), argument)
      case "--warmup-seconds": options.warmupSeconds = try positive(remaining.popFirst(), argument)
      case "--accounts": options.accountCount = try positive(remaining.popFirst(), argument)
      case "--connections": options.connections = try positive(remaining.popFirst(), argument)
      case "--session-window": options.sessionWindow = try positive(remaining.popFirst(), argument)
      case "--mode":
        switch remaining.popFirst() {
        case "unary": options.modes = [.unary]
        case "session": options.modes = [.session]
        case "both": options.modes = [.unary, .session]
        default: throw .invalid("--mode needs unary, session or both")
        }
      case "--concurrency":
        guard let list = remaining.popFirst() else { throw .invalid("--concurrency needs a comma-separated list") }
        var values: [Int] = []
        for part in list.split(separator: ",") { values.append(try positive(String(part), argument)) }
        options.concurrencies = values
      default: throw .invalid("unknown option '\(argument)'")
      }
    }
    guard options.accountCount >= 2 else { throw .invalid("--accounts must be at least 2") }
    if options.server != nil && options.authenticate {
      throw .invalid("--auth configures the in-process server; with --server, pass --token")
    }
    if options.server == nil && options.token != nil {
      throw .invalid("--token is for --server; the in-process server mints its own with --auth")
    }
    return options
  }

  private static func positive(_ text: String?, _ option: String) throws(BenchUsage) -> Int {
    guard let text, let value = Int(text), value > 0 else { throw .invalid("\(option) needs a positive integer") }
    return value
  }
}

/// How the benchmark sends transfers.
enum BenchMode: String, Sendable {
  /// One CreateTransfer call per transfer, each worker waiting for its answer.
  case unary
  /// TransferSession streams, each with a window of transfers in flight.
  case session
}

/// Why the command line was not run.
enum BenchUsage: Error {
  case help
  case invalid(String)
}
