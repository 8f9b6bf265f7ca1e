import CourierCore
import LedgerApplication
import LedgerDomain

/// A `UnitOfWork` decorator that measures the write path while the benchmark runs: how many
/// write transactions there were, how many transfers each inserted (the group-commit batch
/// size), and how long they took on the writer's thread and end to end.
///
/// A decorator rather than counters inside the services: the benchmark sees the store the way
/// the services do, and production code carries no benchmark hooks.
final class CommitProbe: UnitOfWork {
  /// Totals since the last ``reset()``.
  struct Totals: Sendable {
    var writes = 0
    var transfersInserted = 0
    var workNanoseconds: Int64 = 0
    var writeNanoseconds: Int64 = 0
  }

  private let base: any UnitOfWork
  private let totals = LockedValue(Totals())

  init(wrapping base: any UnitOfWork) { self.base = base }

  /// The totals so far, and zeroes them.
  func reset() -> Totals {
    totals.withLock { totals in
      defer { totals = Totals() }
      return totals
    }
  }

  func write<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result {
    let totals = self.totals
    let start = ContinuousClock.now
    let result = try await base.write { context in
      let workStart = ContinuousClock.now
      let counting = CountingContext(base: context)
      let result = try work(counting)
      let inserted = counting.counter.inserted
      let elapsed = Self.nanoseconds(ContinuousClock.now - workStart)
      totals.withLock {
        $0.transfersInserted += inserted
        $0.workNanoseconds += elapsed
      }
      return result
    }
    let elapsed = Self.nanoseconds(ContinuousClock.now - start)
    totals.withLock {
      $0.writes += 1
      $0.writeNanoseconds += elapsed
    }
    return result
  }

  func read<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result {
    try await base.read(work)
  }

  private static func nanoseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
  }
}

/// Counts transfers inserted through one transaction's context.
private final class InsertCounter {
  var inserted = 0
}

private struct CountingContext: RepositoryContext {
  let base: any RepositoryContext
  let counter = InsertCounter()

  var accounts: any AccountRepository { base.accounts }
  var transfers: any TransferRepository { CountingTransfers(base: base.transfers, counter: counter) }
}

private struct CountingTransfers: TransferRepository {
  let base: any TransferRepository
  let counter: InsertCounter

  func transfers(withIDs ids: [TransferID]) throws -> [TransferID: Transfer] { try base.transfers(withIDs: ids) }
  func insert(_ transfers: [Transfer]) throws {
    counter.inserted += transfers.count
    try base.insert(transfers)
  }
  func list(_ query: TransferQuery) throws -> [Transfer] { try base.list(query) }
  func lastSequence() throws -> Int64 { try base.lastSequence() }
}
