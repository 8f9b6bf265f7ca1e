import LedgerApplication

extension SQLiteLedgerStore: UnitOfWork {
  /// Runs `work` on the writer connection's own thread inside `BEGIN IMMEDIATE` ... `COMMIT`,
  /// and resumes the caller after the commit (on disk: `synchronous=FULL`). Writes are
  /// serialized by the writer's thread.
  ///
  /// The context passed to `work` is valid only until `work` returns; it must not be stored or
  /// passed elsewhere (it is not `Sendable`, and any use after the closure throws).
  /// - Throws: whatever `work` throws, after a rollback; `StorageError` for any SQLite failure
  ///   (including a failed `COMMIT`, after which nothing is visible) or when the store is closed.
  public func write<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result {
    let accountCache = self.accountCache
    return try await onWriter { connection in
      let scope = TransactionScope(connection: connection, accountCache: accountCache)
      let result = try connection.transaction("BEGIN IMMEDIATE") {
        defer { scope.end() }
        // Under the write lock: a commit of another connection since the last write shows.
        if accountCache.isEnabled { accountCache.begin(dataVersion: try connection.dataVersion()) }
        let result = try work(SQLiteRepositoryContext(scope: scope))
        try scope.writePendingHistories()
        return result
      }
      scope.transactionCommitted()
      return result
    }
  }

  /// Runs `work` on the least busy reader connection's own thread inside `BEGIN` ... `COMMIT`:
  /// one consistent WAL snapshot of committed data, never waiting for the writer. Writing through
  /// the context fails (`PRAGMA query_only`).
  ///
  /// The context passed to `work` is valid only until `work` returns.
  /// - Throws: whatever `work` throws; `StorageError` for any SQLite failure or when closed.
  public func read<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result {
    try await withReadTransaction { connection in
      let scope = TransactionScope(connection: connection)
      defer { scope.end() }
      return try work(SQLiteRepositoryContext(scope: scope))
    }
  }
}
