#if canImport(Glibc)
  import Glibc
#endif
import LedgerSoakKit

// `ledger-soak`: ledger-server under legitimate load and abusive clients; see docs/SOAK.md.
exit(await SoakCommand.main(Array(CommandLine.arguments.dropFirst())))
