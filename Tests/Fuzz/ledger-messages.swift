// libFuzzer target `ledger-messages`: every message of the Ledger API (ledger.v1 and
// grpc.health.v1, Sources/LedgerAPI/Generated) decoded from arbitrary bytes.
//
// Input: one byte that picks the message type (modulo the table's size), then the encoding.
// Property (FuzzSupport.checkRoundTrip): decoding throws a `WireDecodingError` or gives a value
// whose encoding decodes to an equal value and re-encodes to the same bytes.

import CourierWire
import FuzzSupport
import LedgerAPI

/// The message types, in a fixed order: a seed's first byte is its type's index here, so append
/// new types at the end (or remake the corpus with scripts/fuzz --remake-corpus).
let ledgerMessageKinds: [MessageKind] = [
  MessageKind(Ledger_V1_Account.self),
  MessageKind(Ledger_V1_Transfer.self),
  MessageKind(Ledger_V1_CreateAccountRequest.self),
  MessageKind(Ledger_V1_CreateAccountResponse.self),
  MessageKind(Ledger_V1_GetAccountRequest.self),
  MessageKind(Ledger_V1_GetAccountResponse.self),
  MessageKind(Ledger_V1_CloseAccountRequest.self),
  MessageKind(Ledger_V1_CloseAccountResponse.self),
  MessageKind(Ledger_V1_ListAccountsRequest.self),
  MessageKind(Ledger_V1_ListAccountsResponse.self),
  MessageKind(Ledger_V1_CreateTransferRequest.self),
  MessageKind(Ledger_V1_CreateTransferResponse.self),
  MessageKind(Ledger_V1_CreateTransfersRequest.self),
  MessageKind(Ledger_V1_TransferResult.self),
  MessageKind(Ledger_V1_CreateTransfersResponse.self),
  MessageKind(Ledger_V1_GetTransferRequest.self),
  MessageKind(Ledger_V1_GetTransferResponse.self),
  MessageKind(Ledger_V1_ListTransfersRequest.self),
  MessageKind(Ledger_V1_ListTransfersResponse.self),
  MessageKind(Ledger_V1_WatchAccountRequest.self),
  MessageKind(Ledger_V1_WatchAccountResponse.self),
  MessageKind(Ledger_V1_ImportTransfersResponse.self),
  MessageKind(Grpc_Health_V1_HealthCheckRequest.self),
  MessageKind(Grpc_Health_V1_HealthCheckResponse.self),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  runMessageTarget(ledgerMessageKinds, fuzzInput(start, count))
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
  writeSeedsIfRequested(ledgerSeeds)
  return 0
}

// MARK: - Seeds: messages as the service and its clients send them

/// Each seed is the selector byte of its type followed by a real encoding.
func ledgerSeeds() -> [Seed] {
  var seeds: [Seed] = []
  func add<M: Message>(_ label: String, _ message: M) {
    guard let index = ledgerMessageKinds.firstIndex(where: { $0.name == M.protoMessageName }) else {
      fatalError("\(M.protoMessageName) is missing from ledgerMessageKinds")
    }
    seeds.append(Seed("\(M.protoMessageName)-\(label)", [UInt8(index)] + message.serializedBytes()))
  }

  let account = sampleAccount()
  let transfer = sampleTransfer()
  add("empty", Ledger_V1_Account())
  add("open", account)
  var closed = account
  closed.status = .closed
  closed.balance = 0
  closed.debitsPosted = 125_000
  closed.creditsPosted = 125_000
  closed.version = 7
  add("closed", closed)
  add("posted", transfer)

  var createAccount = Ledger_V1_CreateAccountRequest()
  createAccount.accountID = "acct-alice_01"
  createAccount.currency = "EUR"
  createAccount.noOverdraft = true
  createAccount.label = "Alice — savings ✓"
  add("full", createAccount)
  var generatedID = Ledger_V1_CreateAccountRequest()
  generatedID.currency = "JPY"
  add("generated-id", generatedID)
  var createdAccount = Ledger_V1_CreateAccountResponse()
  createdAccount.account = account
  add("created", createdAccount)

  var getAccount = Ledger_V1_GetAccountRequest()
  getAccount.accountID = "acct-alice_01"
  add("by-id", getAccount)
  var gotAccount = Ledger_V1_GetAccountResponse()
  gotAccount.account = account
  add("found", gotAccount)
  var closeAccount = Ledger_V1_CloseAccountRequest()
  closeAccount.accountID = "acct-bob"
  add("by-id", closeAccount)
  var closedAccount = Ledger_V1_CloseAccountResponse()
  closedAccount.account = closed
  add("closed", closedAccount)

  var listAccounts = Ledger_V1_ListAccountsRequest()
  listAccounts.pageSize = 50
  listAccounts.pageToken = "YTEuYWNjdC1hbGljZV8wMQ"
  listAccounts.currency = "EUR"
  listAccounts.status = .open
  add("filtered", listAccounts)
  var listAccountsUnknownStatus = Ledger_V1_ListAccountsRequest()
  listAccountsUnknownStatus.status = Ledger_V1_AccountStatus(rawValue: 9)
  listAccountsUnknownStatus.pageSize = -1
  add("unknown-status", listAccountsUnknownStatus)
  var accountPage = Ledger_V1_ListAccountsResponse()
  accountPage.accounts = [account, closed]
  accountPage.nextPageToken = "YTEuYWNjdC1ib2I"
  add("page", accountPage)

  var createTransfer = Ledger_V1_CreateTransferRequest()
  createTransfer.transferID = "tr-2024-0001"
  createTransfer.debitAccountID = "acct-alice_01"
  createTransfer.creditAccountID = "acct-bob"
  createTransfer.amount = 12_550
  createTransfer.currency = "EUR"
  createTransfer.reference = "invoice 42"
  add("full", createTransfer)
  var overflowing = createTransfer
  overflowing.amount = .max
  overflowing.transferID = "tr-max"
  add("max-amount", overflowing)
  var negative = createTransfer
  negative.amount = -1
  add("negative-amount", negative)
  var createdTransfer = Ledger_V1_CreateTransferResponse()
  createdTransfer.transfer = transfer
  add("created", createdTransfer)
  var batch = Ledger_V1_CreateTransfersRequest()
  batch.transfers = [createTransfer, overflowing, Ledger_V1_CreateTransferRequest()]
  add("batch", batch)

  var succeeded = Ledger_V1_TransferResult()
  succeeded.transferID = transfer.transferID
  succeeded.transfer = transfer
  add("created", succeeded)
  var failed = Ledger_V1_TransferResult()
  failed.transferID = "tr-max"
  failed.errorCode = .insufficientFunds
  failed.errorMessage = "account acct-alice_01 has insufficient funds"
  add("failed", failed)
  var futureCode = failed
  futureCode.errorCode = Ledger_V1_ErrorCode(rawValue: 4096)
  add("unknown-code", futureCode)
  var batchResults = Ledger_V1_CreateTransfersResponse()
  batchResults.results = [succeeded, failed]
  add("mixed", batchResults)

  var getTransfer = Ledger_V1_GetTransferRequest()
  getTransfer.transferID = "tr-2024-0001"
  add("by-id", getTransfer)
  var gotTransfer = Ledger_V1_GetTransferResponse()
  gotTransfer.transfer = transfer
  add("found", gotTransfer)
  var listTransfers = Ledger_V1_ListTransfersRequest()
  listTransfers.accountID = "acct-alice_01"
  listTransfers.pageSize = 1_000
  listTransfers.pageToken = "dDEuYWNjdC1hbGljZV8wMS4xNw"
  listTransfers.fromUnixNanos = 1_700_000_000_000_000_000
  listTransfers.toUnixNanos = 1_800_000_000_000_000_000
  add("range", listTransfers)
  var transferPage = Ledger_V1_ListTransfersResponse()
  transferPage.transfers = [transfer, transfer]
  transferPage.nextPageToken = "dDEuYWNjdC1hbGljZV8wMS4xOA"
  add("page", transferPage)

  var watch = Ledger_V1_WatchAccountRequest()
  watch.accountID = "acct-alice_01"
  watch.afterSequence = 17
  add("after", watch)
  var watched = Ledger_V1_WatchAccountResponse()
  watched.transfer = transfer
  add("event", watched)
  var imported = Ledger_V1_ImportTransfersResponse()
  imported.received = 10_000
  imported.created = 9_990
  imported.alreadyExisted = 8
  imported.failed = 2
  imported.firstFailures = [failed, futureCode]
  add("summary", imported)

  var health = Grpc_Health_V1_HealthCheckRequest()
  health.service = "ledger.v1.Transfers"
  add("service", health)
  add("server", Grpc_Health_V1_HealthCheckRequest())
  var serving = Grpc_Health_V1_HealthCheckResponse()
  serving.status = .serving
  add("serving", serving)
  return seeds
}

func sampleAccount() -> Ledger_V1_Account {
  var account = Ledger_V1_Account()
  account.accountID = "acct-alice_01"
  account.currency = "EUR"
  account.debitsPosted = 125_000
  account.creditsPosted = 300_000
  account.balance = 175_000
  account.noOverdraft = true
  account.status = .open
  account.version = 4
  account.createdAtUnixNanos = 1_717_171_717_000_000_000
  account.label = "Alice — savings ✓"
  return account
}

func sampleTransfer() -> Ledger_V1_Transfer {
  var transfer = Ledger_V1_Transfer()
  transfer.transferID = "tr-2024-0001"
  transfer.debitAccountID = "acct-alice_01"
  transfer.creditAccountID = "acct-bob"
  transfer.amount = 12_550
  transfer.currency = "EUR"
  transfer.reference = "invoice 42"
  transfer.createdAtUnixNanos = 1_717_171_800_000_000_000
  transfer.sequence = 17
  return transfer
}
