#if canImport(Glibc)
  import Glibc
#endif
import LedgerLoadKit

// `ledger-load`: load against Ledger servers, a latency/throughput report, an invariant check.
exit(await LoadCommand.main(Array(CommandLine.arguments.dropFirst())))
