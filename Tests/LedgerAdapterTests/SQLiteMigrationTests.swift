import LedgerApplication
import LedgerDomain
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

/// Version 2 turned the per-account indexes into chains; a version 1 database with transfers
/// must list the same afterwards and keep chaining new transfers onto what it had.
@Suite struct SQLiteHistoryMigrationTests {
  @Test func aVersionOneDatabaseListsTheSameAfterMigratingAndKeepsChaining() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("ledger.sqlite")
    // 100 transfers between a, b and c at version 1: a is a side of every one, b of 2 in 3.
    let connection = try SQLiteConnection(path: path, readOnly: false, create: true)
    try Migrator([LedgerSchema.migrations[0]]).migrate(connection)
    var transfers: [Transfer] = []
    for sequence in Int64(1)...100 {
      let (debit, credit) = sequence % 3 == 0 ? ("a", "c") : sequence % 2 == 0 ? ("a", "b") : ("b", "a")
      transfers.append(try Fixtures.transfer("old-\(sequence)", from: debit, to: credit, sequence: sequence))
    }
    try connection.transaction("BEGIN") {
      for id in ["a", "b", "c"] {
        try connection.execute(
          """
          INSERT INTO accounts (id, currency, debits_posted, credits_posted, no_overdraft, status, version, created_at, label)
          VALUES ('\(id)', 'USD', 0, 0, 0, 'open', 1, 1000, '')
          """)
      }
      for transfer in transfers {
        try connection.execute(
          """
          INSERT INTO transfers (sequence, id, debit_account_id, credit_account_id, amount, currency, reference, created_at)
          VALUES (\(transfer.sequence), '\(transfer.id.rawValue)', '\(transfer.debitAccountID.rawValue)',
            '\(transfer.creditAccountID.rawValue)', \(transfer.amount.minorUnits), 'USD', '', \(transfer.createdAt.nanosecondsSinceEpoch))
          """)
      }
    }
    connection.close()

    let store = try await SQLiteLedgerStore.open(path: path)
    let more = try (Int64(101)...140).map { sequence in
      try Fixtures.transfer("new-\(sequence)", from: sequence % 2 == 0 ? "c" : "b", to: "a", sequence: sequence)
    }
    try await store.write { try $0.transfers.insert(more) }
    for name in ["a", "b", "c"] {
      let account = try AccountID(name)
      let expected = (transfers + more).filter { $0.touches(account) }
      var listed: [Transfer] = []
      var cursor: Int64 = 0
      while true {
        let query = TransferQuery(accountID: account, afterSequence: cursor, limit: 9)
        let page = try await store.read { try $0.transfers.list(query) }
        guard let last = page.last else { break }
        listed += page
        cursor = last.sequence
      }
      #expect(listed == expected, "account \(name)")
    }
    let marks = try await store.withReadTransaction { connection in
      try connection.textColumn(
        "SELECT account_id || ':' || sequence FROM account_history_marks ORDER BY account_id, sequence", column: 0)
    }
    // a's 32nd, 64th, 96th, 128th transfers are 32, 64, 96, 128; b has 67 + 20 = 87 transfers.
    #expect(marks.filter { $0.hasPrefix("a:") } == ["a:32", "a:64", "a:96", "a:128"])
    #expect(marks.filter { $0.hasPrefix("b:") }.count == 2)
    await store.close()
  }
}
