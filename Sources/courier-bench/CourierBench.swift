#if canImport(Glibc)
  import Glibc
#endif

/// `courier-bench`: release-build benchmarks of Courier against the peer workload.
@main
enum CourierBench {
  static func main() async {
    do {
      let arguments = try BenchArguments.parse(Array(CommandLine.arguments.dropFirst()))
      switch arguments.command {
      case "codec": try CodecBenchmark.run(arguments: arguments)
      case "rpc": try await RPCBenchmark.run(arguments: arguments)
      default: throw BenchError.usage("unknown command '\(arguments.command)'")
      }
    } catch BenchError.help {
      print(BenchArguments.usage)
    } catch BenchError.usage(let message) {
      printError("error: \(message)\n\n\(BenchArguments.usage)")
      exit(64)
    } catch {
      printError("error: \(error)")
      exit(1)
    }
  }

  static func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
  }
}

struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    var string = string
    string.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
  }
}
