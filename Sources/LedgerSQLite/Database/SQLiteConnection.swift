import CSQLite

/// One SQLite connection and its cache of prepared statements.
///
/// Not `Sendable`, and never used from two threads: each connection is owned by one
/// `ConnectionHost`, which confines it to one serial queue or thread. That is also why it is
/// opened with `SQLITE_OPEN_NOMUTEX` (SQLite's own per-connection mutex would only cost time).
final class SQLiteConnection {
  /// The limit on cached statements. The adapter's SQL is a closed set (a dozen statements and
  /// a few padded `IN (...)` sizes), so the limit is only a backstop against a future leak.
  static let statementCacheCapacity = 64

  private var handle: OpaquePointer?
  private var statements: [String: SQLiteStatement] = [:]
  /// The handler `setWALHook` registered, kept alive here for as long as SQLite holds a pointer
  /// to it (see `SQLiteConnection+WAL.swift`). Nil when no hook is registered.
  var walHook: WALHook?
  /// The file path it was opened on, for error messages.
  let path: String

  /// Process-wide settings, applied once before the first connection opens (SQLite accepts
  /// them only before it initializes): memory statistics off, so SQLite's allocations do not
  /// take a process-wide mutex to count themselves (one of the options SQLite's documentation
  /// recommends for speed). The writer's profile had SQLite taking a global mutex about 3% of
  /// its time. Nothing here reads SQLite's memory statistics.
  private static let processSettings: Void = {
    // SQLITE_MISUSE only if SQLite was initialized already (someone else in the process used
    // it first): the statistics then stay on, which costs time, not correctness.
    _ = ledger_sqlite_disable_memory_statistics()
  }()

  /// Opens (and with `create`, creates) the database file at `path`.
  init(path: String, readOnly: Bool, create: Bool) throws(SQLiteError) {
    Self.processSettings
    var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
    flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
    if create { flags |= SQLITE_OPEN_CREATE }
    var opened: OpaquePointer?
    let result = sqlite3_open_v2(path, &opened, flags, nil)
    guard result == SQLITE_OK, let opened else {
      let error = SQLiteError(result, "open \(path)", database: opened)
      // A handle is returned even on most failures and must still be released.
      sqlite3_close_v2(opened)
      throw error
    }
    handle = opened
    self.path = path
  }

  deinit {
    close()
  }

  /// Whether `close()` has run.
  var isClosed: Bool { handle == nil }

  /// Finalizes every cached statement and closes the handle. Idempotent. `sqlite3_close_v2`
  /// defers the real close until any statement still referenced elsewhere is finalized.
  func close() {
    statements.removeAll()
    guard let handle else { return }
    self.handle = nil
    // Unregister the hook before releasing the object SQLite points to, so no callback can
    // reach a freed `WALHook` (close_v2 may keep the handle alive for a while).
    if walHook != nil {
      sqlite3_wal_hook(handle, nil, nil)
      walHook = nil
    }
    // close_v2 only fails on a bad handle, which this class never holds.
    _ = sqlite3_close_v2(handle)
  }

  /// The open handle, or an error once closed.
  func database() throws(SQLiteError) -> OpaquePointer {
    guard let handle else {
      throw SQLiteError(message: "the database connection to \(path) is closed")
    }
    return handle
  }

  /// How many statements `statement(_:)` has prepared (cache misses), for tests and diagnostics.
  private(set) var preparedStatementCount = 0

  /// The cached prepared statement for `sql`, prepared on first use. The caller binds, steps
  /// and must call `reset()` when done (see `withStatement`).
  func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
    if let cached = statements[sql] { return cached }
    let prepared = try SQLiteStatement(sql: sql, database: database(), persistent: true)
    preparedStatementCount += 1
    if statements.count >= Self.statementCacheCapacity {
      // Dropping the cache is safe: a statement in use is still retained by its user.
      statements.removeAll()
    }
    statements[sql] = prepared
    return prepared
  }

  /// Runs `body` with the cached statement for `sql` and resets it afterwards, whatever happens.
  func withStatement<Result>(
    _ sql: String, _ body: (SQLiteStatement) throws(SQLiteError) -> Result
  ) throws(SQLiteError) -> Result {
    let statement = try statement(sql)
    defer { statement.reset() }
    return try body(statement)
  }

  /// Runs one or more SQL statements with no parameters and no wanted rows (DDL, PRAGMAs that
  /// set, transaction control). Not cached: these run rarely.
  func execute(_ sql: String) throws(SQLiteError) {
    let database = try database()
    var errorText: UnsafeMutablePointer<CChar>?
    let result = sqlite3_exec(database, sql, nil, nil, &errorText)
    defer { sqlite3_free(errorText) }
    guard result == SQLITE_OK else {
      let detail = errorText.map { String(cString: $0) } ?? "unknown error"
      throw SQLiteError(
        code: result, message: "execute \(SQLiteStatement.abbreviated(sql)): \(detail)")
    }
  }

  /// Runs a query and returns its first column as text, one element per row (PRAGMA readers,
  /// EXPLAIN QUERY PLAN). Integers are rendered in decimal, NULL as "". Not cached.
  func textColumn(_ sql: String, column: Int32 = 0) throws(SQLiteError) -> [String] {
    let statement = try SQLiteStatement(sql: sql, database: database(), persistent: false)
    var values: [String] = []
    while try statement.step() {
      if statement.isNull(at: column) {
        values.append("")
      } else if statement.isInteger(at: column) {
        values.append(String(try statement.int64(at: column)))
      } else {
        values.append(try statement.text(at: column))
      }
    }
    return values
  }

  /// Runs a query that yields one row and returns its first column as text (see `textColumn`).
  func scalarText(_ sql: String) throws(SQLiteError) -> String {
    guard let value = try textColumn(sql).first else {
      throw SQLiteError(message: "\(sql) returned no row")
    }
    return value
  }

  /// Rows changed by the last INSERT, UPDATE or DELETE.
  func changes() throws(SQLiteError) -> Int {
    Int(sqlite3_changes64(try database()))
  }

  /// `PRAGMA data_version`: a number that changes when another connection (of this process or
  /// another) commits to the database, and never for this connection's own commits.
  func dataVersion() throws(SQLiteError) -> Int64 {
    try withStatement("PRAGMA data_version") { statement throws(SQLiteError) in
      guard try statement.step() else {
        throw SQLiteError(message: "PRAGMA data_version returned no row")
      }
      return try statement.int64(at: 0)
    }
  }

  /// Whether a transaction is open (SQLite is not in autocommit mode).
  func isInTransaction() throws(SQLiteError) -> Bool {
    sqlite3_get_autocommit(try database()) == 0
  }

  /// Sets how long a statement waits for another connection's lock before `SQLITE_BUSY`.
  func setBusyTimeout(milliseconds: Int32) throws(SQLiteError) {
    let database = try database()
    let result = sqlite3_busy_timeout(database, milliseconds)
    guard result == SQLITE_OK else {
      throw SQLiteError(result, "set busy_timeout", database: database)
    }
  }

  /// Runs `body` inside `begin` ... `COMMIT`, rolling back when `body` or the commit throws.
  /// `begin` is `BEGIN IMMEDIATE` for the writer (take the write lock up front, so the
  /// transaction never fails half-way on a lock upgrade) and `BEGIN` for readers.
  ///
  /// `begin` and `COMMIT` run as cached statements: the writer runs them once per commit, and
  /// `sqlite3_exec` would parse them every time.
  func transaction<Result>(
    _ begin: String, _ body: () throws -> Result
  ) throws -> Result {
    try withStatement(begin) { statement throws(SQLiteError) in try statement.run() }
    do {
      let result = try body()
      try withStatement("COMMIT") { statement throws(SQLiteError) in try statement.run() }
      return result
    } catch {
      rollbackIfNeeded()
      throw error
    }
  }

  /// Rolls back the open transaction, if any. A failure here leaves nothing to undo (SQLite
  /// already rolled back or the connection is gone), so it cannot hide the original error.
  private func rollbackIfNeeded() {
    guard let handle, sqlite3_get_autocommit(handle) == 0 else { return }
    _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
  }
}
