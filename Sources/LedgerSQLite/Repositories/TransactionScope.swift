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
  /// The writer's account row cache, for the unit of work's write transactions; nil otherwise.
  let accountCache: AccountRowCache?
  /// Account rows this transaction read from the database or wrote, as they now are in it:
  /// they enter `accountCache` if it commits.
  private(set) var accountRows: [String: AccountRecord] = [:]
  /// Accounts whose stored row this transaction changed without knowing the whole result:
  /// dropped from `accountCache` if it commits.
  private(set) var staleAccountIDs: Set<String> = []

  init(connection: SQLiteConnection, accountCache: AccountRowCache? = nil) {
    self.connection = connection
    self.accountCache = accountCache.flatMap { $0.isEnabled ? $0 : nil }
  }

  /// The rows among `ids` (unique) this transaction already knows: its own, then the cache's
  /// (unless this transaction made them stale); and the ids it must read.
  func knownAccountRows(_ ids: [String]) -> (found: [AccountRecord], missing: [String]) {
    var found: [AccountRecord] = []
    var missing: [String] = []
    var askCache: [String] = []
    found.reserveCapacity(ids.count)
    askCache.reserveCapacity(ids.count)
    for id in ids {
      if let row = accountRows[id] {
        found.append(row)
      } else if accountCache == nil || staleAccountIDs.contains(id) {
        missing.append(id)
      } else {
        askCache.append(id)
      }
    }
    if let accountCache, !askCache.isEmpty {
      let cached = accountCache.rows(for: askCache)
      found += cached.found
      missing += cached.missing
    }
    return (found, missing)
  }

  /// Records that the stored row of `record.id` is now exactly `record`.
  func noteAccountRow(_ record: AccountRecord) {
    guard accountCache != nil else { return }
    accountRows[record.id] = record
    staleAccountIDs.remove(record.id)
  }

  /// The stored row of `id` as this transaction knows it, if it does: `knownAccountRows` for
  /// one id, without its arrays (the account update asks this once per changed account).
  func knownAccountRow(_ id: String) -> AccountRecord? {
    if let row = accountRows[id] { return row }
    guard let accountCache, !staleAccountIDs.contains(id) else { return nil }
    return accountCache.row(for: id)
  }

  /// The stored rows of the accounts among `ids` that exist: the ones this transaction or the
  /// cache knows, the rest read with one cached `IN` lookup per chunk. Each row's history is
  /// remembered, for the transfers this transaction may insert: their chains start there.
  func accountRows(_ ids: [String]) throws(StorageError) -> [AccountRecord] {
    let known = knownAccountRows(unique(ids))
    if accountCache != nil { accountRows.reserveCapacity(accountRows.count + ids.count) }
    histories.reserveCapacity(ids.count)
    var rows = known.found
    if !known.missing.isEmpty {
      let loaded = try run { connection throws(SQLiteError) in
        try AccountTable(connection: connection).records(withIDs: known.missing)
      }
      for row in loaded { noteAccountRow(row) }
      rows += loaded
    }
    for row in rows { histories.remember(row.history, of: row.id) }
    return rows
  }

  /// Records that the stored row of `id` changed in a way this transaction cannot follow.
  func noteAccountRowStale(_ id: String) {
    guard accountCache != nil else { return }
    accountRows[id] = nil
    staleAccountIDs.insert(id)
  }

  /// Hands what this transaction learned to the cache; call only after its `COMMIT` succeeded.
  func transactionCommitted() {
    accountCache?.committed(rows: accountRows, stale: staleAccountIDs)
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
    for (id, history) in pending {
      if var row = knownAccountRow(id) {
        row.history = history
        noteAccountRow(row)
      } else {
        noteAccountRowStale(id)
      }
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
