import CSQLite

/// A failed SQLite call: the primary result code, the extended one, and SQLite's own message.
///
/// Internal to the adapter: the wrapper throws it with typed throws so callers can branch on
/// the code (a constraint, `SQLITE_BUSY`), and the adapter's boundary turns it into the
/// application's `StorageError` before it leaves the module.
struct SQLiteError: Error, Sendable, CustomStringConvertible {
  /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, ...); its low byte is the primary code.
  let extendedCode: Int32
  /// `sqlite3_errmsg` at the time of the failure, prefixed with what the adapter was doing.
  let message: String

  /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, ...).
  var code: Int32 { extendedCode & 0xFF }

  var description: String { "SQLite error \(extendedCode): \(message)" }

  /// An error for `resultCode` returned while doing `operation` on `database` (which may be nil
  /// when opening failed before a handle existed).
  init(_ resultCode: Int32, _ operation: String, database: OpaquePointer?) {
    extendedCode = resultCode
    let detail: String
    if let database, let text = sqlite3_errmsg(database) {
      detail = String(cString: text)
    } else if let text = sqlite3_errstr(resultCode) {
      detail = String(cString: text)
    } else {
      detail = "unknown error"
    }
    message = "\(operation): \(detail)"
  }

  /// An error the adapter raises itself (misuse, unexpected shape), with `SQLITE_MISUSE`'s code
  /// or another one that fits.
  init(code: Int32 = SQLITE_MISUSE, message: String) {
    extendedCode = code
    self.message = message
  }
}
