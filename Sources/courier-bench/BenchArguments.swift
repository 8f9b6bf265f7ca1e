/// Command-line options of `courier-bench`, parsed by hand (no package dependencies).
struct BenchArguments {
  var command: String
  var runs = 3
  var iterations = 1_000_000
  var json = false
  var seconds = 5
  var port: Int?
  var concurrencies = [1, 16, 64]
  var streamConcurrencies = [1, 16]
  /// Which half of the codec benchmark to run: both (default), or one, for profilers.
  var only: String?
  /// rpc: run the server with bearer-token authentication and the client with a token.
  var authenticate = false

  static let usage = """
    USAGE: courier-bench <command> [--runs N] [--iterations N] [--only encode|decode] [--json]

    COMMANDS:
      codec    ns per encode and decode of bench.v1.TransferRequest (the peer workload)
      rpc      unary calls/s and latency at several concurrencies over one connection, and
               server-streamed messages/s, against an in-process server on loopback

    OPTIONS:
      --runs N          measured runs; the median is reported (default 3)
      --iterations N    operations per run (default 1000000)
      --only PHASE      run only `encode` or only `decode` (for profilers)
      --json            also print one JSON line with the medians
      --seconds N       rpc: seconds per measured run (default 5)
      --concurrency L   rpc: comma-separated unary concurrencies (default 1,16,64)
      --stream-concurrency L  rpc: comma-separated streaming concurrencies (default 1,16)
      --port N          rpc: server port (default: any free port)
      --auth            rpc: every call carries a bearer token the server verifies
                        (CourierAuth), to measure what authentication costs
      -h, --help        show this help

    Build with -c release: `swift run -c release courier-bench codec`.
    """

  static func parse(_ arguments: [String]) throws(BenchError) -> BenchArguments {
    var remaining = arguments[...]
    guard let command = remaining.popFirst() else { throw .usage("missing command") }
    if command == "-h" || command == "--help" { throw .help }
    var parsed = BenchArguments(command: command)
    while let argument = remaining.popFirst() {
      switch argument {
      case "-h", "--help": throw .help
      case "--json": parsed.json = true
      case "--auth": parsed.authenticate = true
      case "--only":
        guard let phase = remaining.popFirst(), phase == "encode" || phase == "decode" else {
          throw .usage("--only needs `encode` or `decode`")
        }
        parsed.only = phase
      case "--runs": parsed.runs = try positiveInteger(remaining.popFirst(), for: argument)
      case "--iterations": parsed.iterations = try positiveInteger(remaining.popFirst(), for: argument)
      case "--seconds": parsed.seconds = try positiveInteger(remaining.popFirst(), for: argument)
      case "--port": parsed.port = try positiveInteger(remaining.popFirst(), for: argument)
      case "--concurrency": parsed.concurrencies = try integerList(remaining.popFirst(), for: argument)
      case "--stream-concurrency": parsed.streamConcurrencies = try integerList(remaining.popFirst(), for: argument)
      default: throw .usage("unknown option '\(argument)'")
      }
    }
    return parsed
  }

  static func integerList(_ text: String?, for option: String) throws(BenchError) -> [Int] {
    guard let text else { throw .usage("\(option) needs a comma-separated list") }
    if text.isEmpty { return [] }
    var values: [Int] = []
    for part in text.split(separator: ",") {
      values.append(try positiveInteger(String(part), for: option))
    }
    return values
  }

  static func positiveInteger(_ text: String?, for option: String) throws(BenchError) -> Int {
    guard let text, let value = Int(text), value > 0 else {
      throw .usage("\(option) needs a positive integer")
    }
    return value
  }
}

enum BenchError: Error {
  case help
  case usage(String)
  case mismatch(String)
}
