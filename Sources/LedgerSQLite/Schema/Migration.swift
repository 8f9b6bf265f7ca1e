import CSQLite

/// One step of the schema's history: applied once, in order, in its own transaction.
struct Migration: Sendable {
  /// Its position in the history: 1, 2, 3, ... with no gaps.
  let version: Int64
  /// A short description, stored next to the version in `schema_migrations`.
  let name: String
  /// The DDL to run, one or more statements.
  let sql: String
}

/// Brings a database up to the latest schema version, one migration per transaction.
///
/// The applied versions are rows of `schema_migrations`. Re-running is a no-op; a database whose
/// version is newer than the newest migration this build knows is refused, because this build
/// cannot know what the newer schema means (a downgrade must never write to it).
struct Migrator {
  /// The migrations, in order.
  let migrations: [Migration]

  /// Checks that the versions are 1, 2, 3, ...: anything else is a programmer error.
  init(_ migrations: [Migration]) {
    for (offset, migration) in migrations.enumerated() {
      precondition(
        migration.version == Int64(offset + 1),
        "migration \(migration.name) has version \(migration.version), expected \(offset + 1)")
    }
    self.migrations = migrations
  }

  /// The newest version this build knows (0 with no migration).
  var latestVersion: Int64 { migrations.last?.version ?? 0 }

  /// Creates `schema_migrations` if needed, refuses a newer database, then applies each
  /// pending migration in its own `BEGIN IMMEDIATE` transaction (so a failing one leaves the
  /// database at the previous version). Returns the versions it applied.
  @discardableResult
  func migrate(_ connection: SQLiteConnection) throws -> [Int64] {
    try connection.execute(
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ) STRICT
      """)
    // Refuse a newer database before touching anything.
    _ = try connection.transaction("BEGIN") { try currentVersion(connection) }
    var applied: [Int64] = []
    for migration in migrations {
      // The version is re-read inside each transaction: the write lock makes it authoritative
      // even if another process migrates the same file concurrently.
      let didApply = try connection.transaction("BEGIN IMMEDIATE") {
        let current = try currentVersion(connection)
        guard current < migration.version else { return false }
        try connection.execute(migration.sql)
        try connection.withStatement(
          "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)"
        ) { statement throws(SQLiteError) in
          try statement.bind(migration.version, at: 1)
          try statement.bind(migration.name, at: 2)
          try statement.run()
        }
        return true
      }
      if didApply { applied.append(migration.version) }
    }
    return applied
  }

  /// The highest applied version, after refusing a database newer than this build.
  private func currentVersion(_ connection: SQLiteConnection) throws(SQLiteError) -> Int64 {
    let version = try connection.withStatement(
      "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
    ) { statement throws(SQLiteError) in
      guard try statement.step() else { return Int64(0) }
      return try statement.int64(at: 0)
    }
    guard version <= latestVersion else {
      throw SQLiteError(
        code: SQLITE_ERROR,
        message: """
          the database \(connection.path) has schema version \(version), newer than the newest \
          this build knows (\(latestVersion)); refusing to open it with an older build
          """)
    }
    return version
  }
}
