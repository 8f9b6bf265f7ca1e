// ledger-consumer-check --target host:port   (the token, if any, in LEDGER_TOKEN)
//
// Connects to a running Ledger server through LedgerClient, opens two accounts, moves money
// between them, reads everything back and prints one line. Exit 0 when it all checks out,
// 1 with a message on any failure, 64 on a usage error.
import LedgerClient

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

let usage = """
  usage: ledger-consumer-check --target host:port

  Opens two accounts and a transfer on the Ledger server at host:port and reads them back.
  A server that authenticates needs a token with ledger.read and ledger.write in LEDGER_TOKEN.

  options:
    --target host:port   the server (required)
    -h, --help           show this help
  """

/// Writes `message` to standard error.
func printError(_ message: String) {
  var bytes = Array((message + "\n").utf8)
  _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// A check that did not hold.
struct CheckFailed: Error, CustomStringConvertible {
  let description: String
}

/// Fails with `message` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
  if !condition { throw CheckFailed(description: message()) }
}

/// The `--target` value, or `nil` after printing help (exit 0) or a usage error (exit 64).
func parseTarget(_ arguments: [String]) -> String? {
  var target: String?
  var rest = arguments[...]
  while let argument = rest.popFirst() {
    switch argument {
    case "-h", "--help":
      print(usage)
      exit(0)
    case "--target":
      guard let value = rest.popFirst() else {
        printError("error: --target needs a value\n\n" + usage)
        exit(64)
      }
      target = value
    default:
      printError("error: unknown argument '\(argument)'\n\n" + usage)
      exit(64)
    }
  }
  guard let target else {
    printError("error: --target host:port is required\n\n" + usage)
    exit(64)
  }
  return target
}

/// The whole check against `client`; returns the summary line.
func run(_ client: LedgerClient) async throws -> String {
  let health = try await client.health.check(Grpc_Health_V1_HealthCheckRequest())
  try check(health.status == .serving, "the server is \(health.status), not SERVING")

  // Ids unique to this run, so the check can run again against the same database.
  let run = String(UInt64.random(in: 0...UInt64(UInt32.max)), radix: 16)
  let payer = try await client.accounts.createAccount(id: "consumer-\(run)-payer", currency: "USD")
  let payee = try await client.accounts.createAccount(id: "consumer-\(run)-payee", currency: "USD", noOverdraft: true)
  let transfer = try await client.transfers.createTransfer(
    id: "consumer-\(run)-t1", debit: payer.accountID, credit: payee.accountID, amount: 1_250, currency: "USD",
    reference: "consumer check")

  let storedTransfer = try await client.transfers.getTransfer(id: transfer.transferID)
  let storedPayer = try await client.accounts.getAccount(id: payer.accountID)
  let storedPayee = try await client.accounts.getAccount(id: payee.accountID)
  try check(storedTransfer == transfer, "the transfer read back differs: \(storedTransfer) vs \(transfer)")
  try check(storedPayer.balance == -1_250, "payer balance is \(storedPayer.balance), expected -1250")
  try check(storedPayee.balance == 1_250, "payee balance is \(storedPayee.balance), expected 1250")

  // A refused transfer carries its machine-readable code.
  do {
    _ = try await client.transfers.createTransfer(
      id: "consumer-\(run)-t2", debit: payee.accountID, credit: payer.accountID, amount: 5_000, currency: "USD")
    throw CheckFailed(description: "an overdraft of a no-overdraft account was accepted")
  } catch let error as RPCError where error.ledgerErrorCode == .insufficientFunds {}

  return "ledger-consumer-check: ok: accounts \(payer.accountID) (\(storedPayer.balance)) and "
    + "\(payee.accountID) (\(storedPayee.balance)), transfer \(transfer.transferID) "
    + "sequence \(transfer.sequence), overdraft refused with INSUFFICIENT_FUNDS"
}

guard let target = parseTarget(Array(CommandLine.arguments.dropFirst())) else { exit(64) }
let client: LedgerClient
do {
  var configuration = LedgerClient.Configuration()
  if let variable = getenv("LEDGER_TOKEN") {
    let token = String(cString: variable)
    configuration.authorizationTokenProvider = { @Sendable in token }
  }
  client = try LedgerClient(targets: [target], configuration: configuration)
} catch {
  printError("error: \(error)\n\n" + usage)
  exit(64)
}
do {
  let summary = try await run(client)
  client.close()
  print(summary)
} catch {
  client.close()
  printError("ledger-consumer-check: FAILED against \(target): \(LedgerServiceError(error).map { "\($0)" } ?? "\(error)")")
  exit(1)
}
