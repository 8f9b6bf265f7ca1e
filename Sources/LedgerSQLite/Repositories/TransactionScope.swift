import LedgerApplication

/// The connection of one open transaction, for the repositories of that transaction only.
///
/// The unit of work creates one per transaction and ends it as soon as the caller's closure
/// returns, so a context that escaped the closure (only possible by defeating the type checker:
/// it is not `Sendable`) fails loudly with a `StorageError` instead of writing outside any
/// transaction or on another thread.
final class TransactionScope {
  private let connection: SQLiteConnection
  private var isActive = true
  /// The account histories this transaction has read or changed (see `AccountHistories`).
  var histories = AccountHistories()

  init(connection: SQLiteConnection) {
    self.connection = connection
  }

  /// Ends the scope: every later repository call throws.
  func end() { isActive = false }

  /// Writes the account histories that transfers changed and no account update wrote, so the
  /// accounts' rows agree with their chains when the transaction commits. The unit of work
  /// calls it after the caller's closure returns and before `COMMIT`.
  func writePendingHistories() throws(StorageError) {
    let pending = histories.takeAllChanged()
    guard !pending.isEmpty else { return }
    try run { connection throws(SQLiteError) in
      try AccountTable(connection: connection).writeHistories(pending)
    }
  }

  /// Runs `body` with the connection, turning SQLite failures into `StorageError`.
  func run<Value>(_ body: (SQLiteConnection) throws(SQLiteError) -> Value) throws(StorageError)
    -> Value
  {
    guard isActive else {
      throw StorageError(
        "a repository was used after its transaction ended (the context escaped its closure)")
    }
    do {
      return try body(connection)
    } catch {
      throw StorageError(error)
    }
  }
}

/// The repositories of one SQLite transaction. Valid only inside the closure it is passed to.
struct SQLiteRepositoryContext: RepositoryContext {
  let scope: TransactionScope

  var accounts: any AccountRepository { SQLiteAccountRepository(scope: scope) }
  var transfers: any TransferRepository { SQLiteTransferRepository(scope: scope) }
}
