import LedgerApplication
import LedgerDomain

/// A `UnitOfWork` over in-memory tables with real transaction semantics: for tests, and for
/// running the service without a database.
///
/// - A write runs its closure on a copy of the tables and swaps the copy in only when the
///   closure returns, so a throwing closure changes nothing.
/// - Writes are serialized (one at a time, in arrival order).
/// - A read works on the tables as of its start, a consistent snapshot, and never waits for a
///   write in progress: the lock guarding the committed tables is held only to copy or swap
///   them (copies are cheap, the tables are copy-on-write values).
///
/// Everything is lost when the store is released; durability is the SQLite adapter's job.
public final class InMemoryLedgerStore: UnitOfWork {
  private let committed = Locked(InMemoryTables())
  private let writerGate = AsyncPermits(count: 1)

  /// An empty store.
  public init() {}

  /// Runs `work` on a private copy of the tables and commits it if `work` returns.
  /// - Throws: what `work` throws (nothing changes); `CancellationError` if the task is
  ///   cancelled while waiting for an earlier write (nothing ran).
  public func write<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result {
    try await writerGate.acquire()
    defer { writerGate.release() }
    let transaction = InMemoryTransaction(tables: committed.withLock { $0 }, isWritable: true)
    defer { transaction.close() }
    let result = try work(transaction)
    // Only the holder of the writer gate swaps, so nothing committed since the copy was taken.
    let tables = transaction.tables
    committed.withLock { $0 = tables }
    return result
  }

  /// Runs `work` on a snapshot of the committed tables.
  /// - Throws: what `work` throws, or `StorageError` if it tries to write.
  public func read<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result {
    let transaction = InMemoryTransaction(tables: committed.withLock { $0 }, isWritable: false)
    defer { transaction.close() }
    return try work(transaction)
  }
}
