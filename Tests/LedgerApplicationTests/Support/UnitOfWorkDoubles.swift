@testable import LedgerApplication
import LedgerDomain

/// Counts write transactions (started, and committed) on their way to the real store.
final class CountingUnitOfWork: UnitOfWork {
  private let inner: any UnitOfWork
  private let counts = Locked((writes: 0, reads: 0))

  init(_ inner: any UnitOfWork) { self.inner = inner }

  var writes: Int { counts.withLock { $0.writes } }
  var reads: Int { counts.withLock { $0.reads } }

  func write<Result: Sendable>(_ work: @escaping @Sendable (any RepositoryContext) throws -> Result) async throws
    -> Result
  {
    counts.withLock { $0.writes += 1 }
    return try await inner.write(work)
  }

  func read<Result: Sendable>(_ work: @escaping @Sendable (any RepositoryContext) throws -> Result) async throws
    -> Result
  {
    counts.withLock { $0.reads += 1 }
    return try await inner.read(work)
  }
}

/// Holds write transactions at the door while closed, so a test can pile up submissions behind
/// one in-flight commit and know exactly what the next batch holds.
final class GatedUnitOfWork: UnitOfWork {
  private struct State {
    var isOpen = true
    var waiting: [CheckedContinuation<Void, Never>] = []
    var heldWrites = 0
  }

  private let inner: any UnitOfWork
  private let state = Locked(State())

  init(_ inner: any UnitOfWork) { self.inner = inner }

  /// Writes that are waiting at the closed gate.
  var heldWrites: Int { state.withLock { $0.heldWrites } }

  func close() { state.withLock { $0.isOpen = false } }

  func open() {
    let waiting = state.withLock { state in
      state.isOpen = true
      defer { state.waiting = [] }
      return state.waiting
    }
    for continuation in waiting { continuation.resume() }
  }

  func write<Result: Sendable>(_ work: @escaping @Sendable (any RepositoryContext) throws -> Result) async throws
    -> Result
  {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let passNow = state.withLock { state in
        if state.isOpen { return true }
        state.heldWrites += 1
        state.waiting.append(continuation)
        return false
      }
      if passNow { continuation.resume() }
    }
    return try await inner.write(work)
  }

  func read<Result: Sendable>(_ work: @escaping @Sendable (any RepositoryContext) throws -> Result) async throws
    -> Result
  {
    try await inner.read(work)
  }
}

/// Runs each write's work for real and then fails the commit while `isFailing`, so the store
/// rolls it back: what a disk error at COMMIT looks like to the service.
final class FailingCommitUnitOfWork: UnitOfWork {
  private let inner: any UnitOfWork
  private let failing = Locked(false)
  private let workRuns = Locked(0)

  init(_ inner: any UnitOfWork) { self.inner = inner }

  var isFailing: Bool {
    get { failing.withLock { $0 } }
    set { failing.withLock { $0 = newValue } }
  }

  /// Writes whose work ran (and was then rolled back, while failing).
  var failedWorkRuns: Int { workRuns.withLock { $0 } }

  func write<Result: Sendable>(_ work: @escaping @Sendable (any RepositoryContext) throws -> Result) async throws
    -> Result
  {
    guard isFailing else { return try await inner.write(work) }
    let runs = workRuns
    return try await inner.write { context in
      _ = try work(context)
      runs.withLock { $0 += 1 }
      throw CommitFailure()
    }
  }

  func read<Result: Sendable>(_ work: @escaping @Sendable (any RepositoryContext) throws -> Result) async throws
    -> Result
  {
    try await inner.read(work)
  }
}

/// Forwards to a real publisher and remembers every `publish` call.
final class RecordingPublisher: TransferEventPublisher {
  let inner: InProcessTransferEventPublisher
  private let calls = Locked<[[Transfer]]>([])

  init(_ inner: InProcessTransferEventPublisher) { self.inner = inner }

  var published: [[Transfer]] { calls.withLock { $0 } }

  func publish(_ transfers: [Transfer]) {
    calls.withLock { $0.append(transfers) }
    inner.publish(transfers)
  }

  func subscribe(accountID: AccountID) -> AsyncStream<Transfer> { inner.subscribe(accountID: accountID) }
}

/// Hands out the ids it was given, in order, then repeats the last one.
final class ScriptedIDGenerator: AccountIDGenerator {
  private let ids: Locked<[AccountID]>

  init(_ raw: [String]) throws {
    precondition(!raw.isEmpty, "ScriptedIDGenerator needs at least one id")
    ids = Locked(try raw.map { try AccountID($0) })
  }

  func newAccountID() -> AccountID {
    ids.withLock { ids in ids.count > 1 ? ids.removeFirst() : ids[0] }
  }
}
