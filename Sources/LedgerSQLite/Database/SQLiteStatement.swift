import CSQLite

/// One prepared statement of one connection, with typed bind and column helpers.
///
/// Not `Sendable`: it belongs to its connection, which is confined to one serial queue or thread.
/// Parameter and column indices follow SQLite: parameters count from 1, columns from 0.
/// `deinit` finalizes it; the connection closes with `sqlite3_close_v2`, so a statement that
/// outlives the close is still finalized safely.
final class SQLiteStatement {
  /// The SQL text it was prepared from (the cache key, and context for error messages).
  let sql: String
  private let handle: OpaquePointer
  private let database: OpaquePointer

  /// Prepares `sql` on `database`; `persistent` hints SQLite that it will be reused many times.
  init(sql: String, database: OpaquePointer, persistent: Bool) throws(SQLiteError) {
    var prepared: OpaquePointer?
    let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
    let result = sqlite3_prepare_v3(database, sql, -1, flags, &prepared, nil)
    guard result == SQLITE_OK, let prepared else {
      sqlite3_finalize(prepared)
      throw SQLiteError(result, "prepare \(Self.abbreviated(sql))", database: database)
    }
    self.sql = sql
    self.handle = prepared
    self.database = database
  }

  deinit {
    sqlite3_finalize(handle)
  }

  /// The number of `?` parameters.
  var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }

  // MARK: Binding

  /// Binds an integer to parameter `index` (from 1).
  func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
    try check(sqlite3_bind_int64(handle, index, value), "bind parameter \(index)")
  }

  /// Binds a boolean as 0 or 1.
  func bind(_ value: Bool, at index: Int32) throws(SQLiteError) {
    try bind(value ? Int64(1) : Int64(0), at: index)
  }

  /// Binds UTF-8 text; SQLite copies it (`SQLITE_TRANSIENT`), so the Swift string may go away.
  func bind(_ value: String, at index: Int32) throws(SQLiteError) {
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    // The byte count is O(1) for native strings, and `withCString` hands out their own storage
    // without copying: this is on the hot path of every insert and lookup.
    let byteCount = value.utf8.count
    guard byteCount <= Int(Int32.max) else {
      throw SQLiteError(
        code: SQLITE_TOOBIG, message: "text of \(byteCount) bytes for parameter \(index)")
    }
    let result = value.withCString { text in
      sqlite3_bind_text(handle, index, text, Int32(byteCount), transient)
    }
    try check(result, "bind parameter \(index)")
  }

  /// Binds SQL NULL.
  func bindNull(at index: Int32) throws(SQLiteError) {
    try check(sqlite3_bind_null(handle, index), "bind parameter \(index)")
  }

  /// Binds an optional integer: NULL when nil.
  func bind(_ value: Int64?, at index: Int32) throws(SQLiteError) {
    if let value { try bind(value, at: index) } else { try bindNull(at: index) }
  }

  /// Binds optional text: NULL when nil.
  func bind(_ value: String?, at index: Int32) throws(SQLiteError) {
    if let value { try bind(value, at: index) } else { try bindNull(at: index) }
  }

  // MARK: Stepping

  /// Advances to the next row: true when a row is available, false when the statement is done.
  func step() throws(SQLiteError) -> Bool {
    let result = sqlite3_step(handle)
    switch result {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default: throw SQLiteError(result, "step \(Self.abbreviated(sql))", database: database)
    }
  }

  /// Steps a statement that must return no row (INSERT, UPDATE, DDL).
  func run() throws(SQLiteError) {
    if try step() {
      throw SQLiteError(message: "\(Self.abbreviated(sql)) returned a row; none was expected")
    }
  }

  /// Resets the statement for the next use and clears its bindings, so a reused statement never
  /// carries a previous call's values. The result of `sqlite3_reset` repeats the last step's
  /// error, which `step` already reported, so it is deliberately not rethrown here.
  func reset() {
    _ = sqlite3_reset(handle)
    _ = sqlite3_clear_bindings(handle)
  }

  // MARK: Columns

  /// The number of columns in a result row.
  var columnCount: Int32 { sqlite3_column_count(handle) }

  /// Whether column `index` (from 0) of the current row is NULL.
  func isNull(at index: Int32) -> Bool {
    sqlite3_column_type(handle, index) == SQLITE_NULL
  }

  /// Whether column `index` of the current row holds an INTEGER.
  func isInteger(at index: Int32) -> Bool {
    sqlite3_column_type(handle, index) == SQLITE_INTEGER
  }

  /// Column `index` as an integer; throws when it is not an INTEGER (NULL included), so a
  /// corrupt row surfaces as an error rather than a silent zero.
  func int64(at index: Int32) throws(SQLiteError) -> Int64 {
    try expect(SQLITE_INTEGER, "INTEGER", at: index)
    return sqlite3_column_int64(handle, index)
  }

  /// Column `index` as a boolean stored as 0 or 1; any other value is an error.
  func bool(at index: Int32) throws(SQLiteError) -> Bool {
    switch try int64(at: index) {
    case 0: return false
    case 1: return true
    case let other:
      throw SQLiteError(
        code: SQLITE_MISMATCH, message: "column \(columnName(index)) holds \(other), not 0 or 1")
    }
  }

  /// Column `index` as text; throws when it is not TEXT (NULL included).
  func text(at index: Int32) throws(SQLiteError) -> String {
    try expect(SQLITE_TEXT, "TEXT", at: index)
    // Read the pointer before the byte count, as SQLite documents for text columns.
    guard let bytes = sqlite3_column_text(handle, index) else {
      throw SQLiteError(SQLITE_NOMEM, "read column \(columnName(index))", database: database)
    }
    let count = Int(sqlite3_column_bytes(handle, index))
    let buffer = UnsafeBufferPointer(start: bytes, count: count)
    return String(decoding: buffer, as: UTF8.self)
  }

  private func expect(_ type: Int32, _ typeName: String, at index: Int32) throws(SQLiteError) {
    let actual = sqlite3_column_type(handle, index)
    guard actual == type else {
      throw SQLiteError(
        code: SQLITE_MISMATCH,
        message: "column \(columnName(index)) has storage class \(actual), expected \(typeName)")
    }
  }

  private func columnName(_ index: Int32) -> String {
    guard let name = sqlite3_column_name(handle, index) else { return "#\(index)" }
    return String(cString: name)
  }

  /// `operation` is an autoclosure: the message is built only on failure, never on the hot
  /// path of every bind.
  private func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(SQLiteError) {
    guard result == SQLITE_OK else {
      throw SQLiteError(result, "\(operation()) of \(Self.abbreviated(sql))", database: database)
    }
  }

  /// The first line of `sql`, shortened, so error messages name the statement without a wall of text.
  static func abbreviated(_ sql: String) -> String {
    let firstLine = sql.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? sql
    let trimmed = firstLine.trimmingPrefixSpaces()
    return trimmed.count <= 80 ? trimmed : String(trimmed.prefix(77)) + "..."
  }
}

extension String {
  fileprivate func trimmingPrefixSpaces() -> String {
    String(drop(while: { $0 == " " }))
  }
}
