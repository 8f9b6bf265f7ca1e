import LedgerApplication

extension StorageError {
  /// The application's storage error for an SQLite failure: SQLite's message, what the adapter
  /// was doing, and the extended result code for the log.
  init(_ error: SQLiteError) {
    self.init(message: "\(error.message) (SQLite result code \(error.extendedCode))")
  }

  /// `error` as the adapter lets it leave: an `SQLiteError` becomes a `StorageError`; anything
  /// else (a domain error thrown by the caller's closure, a `StorageError`) passes unchanged.
  static func converting(_ error: any Error) -> any Error {
    if let error = error as? SQLiteError { return StorageError(error) }
    return error
  }
}
