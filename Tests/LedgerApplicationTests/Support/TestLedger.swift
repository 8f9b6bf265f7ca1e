@testable import LedgerApplication
import LedgerDomain
import LedgerInMemory

/// The services wired over an in-memory store, with a clock the test moves and a publisher it
/// can subscribe to: the composition root, in miniature.
struct TestLedger {
  let store = InMemoryLedgerStore()
  let unitOfWork: any UnitOfWork
  let clock = ManualClock(Timestamp(nanosecondsSinceEpoch: 1_000_000))
  let publisher: RecordingPublisher
  let accounts: AccountService
  let transfers: TransferService

  /// - Parameter wrap: wraps the store in a test double (counting, gating, failing); the
  ///   services see only the wrapper.
  init(
    configuration: TransferService.Configuration = TransferService.Configuration(),
    bufferedTransfersMax: Int = 1_024,
    idGenerator: any AccountIDGenerator = RandomAccountIDGenerator(),
    wrap: (any UnitOfWork) -> any UnitOfWork = { $0 }
  ) {
    unitOfWork = wrap(store)
    publisher = RecordingPublisher(InProcessTransferEventPublisher(bufferedTransfersMax: bufferedTransfersMax))
    accounts = AccountService(unitOfWork: unitOfWork, clock: clock, idGenerator: idGenerator)
    transfers = TransferService(unitOfWork: unitOfWork, clock: clock, publisher: publisher, configuration: configuration)
  }

  /// Opens an account with a caller-chosen id.
  @discardableResult
  func open(_ id: String, _ currency: Currency = .usd, noOverdraft: Bool = false, label: String = "") async throws
    -> Account
  {
    try await accounts.create(NewAccount(id: AccountID(id), currency: currency, noOverdraft: noOverdraft, label: label))
  }

  func account(_ id: String) async throws -> Account { try await accounts.get(AccountID(id)) }

  func balance(_ id: String) async throws -> Int64 { try await account(id).balance }

  /// Every stored transfer, in sequence order (read straight from the store, not the services).
  func storedTransfers() async throws -> [Transfer] {
    try await store.read { context in
      let accounts = try context.accounts.list(AccountQuery(limit: 100_000))
      var byID: [TransferID: Transfer] = [:]
      for account in accounts {
        for transfer in try context.transfers.list(TransferQuery(accountID: account.id, limit: 1_000_000)) {
          byID[transfer.id] = transfer
        }
      }
      return byID.values.sorted { $0.sequence < $1.sequence }
    }
  }

  /// Groups waiting in the committer's queue.
  func queuedGroups() async -> Int { await transfers.committer.queuedGroupCount }

  /// Waits (bounded) until `count` groups wait in the committer's queue.
  func waitUntilQueued(_ count: Int) async throws {
    try await eventually("\(count) groups queued") { await queuedGroups() >= count }
  }
}

/// A request in the shape tests write most: `id` moves `amount` from `debit` to `credit`.
func request(
  _ id: String, _ debit: String, _ credit: String, _ amount: Int64, _ currency: String = "USD", reference: String = ""
) -> TransferRequest {
  TransferRequest(
    transferID: id, debitAccountID: debit, creditAccountID: credit, amount: amount, currency: currency,
    reference: reference)
}

/// Polls `condition` every millisecond until it holds or `timeoutMilliseconds` pass.
func eventually(
  _ what: String, timeoutMilliseconds: Int = 5_000, _ condition: () async throws -> Bool
) async throws {
  let clock = ContinuousClock()
  let deadline = clock.now.advanced(by: .milliseconds(timeoutMilliseconds))
  while try await !condition() {
    guard clock.now < deadline else { throw TimedOut(what: what) }
    try await Task.sleep(for: .milliseconds(1))
  }
}

/// A bounded wait ran out.
struct TimedOut: Error, CustomStringConvertible {
  let what: String
  var description: String { "timed out waiting for \(what)" }
}

/// The error a test double's commit fails with.
struct CommitFailure: Error, Equatable {}

/// A deterministic random number generator (SplitMix64), so a failing run can be replayed.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
