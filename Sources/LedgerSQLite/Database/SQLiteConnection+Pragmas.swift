/// What a connection is for, which decides its PRAGMAs.
enum ConnectionRole: Sendable {
  /// The single connection that writes.
  case writer
  /// A connection that only reads snapshots (`PRAGMA query_only`).
  case reader
  /// The connection that runs background WAL checkpoints and nothing else.
  case checkpointer
}

extension SQLiteConnection {
  /// Applies the PRAGMAs every connection of the store runs with, and checks the ones that
  /// report their outcome:
  /// - `journal_mode=WAL`: readers read a snapshot while the writer writes (persistent in the file);
  /// - `synchronous=FULL`: a commit returns only after the WAL is synced, so an acknowledged
  ///   transfer survives power loss (`NORMAL` would only survive a process crash); on the
  ///   checkpointer it makes each checkpoint sync the database file before the WAL may be reused;
  /// - `foreign_keys=ON`: transfers reference existing accounts (off by default, per connection);
  /// - `busy_timeout`: wait for a lock (e.g. a checkpoint) instead of failing at once;
  /// - `cache_size=-N` when `cacheKibibytes` is given: the page cache holds up to N KiB (SQLite
  ///   allocates pages as it needs them, so this is a bound, not an allocation);
  /// - `query_only=ON` on readers: a read transaction cannot write, even by mistake.
  func applyPragmas(
    role: ConnectionRole, busyTimeoutMilliseconds: Int32, cacheKibibytes: Int?
  ) throws(SQLiteError) {
    try setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
    if role == .writer {
      let mode = try scalarText("PRAGMA journal_mode=WAL")
      guard mode.lowercased() == "wal" else {
        throw SQLiteError(message: "journal_mode WAL was refused for \(path) (got \(mode))")
      }
    }
    try execute("PRAGMA synchronous=FULL")
    if let cacheKibibytes {
      precondition(cacheKibibytes > 0, "cacheKibibytes \(cacheKibibytes) <= 0")
      // A negative cache_size is a size in KiB; a positive one would count pages.
      try execute("PRAGMA cache_size=-\(cacheKibibytes)")
    }
    if role != .checkpointer {
      try execute("PRAGMA foreign_keys=ON")
    }
    if role == .reader {
      try execute("PRAGMA query_only=ON")
    }
  }
}
