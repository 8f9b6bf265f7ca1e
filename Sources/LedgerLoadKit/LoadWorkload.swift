import LedgerClient

/// The generated clients of both Ledger services over one channel.
struct LedgerClients: Sendable {
  let accounts: Ledger_V1_Accounts.Client
  let transfers: Ledger_V1_Transfers.Client

  init(_ channel: CourierChannel) {
    accounts = Ledger_V1_Accounts.Client(wrapping: channel)
    transfers = Ledger_V1_Transfers.Client(wrapping: channel)
  }
}

/// The accounts a run works on and how it picks them: ids are prefixed with a random run tag,
/// so runs against one server never collide.
struct LoadWorkload: Sendable {
  /// Each funded account starts with this many minor units, far more than a run moves.
  static let fundingAmount: Int64 = 1_000_000_000_000
  static let fundingBatchMax = 1_000

  let runTag: String
  let currency: String
  let bankAccountID: String
  /// The funded no-overdraft accounts; the first `hotCount` are the hot ones.
  let accountIDs: [String]
  let hotCount: Int
  let hotShare: Double
  let mix: WorkloadMix

  init(options: LoadOptions, runTag: String) {
    self.runTag = runTag
    currency = options.currency
    bankAccountID = "ld-\(runTag)-bank"
    accountIDs = (0..<options.accounts).map { "ld-\(runTag)-a\($0)" }
    hotCount = options.hotShare > 0 ? options.hotAccounts : 0
    hotShare = options.hotShare
    mix = options.mix
  }

  /// A new random run tag of 8 hex digits.
  static func newRunTag() -> String {
    let value = UInt32.random(in: 0...UInt32.max)
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 8 - hex.count) + hex
  }

  /// A debit and a credit account, distinct; with probability `hotShare` one of them is hot.
  func accountPair(using generator: inout some RandomNumberGenerator) -> (debit: String, credit: String) {
    let count = accountIDs.count
    var debit = Int.random(in: 0..<count, using: &generator)
    var credit = Int.random(in: 0..<(count - 1), using: &generator)
    if hotCount > 0 && Double.random(in: 0..<1, using: &generator) < hotShare {
      let hot = Int.random(in: 0..<hotCount, using: &generator)
      if Bool.random(using: &generator) { debit = hot } else { credit = hot }
      if debit == credit { credit = (credit + 1) % count }
      return (accountIDs[debit], accountIDs[credit])
    }
    if credit >= debit { credit += 1 }
    return (accountIDs[debit], accountIDs[credit])
  }

  /// A transfer of 1...100 minor units between two of the run's accounts.
  func transferRequest(id: String, using generator: inout some RandomNumberGenerator) -> Ledger_V1_CreateTransferRequest {
    let (debit, credit) = accountPair(using: &generator)
    return Self.transfer(id: id, from: debit, to: credit, amount: .random(in: 1...100, using: &generator), currency: currency)
  }

  static func transfer(id: String, from debit: String, to credit: String, amount: Int64, currency: String)
    -> Ledger_V1_CreateTransferRequest
  {
    var request = Ledger_V1_CreateTransferRequest()
    request.transferID = id
    request.debitAccountID = debit
    request.creditAccountID = credit
    request.amount = amount
    request.currency = currency
    return request
  }

  /// Opens the bank (overdraft allowed) and the accounts, and funds each from the bank in
  /// linked batches.
  /// - Throws: the first failing call's error.
  func prepare(_ clients: LedgerClients, options: CallOptions) async throws {
    var bank = Ledger_V1_CreateAccountRequest()
    bank.accountID = bankAccountID
    bank.currency = currency
    bank.label = "ledger-load bank"
    _ = try await clients.accounts.createAccount(bank, options: options)
    for id in accountIDs {
      var request = Ledger_V1_CreateAccountRequest()
      request.accountID = id
      request.currency = currency
      request.noOverdraft = true
      _ = try await clients.accounts.createAccount(request, options: options)
    }
    for start in stride(from: 0, to: accountIDs.count, by: Self.fundingBatchMax) {
      var batch = Ledger_V1_CreateTransfersRequest()
      batch.transfers = accountIDs[start..<min(start + Self.fundingBatchMax, accountIDs.count)].map { id in
        Self.transfer(id: "ld-\(runTag)-fund-\(id)", from: bankAccountID, to: id, amount: Self.fundingAmount, currency: currency)
      }
      let results = try await clients.transfers.createTransfers(batch, options: options).results
      if let failed = results.first(where: { $0.errorCode != .unspecified }) {
        throw RPCError(code: .failedPrecondition, message: "funding \(failed.transferID) failed: \(failed.errorMessage)")
      }
    }
  }
}
