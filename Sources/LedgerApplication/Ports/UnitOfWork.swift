import LedgerDomain

/// Runs work in one database transaction, off Swift's cooperative pool.
///
/// The service call is the transaction boundary: a service hands one closure to `write` or
/// `read`, and everything the closure does through its ``RepositoryContext`` commits together or
/// not at all. Repositories never commit; this does.
public protocol UnitOfWork: Sendable {
  /// Read-write: commits when `work` returns, rolls back when it throws. Writes are serialized.
  ///
  /// - Throws: whatever `work` throws (after rolling back), or a ``StorageError`` when the
  ///   transaction cannot begin or commit. When it throws, nothing `work` did is visible.
  func write<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result

  /// Read-only snapshot; may run concurrently with writes.
  ///
  /// - Throws: whatever `work` throws, or a ``StorageError``.
  func read<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result
}

/// The repositories of one transaction. Only valid inside the closure it was passed to.
public protocol RepositoryContext {
  /// Accounts, inside this transaction.
  var accounts: any AccountRepository { get }
  /// Transfers, inside this transaction.
  var transfers: any TransferRepository { get }
}

/// Infrastructure failure inside an adapter (disk, corruption, constraint it did not expect).
///
/// Never a domain outcome: services report those as ``LedgerError``. The RPC layer turns this
/// into INTERNAL with a correlation id, and logs `message`.
public struct StorageError: Error, Sendable, CustomStringConvertible {
  /// What went wrong, for logs (may hold internal detail; never sent to callers).
  public let message: String

  /// A storage failure described by `message`.
  public init(_ message: String) { self.message = message }

  /// A storage failure described by `message`.
  public init(message: String) { self.message = message }

  /// `storage error: <message>`, for logs.
  public var description: String { "storage error: \(message)" }
}
