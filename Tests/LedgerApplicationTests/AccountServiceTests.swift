@testable import LedgerApplication
import LedgerDomain
import LedgerInMemory
import Testing

@Suite struct AccountServiceTests {
  let ledger = TestLedger()

  @Test func createsAnAccountWithTheCallersID() async throws {
    let account = try await ledger.open("alice", .eur, noOverdraft: true, label: "Alice")
    #expect(account.id.rawValue == "alice")
    #expect(account.currency == .eur)
    #expect(account.noOverdraft)
    #expect(account.label == "Alice")
    #expect(account.status == .open && account.version == 1 && account.balance == 0)
    #expect(account.createdAt == ledger.clock.now())
    #expect(try await ledger.account("alice") == account)
  }

  @Test func retryingWithTheSameFieldsReturnsTheOriginal() async throws {
    let first = try await ledger.open("alice", .usd, label: "x")
    ledger.clock.advance(byNanoseconds: 5_000)
    let again = try await ledger.open("alice", .usd, label: "x")
    #expect(again == first)
    #expect(again.createdAt == first.createdAt)
  }

  @Test func retryingReturnsTheAccountAsItIsNow() async throws {
    try await ledger.open("alice")
    try await ledger.open("bob")
    _ = try await ledger.transfers.create(request("t1", "alice", "bob", 10))
    let again = try await ledger.open("bob")
    #expect(again.balance == 10)
    #expect(again.version == 2)
  }

  @Test func theSameIDWithOtherFieldsIsAConflict() async throws {
    try await ledger.open("alice", .usd, noOverdraft: false, label: "x")
    let alice = try AccountID("alice")
    for (currency, noOverdraft, label) in [(Currency.eur, false, "x"), (.usd, true, "x"), (.usd, false, "y")] {
      await #expect(throws: LedgerError.accountIDConflict(alice)) {
        try await ledger.open("alice", currency, noOverdraft: noOverdraft, label: label)
      }
    }
    #expect(try await ledger.account("alice").label == "x")
  }

  @Test func withoutAnIDOneIsGenerated() async throws {
    let first = try await ledger.accounts.create(NewAccount(currency: .usd))
    let second = try await ledger.accounts.create(NewAccount(currency: .usd))
    #expect(first.id.rawValue.count == RandomAccountIDGenerator.length)
    #expect(first.id != second.id)
    #expect(try await ledger.accounts.get(first.id) == first)
  }

  @Test func aGeneratedIDThatIsTakenIsReplaced() async throws {
    let ledger = TestLedger(idGenerator: try ScriptedIDGenerator(["taken", "fresh"]))
    try await ledger.open("taken", .eur, label: "someone else's")
    let account = try await ledger.accounts.create(NewAccount(currency: .usd))
    #expect(account.id.rawValue == "fresh")
    #expect(try await ledger.account("taken").currency == .eur)
  }

  @Test func aGeneratorThatOnlyCollidesFailsAsStorage() async throws {
    let ledger = TestLedger(idGenerator: try ScriptedIDGenerator(["taken"]))
    try await ledger.open("taken")
    await #expect(throws: StorageError.self) { try await ledger.accounts.create(NewAccount(currency: .usd)) }
  }

  @Test func gettingAMissingAccountFails() async throws {
    await #expect(throws: LedgerError.accountNotFound(try AccountID("ghost"))) { try await ledger.account("ghost") }
  }

  @Test func closesAnAccountWithAZeroBalance() async throws {
    try await ledger.open("alice")
    let closed = try await ledger.accounts.close(AccountID("alice"))
    #expect(closed.status == .closed)
    #expect(closed.version == 2)
    #expect(try await ledger.account("alice") == closed)
  }

  @Test func closingAClosedAccountReturnsIt() async throws {
    try await ledger.open("alice")
    let closed = try await ledger.accounts.close(AccountID("alice"))
    #expect(try await ledger.accounts.close(AccountID("alice")) == closed)
  }

  @Test func closingNeedsAZeroBalance() async throws {
    try await ledger.open("alice")
    try await ledger.open("bob")
    _ = try await ledger.transfers.create(request("t1", "alice", "bob", 10))
    await #expect(throws: LedgerError.accountBalanceNotZero(try AccountID("bob"), balance: 10)) {
      try await ledger.accounts.close(AccountID("bob"))
    }
    await #expect(throws: LedgerError.accountBalanceNotZero(try AccountID("alice"), balance: -10)) {
      try await ledger.accounts.close(AccountID("alice"))
    }
    #expect(try await ledger.account("bob").status == .open)
  }

  @Test func closingAMissingAccountFails() async throws {
    await #expect(throws: LedgerError.accountNotFound(try AccountID("ghost"))) {
      try await ledger.accounts.close(AccountID("ghost"))
    }
  }
}

@Suite struct AccountListTests {
  let ledger = TestLedger()

  /// Pages through with `request`, following the tokens.
  func pages(_ request: AccountListRequest) async throws -> [[Account]] {
    var request = request
    var pages: [[Account]] = []
    while true {
      let page = try await ledger.accounts.list(request)
      pages.append(page.accounts)
      if page.nextPageToken.isEmpty { return pages }
      request.pageToken = page.nextPageToken
    }
  }

  @Test func pagesThroughEveryAccountInIDOrder() async throws {
    let ids = (0..<25).map { "acct-\(String($0 * 7 % 25, radix: 10))" }
    for id in ids { try await ledger.open(id) }
    let pages = try await pages(AccountListRequest(pageSize: 10))
    #expect(pages.map(\.count) == [10, 10, 5])
    #expect(pages.flatMap { $0 }.map(\.id.rawValue) == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
  }

  @Test func anExactlyFullLastPageHasNoNextToken() async throws {
    for id in ["a", "b", "c", "d"] { try await ledger.open(id) }
    let pages = try await pages(AccountListRequest(pageSize: 2))
    #expect(pages.map(\.count) == [2, 2])
  }

  @Test func pageSizeZeroMeansOneHundred() async throws {
    for index in 0..<150 { try await ledger.open("a\(index)") }
    let first = try await ledger.accounts.list(AccountListRequest(pageSize: 0))
    #expect(first.accounts.count == 100)
    #expect(!first.nextPageToken.isEmpty)
    let all = try await ledger.accounts.list(AccountListRequest(pageSize: 1_000))
    #expect(all.accounts.count == 150)
    #expect(all.nextPageToken.isEmpty)
  }

  @Test(arguments: [-1, 1_001, Int.max])
  func pageSizesOutsideTheLimitsAreInvalid(pageSize: Int) async throws {
    await #expect(
      throws: LedgerError.invalidArgument(field: "page_size", reason: "must be 0 to 1000 (0 means 100), got \(pageSize)")
    ) { try await ledger.accounts.list(AccountListRequest(pageSize: pageSize)) }
  }

  @Test(arguments: ["garbage!", "YQ", "YTEuYQ=", "dDEuYS4x", "YTEu", "YTEuYS5i", String(repeating: "A", count: 300)])
  func malformedTokensAreInvalid(token: String) async throws {
    await #expect(
      throws: LedgerError.invalidArgument(field: "page_token", reason: "is not a token from a previous response of this list")
    ) { try await ledger.accounts.list(AccountListRequest(pageToken: token)) }
  }

  @Test func filtersByCurrencyAndStatusAcrossPages() async throws {
    for index in 0..<12 {
      try await ledger.open("a\(index)", index.isMultiple(of: 2) ? .usd : .eur)
      if index.isMultiple(of: 3) { _ = try await ledger.accounts.close(AccountID("a\(index)")) }
    }
    let openUSD = try await pages(AccountListRequest(pageSize: 2, currency: .usd, status: .open)).flatMap { $0 }
    #expect(openUSD.map(\.id.rawValue) == ["a10", "a2", "a4", "a8"])
    let closed = try await pages(AccountListRequest(pageSize: 3, status: .closed)).flatMap { $0 }
    #expect(closed.map(\.id.rawValue) == ["a0", "a3", "a6", "a9"])
    let eur = try await pages(AccountListRequest(currency: .eur)).flatMap { $0 }
    #expect(eur.count == 6)
    #expect(try await pages(AccountListRequest(currency: .jpy)) == [[]])
  }
}
