import LedgerApplication
import LedgerDomain
import Testing

/// The `TransferRepository` contract, run against every adapter.
@Suite struct TransferRepositoryContractTests {
  /// Opens accounts `a`, `b`, `c` and `d` in USD.
  private func openAccounts(_ store: any UnitOfWork) async throws {
    let accounts = try ["a", "b", "c", "d"].map { try Fixtures.account($0) }
    try await store.write { context in
      for account in accounts { try context.accounts.insert(account) }
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func insertedTransfersReadBackEqual(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      try await openAccounts(store)
      let transfers = [
        try Fixtures.transfer(
          "t1", from: "a", to: "b", amount: 1, reference: "rent ✓", sequence: 1, createdAt: -7),
        try Fixtures.transfer("t2", from: "b", to: "c", amount: Int64.max, sequence: 2),
      ]
      try await store.write { try $0.transfers.insert(transfers) }
      let ids = try ["t1", "t2", "missing", "t1"].map(Fixtures.transferID)
      let read = try await store.read { try $0.transfers.transfers(withIDs: ids) }
      #expect(read == Dictionary(uniqueKeysWithValues: transfers.map { ($0.id, $0) }))
      let none = try await store.read { try $0.transfers.transfers(withIDs: []) }
      #expect(none.isEmpty)
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func withIDsHandlesMoreThanAThousandIDs(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      try await openAccounts(store)
      let transfers = try (1...1_100).map { index in
        try Fixtures.transfer(
          "t-\(index)", from: index.isMultiple(of: 2) ? "a" : "b", to: "c", sequence: Int64(index))
      }
      try await store.write { try $0.transfers.insert(transfers) }
      let missing = try (0..<30).map { try Fixtures.transferID("nope-\($0)") }
      let read = try await store.read { context in
        try context.transfers.transfers(withIDs: missing + transfers.map(\.id))
      }
      #expect(read == Dictionary(uniqueKeysWithValues: transfers.map { ($0.id, $0) }))
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func insertingAnExistingIDThrowsStorageError(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      try await openAccounts(store)
      let first = try Fixtures.transfer("t1", from: "a", to: "b", sequence: 1)
      try await store.write { try $0.transfers.insert([first]) }
      await #expect(throws: StorageError.self) {
        try await store.write {
          try $0.transfers.insert([Fixtures.transfer("t1", from: "c", to: "d", sequence: 2)])
        }
      }
      let read = try await store.read { try $0.transfers.transfers(withIDs: [first.id]) }
      #expect(read == [first.id: first])
      #expect(try await store.read { try $0.transfers.lastSequence() } == 1)
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func lastSequenceIsZeroWhenEmptyThenTheHighest(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      try await openAccounts(store)
      #expect(try await store.read { try $0.transfers.lastSequence() } == 0)
      try await store.write { context in
        #expect(try context.transfers.lastSequence() == 0)
        try context.transfers.insert([
          Fixtures.transfer("t1", from: "a", to: "b", sequence: 1),
          Fixtures.transfer("t2", from: "a", to: "b", sequence: 2),
        ])
        // A write sees its own inserts.
        #expect(try context.transfers.lastSequence() == 2)
      }
      try await store.write {
        try $0.transfers.insert([Fixtures.transfer("t3", from: "b", to: "a", sequence: 3)])
      }
      #expect(try await store.read { try $0.transfers.lastSequence() } == 3)
    }
  }

  /// Sequences 1 ... 40, created 1,000 ns apart; account `a` is debited on multiples of 3,
  /// credited on multiples of 5, and untouched otherwise.
  private func storeHistory(_ store: any UnitOfWork) async throws -> [Transfer] {
    try await openAccounts(store)
    let transfers = try (1...40).map { (index: Int) -> Transfer in
      let (debit, credit) =
        index.isMultiple(of: 3)
        ? ("a", index.isMultiple(of: 5) ? "b" : "c")
        : index.isMultiple(of: 5) ? ("d", "a") : ("b", "d")
      return try Fixtures.transfer("h\(index)", from: debit, to: credit, sequence: Int64(index))
    }
    // In two transactions, so a page spans what two commits stored.
    try await store.write { try $0.transfers.insert(Array(transfers[..<20])) }
    try await store.write { try $0.transfers.insert(Array(transfers[20...])) }
    return transfers
  }

  @Test(arguments: AdapterKind.allCases)
  func listReturnsBothSidesInSequenceOrderAndPagesWithTheCursor(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let history = try await storeHistory(store)
      let accountA = try Fixtures.accountID("a")
      let expected = history.filter { $0.touches(accountA) }
      #expect(
        expected.map(\.sequence) == [
          3, 5, 6, 9, 10, 12, 15, 18, 20, 21, 24, 25, 27, 30, 33, 35, 36, 39, 40,
        ])

      let all = try await store.read {
        try $0.transfers.list(TransferQuery(accountID: accountA, limit: 1_000))
      }
      #expect(all == expected)

      var pages: [[Transfer]] = []
      var cursor: Int64 = 0
      while true {
        let query = TransferQuery(accountID: accountA, afterSequence: cursor, limit: 7)
        let page = try await store.read { try $0.transfers.list(query) }
        if page.isEmpty { break }
        pages.append(page)
        cursor = page.last?.sequence ?? cursor
      }
      #expect(pages.map(\.count) == [7, 7, 5])
      #expect(pages.flatMap { $0 } == expected)

      let none = try await store.read {
        try $0.transfers.list(TransferQuery(accountID: accountA, limit: 0))
      }
      #expect(none.isEmpty)
      let stranger = try Fixtures.accountID("stranger")
      let unknown = try await store.read {
        try $0.transfers.list(TransferQuery(accountID: stranger, limit: 10))
      }
      #expect(unknown.isEmpty)
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func listFiltersByTimeRangeFromInclusiveToExclusive(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let history = try await storeHistory(store)
      let accountA = try Fixtures.accountID("a")
      let from = Timestamp(nanosecondsSinceEpoch: 10_000)  // sequence 10 exactly
      let to = Timestamp(nanosecondsSinceEpoch: 30_000)  // sequence 30 exactly, excluded
      let inRange = history.filter {
        $0.touches(accountA) && $0.createdAt >= from && $0.createdAt < to
      }
      #expect(inRange.map(\.sequence) == [10, 12, 15, 18, 20, 21, 24, 25, 27])

      let ranged = TransferQuery(accountID: accountA, fromTime: from, toTime: to, limit: 100)
      #expect(try await store.read { try $0.transfers.list(ranged) } == inRange)

      let fromOnly = TransferQuery(accountID: accountA, fromTime: from, limit: 100)
      #expect(
        try await store.read { try $0.transfers.list(fromOnly) }
          == history.filter { $0.touches(accountA) && $0.createdAt >= from })
      let toOnly = TransferQuery(accountID: accountA, toTime: to, limit: 100)
      #expect(
        try await store.read { try $0.transfers.list(toOnly) }
          == history.filter { $0.touches(accountA) && $0.createdAt < to })

      // Cursor, range and limit together.
      let page = TransferQuery(
        accountID: accountA, afterSequence: 15, fromTime: from, toTime: to, limit: 3)
      #expect(try await store.read { try $0.transfers.list(page) }.map(\.sequence) == [18, 20, 21])
    }
  }
}
