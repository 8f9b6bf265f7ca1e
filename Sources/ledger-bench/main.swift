#if canImport(Glibc)
  import Glibc
#endif

// `ledger-bench`: durable transfers per second through the network, against the full stack.
do {
  let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
  try await TransferBenchmark(options: options).run()
} catch BenchUsage.help {
  print(BenchOptions.usage)
} catch BenchUsage.invalid(let message) {
  printToStandardError("error: \(message)\n\n\(BenchOptions.usage)")
  exit(64)
} catch {
  printToStandardError("error: \(error)")
  exit(1)
}

func printToStandardError(_ text: String) {
  var line = text + "\n"
  line.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
}
