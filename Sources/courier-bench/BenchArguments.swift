/// Command-line options of `courier-bench`, parsed by hand (no package dependencies).
struct BenchArguments {
  var command: String
  var runs = 5
  var iterations = 1_000_000
  var json = false
  /// Which half of the codec benchmark to run: both (default), or one, for profilers.
  var only: String?

  static let usage = """
    USAGE: courier-bench <command> [--runs N] [--iterations N] [--only encode|decode] [--json]

    COMMANDS:
      codec    ns per encode and decode of bench.v1.TransferRequest (the peer workload)

    OPTIONS:
      --runs N          measured runs; the median is reported (default 5)
      --iterations N    operations per run (default 1000000)
      --only PHASE      run only `encode` or only `decode` (for profilers)
      --json            also print one JSON line with the medians
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
      case "--only":
        guard let phase = remaining.popFirst(), phase == "encode" || phase == "decode" else {
          throw .usage("--only needs `encode` or `decode`")
        }
        parsed.only = phase
      case "--runs": parsed.runs = try positiveInteger(remaining.popFirst(), for: argument)
      case "--iterations": parsed.iterations = try positiveInteger(remaining.popFirst(), for: argument)
      default: throw .usage("unknown option '\(argument)'")
      }
    }
    return parsed
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
