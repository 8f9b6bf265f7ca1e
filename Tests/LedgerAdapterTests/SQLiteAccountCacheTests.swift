import LedgerApplication
import LedgerDomain
import Testing

@testable import LedgerSQLite

/// The writer's account row cache serves hot accounts without a lookup, and never serves a row
/// that differs from the stored one: not after another connection writes, not after a rollback,
/// not after a raw write.
@Suite struct SQLiteAccountCacheTests {
  private static let names = ["a", "b", "c"]

  private func openAccounts(_ store: SQLiteLedgerStore) async throws {
    let accounts = try Self.names.map { try Fixtures.account($0) }
    try await store.write { context in
      for account in accounts { try context.accounts.insert(account) }
    }
  }

  /// The accounts as the writer sees them, through the repository (and so the cache).
  private func writerView(_ store: SQLiteLedgerStore) async throws -> [AccountID: Account] {
    let ids = try Self.names.map { try AccountID($0) }
    return try await store.write { try $0.accounts.accounts(withIDs: ids) }
  }

  /// Every account row as stored, history columns included, read on a reader connection.
  private func storedRows(_ store: SQLiteLedgerStore) async throws -> [String] {
    try await store.withReadTransaction { connection in
      try connection.textColumn(
        "SELECT id || ':' || debits_posted || ':' || credits_posted || ':' || version || ':' || "
          + "last_transfer_sequence || ':' || transfer_count FROM accounts ORDER BY id", column: 0)
    }
  }

  @Test func hotAccountsComeFromTheCacheAndMatchTheStoredRows() async throws {
    try await withSQLiteStore { store, _ in
      try await openAccounts(store)
      for round in Int64(0)..<20 {
        try await store.write { context in
          var sequence = 3 * round
          let ids = try Self.names.map { try AccountID($0) }
          var accounts = try context.accounts.accounts(withIDs: ids)
          var transfers: [Transfer] = []
          for (debit, credit) in [("a", "b"), ("b", "c"), ("c", "a")] {
            sequence += 1
            let transfer = try Fixtures.transfer("t\(sequence)", from: debit, to: credit, amount: 5, sequence: sequence)
            transfers.append(transfer)
            accounts[transfer.debitAccountID] = try accounts[transfer.debitAccountID]?.debited(by: transfer.amount)
            accounts[transfer.creditAccountID] = try accounts[transfer.creditAccountID]?.credited(by: transfer.amount)
          }
          try context.transfers.insert(transfers)
          try context.accounts.update(ids.compactMap { accounts[$0] })
        }
      }
      let statistics = store.accountCache.statistics
      #expect(statistics.hits >= 19 * Self.names.count, "\(statistics)")
      #expect(statistics.clears == 0, "\(statistics)")
      // What the writer serves equals what a reader reads from the file.
      let viaCache = try await writerView(store)
      let stored = try await storedRows(store)
      // a is in transfers 3k+1 and 3k+3, b in 3k+1 and 3k+2, c in 3k+2 and 3k+3: 40 each.
      let lastSequences = ["a": 60, "b": 59, "c": 60]
      var expected: [String] = []
      for name in Self.names {
        let account = try #require(viaCache[try AccountID(name)])
        expected.append(
          "\(name):\(account.debitsPosted):\(account.creditsPosted):\(account.version):\(lastSequences[name] ?? 0):40")
      }
      #expect(stored == expected)
    }
  }

  @Test func aCommitByAnotherConnectionIsSeenByTheNextWrite() async throws {
    try await withSQLiteStore { store, directory in
      try await openAccounts(store)
      _ = try await writerView(store)  // cached now

      // Another process would do this; a second connection of this one is the same to SQLite.
      let other = try SQLiteConnection(path: directory.file("ledger.sqlite"), readOnly: false, create: false)
      try other.setBusyTimeout(milliseconds: 5_000)
      try other.execute("UPDATE accounts SET debits_posted = 77, version = 9 WHERE id = 'a'")
      other.close()

      let a = try #require(try await writerView(store)[AccountID("a")])
      #expect(a.debitsPosted == 77)
      #expect(a.version == 9)
      #expect(store.accountCache.statistics.clears == 1)
    }
  }

  @Test func aWriteThatThrowsLeavesTheCacheAsStored() async throws {
    struct Abort: Error {}
    try await withSQLiteStore { store, _ in
      try await openAccounts(store)
      let before = try await writerView(store)
      await #expect(throws: Abort.self) {
        try await store.write { context in
          let a = try AccountID("a")
          guard let account = try context.accounts.accounts(withIDs: [a])[a] else { return }
          try context.accounts.update([account.debited(by: Amount(minorUnits: 5)).credited(by: Amount(minorUnits: 5)).debited(by: Amount(minorUnits: 1))])
          try context.accounts.update([try account.debited(by: Amount(minorUnits: 3))])
          throw Abort()
        }
      }
      #expect(try await writerView(store) == before)
    }
  }

  @Test func aRawWriteEmptiesTheCache() async throws {
    try await withSQLiteStore { store, _ in
      try await openAccounts(store)
      _ = try await writerView(store)
      try await store.withWriteTransaction { connection in
        try connection.execute("UPDATE accounts SET credits_posted = 12, version = 4 WHERE id = 'b'")
      }
      let b = try #require(try await writerView(store)[AccountID("b")])
      #expect(b.creditsPosted == 12)
      #expect(b.version == 4)
    }
  }

  @Test func aCapacityOfZeroTurnsItOff() async throws {
    try await withSQLiteStore(configuration: .init(writerAccountCacheRows: 0)) { store, _ in
      try await openAccounts(store)
      for _ in 0..<3 { _ = try await writerView(store) }
      #expect(store.accountCache.statistics == AccountRowCache.Statistics())
    }
  }
}
