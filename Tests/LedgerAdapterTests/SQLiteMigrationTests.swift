import LedgerApplication
import Testing

@testable import LedgerSQLite

/// Migrations: versioned, idempotent, atomic, and a newer database is refused.
@Suite struct SQLiteMigrationTests {
  private static let first = Migration(
    version: 1, name: "one", sql: "CREATE TABLE one (x INTEGER) STRICT")
  private static let second = Migration(
    version: 2, name: "two",
    sql: "CREATE TABLE two (y INTEGER) STRICT; CREATE INDEX two_y ON two (y)")

  private func appliedVersions(_ connection: SQLiteConnection) throws -> [Int64] {
    try connection.withStatement("SELECT version FROM schema_migrations ORDER BY version") {
      statement throws(SQLiteError) in
      var versions: [Int64] = []
      while try statement.step() { versions.append(try statement.int64(at: 0)) }
      return versions
    }
  }

  private func tableExists(_ name: String, _ connection: SQLiteConnection) throws -> Bool {
    try connection.withStatement(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1"
    ) {
      statement throws(SQLiteError) in
      try statement.bind(name, at: 1)
      _ = try statement.step()
      return try statement.int64(at: 0) == 1
    }
  }

  @Test func appliesPendingMigrationsInOrderAndRerunningIsANoOp() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let connection = try SQLiteConnection(
      path: directory.file("m.sqlite"), readOnly: false, create: true)

    #expect(try Migrator([Self.first]).migrate(connection) == [1])
    #expect(try Migrator([Self.first, Self.second]).migrate(connection) == [2])
    #expect(try Migrator([Self.first, Self.second]).migrate(connection) == [])
    #expect(try appliedVersions(connection) == [1, 2])
    #expect(try tableExists("two", connection))
  }

  @Test func aFailingMigrationLeavesThePreviousVersion() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let connection = try SQLiteConnection(
      path: directory.file("m.sqlite"), readOnly: false, create: true)
    let broken = Migration(
      version: 2, name: "broken",
      sql: "CREATE TABLE half (z INTEGER) STRICT; CREATE TABLE one (x INTEGER)")

    #expect(throws: SQLiteError.self) { try Migrator([Self.first, broken]).migrate(connection) }
    #expect(try appliedVersions(connection) == [1])
    #expect(
      try !tableExists("half", connection), "the failed migration's first statement was rolled back"
    )
    #expect(try !connection.isInTransaction())
  }

  @Test func aNewerDatabaseIsRefusedWithoutChangingIt() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let connection = try SQLiteConnection(
      path: directory.file("m.sqlite"), readOnly: false, create: true)
    try Migrator([Self.first, Self.second]).migrate(connection)

    let error = #expect(throws: SQLiteError.self) { try Migrator([Self.first]).migrate(connection) }
    #expect(
      error?.message.contains("schema version 2, newer than the newest this build knows (1)")
        == true)
    #expect(try appliedVersions(connection) == [1, 2])
  }

  @Test func theLedgerStoreRecordsItsSchemaVersionOnceAcrossReopens() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("ledger.sqlite")
    for _ in 0..<2 {
      let store = try await SQLiteLedgerStore.open(path: path)
      let versions = try await store.withReadTransaction { try appliedVersions($0) }
      #expect(versions == LedgerSchema.migrations.map(\.version))
      await store.close()
    }
  }

  @Test func theLedgerStoreRefusesANewerDatabase() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("ledger.sqlite")
    let store = try await SQLiteLedgerStore.open(path: path)
    let future = LedgerSchema.migrator.latestVersion + 1
    try await store.withWriteTransaction { connection in
      try connection.execute(
        "INSERT INTO schema_migrations (version, name) VALUES (\(future), 'from the future')")
    }
    await store.close()

    let error = await #expect(throws: StorageError.self) {
      try await SQLiteLedgerStore.open(path: path)
    }
    #expect(error?.message.contains("schema version \(future), newer than") == true)
  }
}
