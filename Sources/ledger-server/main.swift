#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import LedgerServerKit

// The Ledger service. Everything it does is in LedgerServerKit (configuration, wiring,
// signals), so tests and the benchmark run the same code; `--help` lists the options.
exit(
  await LedgerServerCommand.run(
    arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.current()))
