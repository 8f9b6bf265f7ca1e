import LedgerApplication
import LedgerDomain
import Testing

/// The `AccountRepository` contract, run against every adapter.
@Suite struct AccountRepositoryContractTests {
  @Test(arguments: AdapterKind.allCases)
  func insertedAccountsReadBackEqual(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let accounts = [
        try Fixtures.account(
          "alice", currency: .usd, noOverdraft: true, label: "Alice's wallet ✓", createdAt: 11),
        try Fixtures.account("bob", currency: .eur, noOverdraft: false, label: "", createdAt: -5),
        try Fixtures.account("carol", currency: .jpy, createdAt: Int64.max),
      ]
      try await store.write { context in
        for account in accounts { try context.accounts.insert(account) }
      }
      let read = try await store.read { context in
        try context.accounts.accounts(withIDs: accounts.map(\.id))
      }
      #expect(read == Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) }))
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func withIDsOmitsMissingIDsAndIgnoresDuplicates(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let alice = try Fixtures.account("alice")
      let bob = try Fixtures.account("bob")
      try await store.write { context in
        try context.accounts.insert(alice)
        try context.accounts.insert(bob)
      }
      let ids = try ["alice", "nobody", "alice", "bob", "ghost"].map(Fixtures.accountID)
      let read = try await store.read { try $0.accounts.accounts(withIDs: ids) }
      #expect(read == [alice.id: alice, bob.id: bob])
      let none = try await store.read { try $0.accounts.accounts(withIDs: []) }
      #expect(none.isEmpty)
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func withIDsHandlesMoreThanAThousandIDs(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let accounts = try (0..<1_234).map {
        try Fixtures.account("acct-\($0)", createdAt: Int64($0))
      }
      try await store.write { context in
        for account in accounts { try context.accounts.insert(account) }
      }
      let missing = try (0..<20).map { try Fixtures.accountID("missing-\($0)") }
      let read = try await store.read { context in
        try context.accounts.accounts(withIDs: accounts.map(\.id).reversed() + missing)
      }
      #expect(read.count == accounts.count)
      #expect(read == Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) }))
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func updatesPersistPostedTotalsStatusAndVersion(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let alice = try Fixtures.account("alice", noOverdraft: true, label: "kept")
      let bob = try Fixtures.account("bob")
      try await store.write { context in
        try context.accounts.insert(alice)
        try context.accounts.insert(bob)
      }
      let amount = try Amount(minorUnits: 250)
      let credited = try alice.credited(by: amount)
      let debited = try bob.debited(by: amount)
      try await store.write { try $0.accounts.update([credited, debited]) }
      let closing = try debited.credited(by: amount).closed()
      try await store.write { try $0.accounts.update([closing]) }

      let read = try await store.read { try $0.accounts.accounts(withIDs: [alice.id, bob.id]) }
      #expect(read[alice.id] == credited)
      #expect(read[alice.id]?.version == 2)
      #expect(read[alice.id]?.balance == 250)
      #expect(read[alice.id]?.label == "kept")
      #expect(read[bob.id] == closing)
      #expect(read[bob.id]?.status == .closed)
      #expect(read[bob.id]?.version == 4)
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func insertingAnExistingIDThrowsStorageErrorAndKeepsTheFirst(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let first = try Fixtures.account("alice", label: "first")
      try await store.write { try $0.accounts.insert(first) }
      await #expect(throws: StorageError.self) {
        try await store.write { try $0.accounts.insert(Fixtures.account("alice", label: "second")) }
      }
      let read = try await store.read { try $0.accounts.accounts(withIDs: [first.id]) }
      #expect(read[first.id] == first)
    }
  }

  /// Ids chosen so byte order differs from case-insensitive and numeric order.
  private static let listedIDs = ["b", "A", "_z", "a", "0", "-dash", "Z9", "a-1", "a_1", "10", "9"]

  private func storeListFixtures(_ store: any UnitOfWork) async throws -> [Account] {
    let currencies: [Currency] = [.usd, .eur, .usd, .gbp]
    var accounts: [Account] = []
    for (index, id) in Self.listedIDs.enumerated() {
      var account = try Fixtures.account(id, currency: currencies[index % currencies.count])
      if index % 3 == 0 { account = try account.closed() }
      accounts.append(account)
    }
    let toStore = accounts
    try await store.write { context in
      for account in toStore { try context.accounts.insert(account) }
    }
    return accounts
  }

  @Test(arguments: AdapterKind.allCases)
  func listPagesThroughAccountsInByteOrderOfIDs(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let accounts = try await storeListFixtures(store)
      let expected = accounts.sorted { $0.id < $1.id }
      #expect(
        expected.map(\.id.rawValue) == [
          "-dash", "0", "10", "9", "A", "Z9", "_z", "a", "a-1", "a_1", "b",
        ])

      var pages: [[Account]] = []
      var cursor: AccountID? = nil
      while true {
        let query = AccountQuery(afterID: cursor, limit: 4)
        let page = try await store.read { try $0.accounts.list(query) }
        if page.isEmpty { break }
        pages.append(page)
        cursor = page.last?.id
      }
      #expect(pages.map(\.count) == [4, 4, 3])
      #expect(pages.flatMap { $0 } == expected)

      let all = try await store.read { try $0.accounts.list(AccountQuery(limit: 1_000)) }
      #expect(all == expected)
      let none = try await store.read { try $0.accounts.list(AccountQuery(limit: 0)) }
      #expect(none.isEmpty)
      let afterAnAbsentID = try await store.read { context in
        try context.accounts.list(AccountQuery(afterID: Fixtures.accountID("a0"), limit: 2))
      }
      #expect(afterAnAbsentID.map(\.id.rawValue) == ["a_1", "b"])
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func listFiltersByCurrencyAndStatus(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let accounts = try await storeListFixtures(store).sorted { $0.id < $1.id }
      for currency in [Currency.usd, .eur, .gbp, .jpy] {
        for status in [nil, AccountStatus.open, .closed] {
          let query = AccountQuery(limit: 1_000, currency: currency, status: status)
          let listed = try await store.read { try $0.accounts.list(query) }
          let expected = accounts.filter {
            $0.currency == currency && (status == nil || $0.status == status)
          }
          #expect(listed == expected, "currency \(currency), status \(String(describing: status))")
        }
      }
      let closed = try await store.read {
        try $0.accounts.list(AccountQuery(limit: 1_000, status: .closed))
      }
      #expect(closed == accounts.filter { $0.status == .closed })
      #expect(!closed.isEmpty)

      // The cursor and the filters combine: page two of the open USD accounts.
      let openUSD = accounts.filter { $0.currency == .usd && $0.status == .open }
      let secondPage = try await store.read { context in
        try context.accounts.list(
          AccountQuery(afterID: openUSD[0].id, limit: 1, currency: .usd, status: .open))
      }
      #expect(secondPage == [openUSD[1]])
    }
  }
}
