import LedgerApplication
import LedgerDomain
import Testing

@testable import LedgerSQLite

/// Behaviour only the SQLite adapter has: durability across reopen, corrupt rows, constraints.
@Suite struct SQLiteAdapterTests {
  @Test func dataSurvivesCloseAndReopen() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("ledger.sqlite")
    let alice = try Fixtures.account("alice", label: "durable")
    let bob = try Fixtures.account("bob")
    let transfer = try Fixtures.transfer("t1", from: "alice", to: "bob", amount: 7, sequence: 1)
    let amount = try Amount(minorUnits: 7)

    let first = try await SQLiteLedgerStore.open(path: path)
    try await first.write { context in
      try context.accounts.insert(alice)
      try context.accounts.insert(bob)
      try context.transfers.insert([transfer])
      try context.accounts.update([alice.debited(by: amount), bob.credited(by: amount)])
    }
    await first.close()

    let second = try await SQLiteLedgerStore.open(path: path)
    let (accounts, transfers, lastSequence) = try await second.read { context in
      (
        try context.accounts.accounts(withIDs: [alice.id, bob.id]),
        try context.transfers.transfers(withIDs: [transfer.id]),
        try context.transfers.lastSequence()
      )
    }
    await second.close()
    #expect(
      accounts == [alice.id: try alice.debited(by: amount), bob.id: try bob.credited(by: amount)])
    #expect(transfers == [transfer.id: transfer])
    #expect(lastSequence == 1)
  }

  @Test(arguments: [
    ("currency", "'ZZZ'"), ("id", "'has space'"), ("label", "printf('%.300c', 'x')"),
    ("version", "0"),
  ])
  func aCorruptAccountRowSurfacesAsStorageError(column: String, value: String) async throws {
    try await withSQLiteStore { store, _ in
      try await store.write { try $0.accounts.insert(Fixtures.account("victim")) }
      try await store.withWriteTransaction { connection in
        try connection.execute("UPDATE accounts SET \(column) = \(value)")
      }
      if column != "id" {  // a rewritten id no longer matches the lookup; `list` still finds it
        let victim = try Fixtures.accountID("victim")
        let byID = await #expect(throws: StorageError.self) {
          try await store.read { try $0.accounts.accounts(withIDs: [victim]) }
        }
        #expect(
          byID?.message.contains("corrupt row in accounts (id 'victim')") == true,
          "\(String(describing: byID))")
      }
      let listed = await #expect(throws: StorageError.self) {
        try await store.read { try $0.accounts.list(AccountQuery(limit: 10)) }
      }
      #expect(
        listed?.message.contains("corrupt row in accounts") == true, "\(String(describing: listed))"
      )
    }
  }

  @Test func aCorruptTransferRowSurfacesAsStorageError() async throws {
    try await withSQLiteStore { store, _ in
      try await store.write { context in
        try context.accounts.insert(Fixtures.account("a"))
        try context.accounts.insert(Fixtures.account("b"))
        try context.transfers.insert([Fixtures.transfer("t1", from: "a", to: "b", sequence: 1)])
      }
      try await store.withWriteTransaction { connection in
        try connection.execute("UPDATE transfers SET currency = 'usd'")
      }
      let error = await #expect(throws: StorageError.self) {
        try await store.read {
          try $0.transfers.list(TransferQuery(accountID: Fixtures.accountID("a"), limit: 10))
        }
      }
      #expect(error?.message.contains("corrupt row in transfers (sequence 1)") == true)
      await #expect(throws: StorageError.self) {
        try await store.read { try $0.transfers.transfers(withIDs: [Fixtures.transferID("t1")]) }
      }
    }
  }

  @Test func aTransferNamingAnUnknownAccountIsRefused() async throws {
    try await withSQLiteStore { store, _ in
      try await store.write { try $0.accounts.insert(Fixtures.account("a")) }
      let error = await #expect(throws: StorageError.self) {
        try await store.write {
          try $0.transfers.insert([Fixtures.transfer("t1", from: "a", to: "ghost", sequence: 1)])
        }
      }
      #expect(error?.message.contains("FOREIGN KEY") == true)
    }
  }

  @Test func updatingAMissingAccountThrowsStorageError() async throws {
    try await withSQLiteStore { store, _ in
      let error = await #expect(throws: StorageError.self) {
        try await store.write { try $0.accounts.update([Fixtures.account("ghost")]) }
      }
      #expect(error?.message.contains("ghost") == true)
    }
  }

  @Test func aContextUsedAfterItsTransactionThrows() async throws {
    try await withSQLiteStore { store, _ in
      try await store.withWriteTransaction { connection in
        let scope = TransactionScope(connection: connection)
        let context = SQLiteRepositoryContext(scope: scope)
        let lastSequence = try context.transfers.lastSequence()
        #expect(lastSequence == 0)
        scope.end()
        #expect(throws: StorageError.self) { try context.transfers.lastSequence() }
      }
    }
  }

  @Test func hotPathStatementsArePreparedOnceAndReused() async throws {
    try await withSQLiteStore { store, _ in
      try await store.write { context in
        for index in 0..<3 { try context.accounts.insert(Fixtures.account("a\(index)")) }
      }
      // Prepares per round of the group-commit path: the first round prepares, later ones reuse.
      let preparesPerRound = try await store.withWriteTransaction { connection in
        let context = SQLiteRepositoryContext(scope: TransactionScope(connection: connection))
        let ids = try (0..<3).map { try Fixtures.accountID("a\($0)") }
        var prepares: [Int] = []
        for sequence in 1...20 {
          let before = connection.preparedStatementCount
          let accounts = try context.accounts.accounts(withIDs: ids)
          _ = try context.transfers.transfers(withIDs: [Fixtures.transferID("t\(sequence)")])
          let transfer = try Fixtures.transfer(
            "t\(sequence)", from: "a0", to: "a1", sequence: Int64(sequence))
          _ = try context.transfers.lastSequence()
          try context.transfers.insert([transfer])
          try context.accounts.update(Array(accounts.values))
          prepares.append(connection.preparedStatementCount - before)
        }
        return prepares
      }
      #expect(preparesPerRound.first == 5)
      #expect(preparesPerRound.dropFirst().allSatisfy { $0 == 0 })
    }
  }
}
