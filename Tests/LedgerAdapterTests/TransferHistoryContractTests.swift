import LedgerApplication
import LedgerDomain
import Testing

/// Account histories longer than one page and than the SQLite adapter's mark spacing, written
/// the ways the write path and other callers write them, must list exactly what a filter over
/// all transfers gives, from every cursor, with every page size.
@Suite struct TransferHistoryContractTests {
  private static let accountNames = ["a", "b", "c", "d", "e"]

  /// 300 transfers among five accounts, in 12 transactions of 25; account `a` is a side of 212,
  /// the others of 85 to 123. Transactions alternate between the write path's shape (read the accounts,
  /// insert, update them), inserting alone, and updating before inserting.
  private func storeHistory(_ store: any UnitOfWork) async throws -> [Transfer] {
    let accounts = try Self.accountNames.map { try Fixtures.account($0) }
    try await store.write { context in
      for account in accounts { try context.accounts.insert(account) }
    }
    var transfers: [Transfer] = []
    for sequence in Int64(1)...300 {
      // A fixed scramble of the sequence (Knuth's multiplicative hash), so runs repeat.
      let mix = Int(((UInt64(sequence) &* 2_654_435_761) >> 8) % 10_007)
      let debit = mix % 2 == 0 ? "a" : Self.accountNames[1 + (mix / 2) % 4]
      var credit = Self.accountNames[(mix / 8) % 5]
      if credit == debit { credit = debit == "a" ? "b" : "a" }
      transfers.append(try Fixtures.transfer("h\(sequence)", from: debit, to: credit, sequence: sequence))
    }
    for (index, start) in stride(from: 0, to: transfers.count, by: 25).enumerated() {
      let batch = Array(transfers[start..<start + 25])
      let ids = try Self.accountNames.map { try AccountID($0) }
      try await store.write { context in
        switch index % 3 {
        case 0:
          let stored = try context.accounts.accounts(withIDs: ids)
          try context.transfers.insert(batch)
          try context.accounts.update(ids.compactMap { stored[$0]?.bumped() })
        case 1:
          try context.transfers.insert(batch)
        default:
          let stored = try context.accounts.accounts(withIDs: ids)
          try context.accounts.update(ids.compactMap { stored[$0]?.bumped() })
          try context.transfers.insert(batch)
        }
      }
    }
    return transfers
  }

  @Test(arguments: AdapterKind.allCases)
  func everyCursorAndPageSizeListsWhatAFilterGives(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let history = try await storeHistory(store)
      for name in Self.accountNames {
        let account = try AccountID(name)
        let expected = history.filter { $0.touches(account) }
        let all = try await store.read { try $0.transfers.list(TransferQuery(accountID: account, limit: 1_000)) }
        #expect(all == expected, "account \(name)")
        // Every cursor: the sequences just before, at and after each of the account's transfers.
        for cursor in Set(expected.flatMap { [$0.sequence - 1, $0.sequence, $0.sequence + 1] }).sorted() {
          for limit in [1, 7, 33] {
            let query = TransferQuery(accountID: account, afterSequence: cursor, limit: limit)
            let page = try await store.read { try $0.transfers.list(query) }
            #expect(
              page == Array(expected.filter { $0.sequence > cursor }.prefix(limit)),
              "account \(name) after \(cursor) limit \(limit)")
          }
        }
      }
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func timeRangesAcrossALongHistory(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let history = try await storeHistory(store)
      let account = try AccountID("a")
      for (from, to) in [(1_000, 300_000), (37_000, 38_000), (40_000, 250_000), (299_000, 301_000)] {
        let range = (Timestamp(nanosecondsSinceEpoch: Int64(from)), Timestamp(nanosecondsSinceEpoch: Int64(to)))
        let expected = history.filter { $0.touches(account) && $0.createdAt >= range.0 && $0.createdAt < range.1 }
        for afterSequence in [Int64(0), 100, 299] {
          let query = TransferQuery(
            accountID: account, afterSequence: afterSequence, fromTime: range.0, toTime: range.1, limit: 20)
          let page = try await store.read { try $0.transfers.list(query) }
          #expect(page == Array(expected.filter { $0.sequence > afterSequence }.prefix(20)), "\(from)..<\(to)")
        }
      }
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func insertingOutOfCommitOrderThrowsAndChangesNothing(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let accounts = try ["a", "b", "c"].map { try Fixtures.account($0) }
      try await store.write { context in
        for account in accounts { try context.accounts.insert(account) }
      }
      let stored = try Fixtures.transfer("t5", from: "a", to: "b", sequence: 5)
      try await store.write { try $0.transfers.insert([stored]) }

      // Sequence 3 is below account a's latest (5): refused, even though 3 itself is free.
      let late = try Fixtures.transfer("t3", from: "c", to: "a", sequence: 3)
      await #expect(throws: StorageError.self) { try await store.write { try $0.transfers.insert([late]) } }
      // Within one call, too: the second is below the first.
      let pair = [
        try Fixtures.transfer("t9", from: "b", to: "c", sequence: 9),
        try Fixtures.transfer("t8", from: "c", to: "b", sequence: 8),
      ]
      await #expect(throws: StorageError.self) { try await store.write { try $0.transfers.insert(pair) } }

      let ids = try ["t3", "t8", "t9"].map(Fixtures.transferID)
      #expect(try await store.read { try $0.transfers.transfers(withIDs: ids) }.isEmpty)
      let a = try AccountID("a")
      #expect(try await store.read { try $0.transfers.list(TransferQuery(accountID: a, limit: 10)) } == [stored])
      // A sequence after both accounts' latest is accepted.
      let next = try Fixtures.transfer("t6", from: "c", to: "b", sequence: 6)
      try await store.write { try $0.transfers.insert([next]) }
      #expect(try await store.read { try $0.transfers.lastSequence() } == 6)
    }
  }
}

extension Account {
  /// The same account one version later (an update that changes a stored column).
  fileprivate func bumped() -> Account {
    (try? Account(
      id: id, currency: currency, debitsPosted: debitsPosted, creditsPosted: creditsPosted,
      noOverdraft: noOverdraft, status: status, version: version + 1, createdAt: createdAt, label: label))
      ?? self
  }
}
