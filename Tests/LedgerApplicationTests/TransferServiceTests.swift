@testable import LedgerApplication
import LedgerDomain
import LedgerInMemory
import Testing

@Suite struct TransferServiceTests {
  let ledger = TestLedger()

  func openAliceAndBob(noOverdraft: Bool = false) async throws {
    try await ledger.open("alice", noOverdraft: noOverdraft)
    try await ledger.open("bob")
  }

  @Test func movesMoneyAndStampsSequenceAndTime() async throws {
    try await openAliceAndBob()
    let first = try await ledger.transfers.create(request("t1", "alice", "bob", 250, reference: "rent"))
    ledger.clock.advance(byNanoseconds: 10)
    let second = try await ledger.transfers.create(request("t2", "bob", "alice", 50))
    #expect(first.sequence == 1 && second.sequence == 2)
    #expect(first.createdAt == Timestamp(nanosecondsSinceEpoch: 1_000_000))
    #expect(second.createdAt == Timestamp(nanosecondsSinceEpoch: 1_000_010))
    #expect(first.amount.minorUnits == 250 && first.currency == .usd && first.reference == "rent")
    #expect(try await ledger.balance("alice") == -200)
    #expect(try await ledger.balance("bob") == 200)
    let alice = try await ledger.account("alice")
    #expect(alice.debitsPosted == 250 && alice.creditsPosted == 50 && alice.version == 3)
    #expect(try await ledger.transfers.get(TransferID("t1")) == first)
  }

  @Test func aRetryReturnsTheOriginalAndAppliesOnce() async throws {
    try await openAliceAndBob()
    let original = try await ledger.transfers.create(request("t1", "alice", "bob", 250))
    ledger.clock.advance(byNanoseconds: 99)
    #expect(try await ledger.transfers.create(request("t1", "alice", "bob", 250)) == original)
    #expect(try await ledger.transfers.submit(request("t1", "alice", "bob", 250)) == .alreadyExisted(original))
    #expect(try await ledger.balance("bob") == 250)
    #expect(try await ledger.storedTransfers() == [original])
    #expect(ledger.publisher.published == [[original]])
  }

  @Test func theSameIDWithOtherFieldsIsAConflict() async throws {
    try await openAliceAndBob()
    try await ledger.open("carol")
    _ = try await ledger.transfers.create(request("t1", "alice", "bob", 250, reference: "r"))
    let t1 = try TransferID("t1")
    for other in [
      request("t1", "alice", "bob", 251, reference: "r"), request("t1", "alice", "carol", 250, reference: "r"),
      request("t1", "carol", "bob", 250, reference: "r"), request("t1", "alice", "bob", 250, reference: "s"),
      request("t1", "alice", "bob", 250, "EUR", reference: "r"),
    ] {
      await #expect(throws: LedgerError.transferIDConflict(t1)) { try await ledger.transfers.create(other) }
    }
    #expect(try await ledger.balance("bob") == 250)
  }

  @Test func aRetryStillSucceedsAfterItsAccountClosed() async throws {
    try await openAliceAndBob()
    let original = try await ledger.transfers.create(request("t1", "alice", "bob", 5))
    _ = try await ledger.transfers.create(request("t2", "bob", "alice", 5))
    _ = try await ledger.accounts.close(AccountID("bob"))
    #expect(try await ledger.transfers.create(request("t1", "alice", "bob", 5)) == original)
  }

  @Test func malformedRequestsFailNamingTheFieldWithoutACommit() async throws {
    var counter: CountingUnitOfWork?
    let ledger = TestLedger { inner in
      let counting = CountingUnitOfWork(inner)
      counter = counting
      return counting
    }
    try await ledger.open("alice")
    try await ledger.open("bob")
    let writesBefore = counter?.writes
    let idRule = "must be 1 to 64 characters from A-Z a-z 0-9 - _"
    let cases: [(TransferRequest, LedgerError)] = [
      (request("", "alice", "bob", 1), .invalidArgument(field: "transfer_id", reason: idRule)),
      (request("t 1", "alice", "bob", 1), .invalidArgument(field: "transfer_id", reason: idRule)),
      (request("t1", "", "bob", 1), .invalidArgument(field: "debit_account_id", reason: idRule)),
      (request("t1", "alice", "b.b", 1), .invalidArgument(field: "credit_account_id", reason: idRule)),
      (request("t1", "alice", "bob", 0), .invalidArgument(field: "amount", reason: "must be positive, got 0")),
      (request("t1", "alice", "bob", -5), .invalidArgument(field: "amount", reason: "must be positive, got -5")),
      (request("t1", "alice", "bob", 1, "XXX"), .unknownCurrency("XXX")),
      (request("t1", "alice", "bob", 1, ""), .invalidArgument(field: "currency", reason: "is required (an ISO 4217 code such as USD)")),
      (request("t1", "alice", "alice", 1), .sameAccount(try AccountID("alice"))),
      (
        request("t1", "alice", "bob", 1, reference: String(repeating: "r", count: 257)),
        .invalidArgument(field: "reference", reason: "must be at most 256 characters, got 257")
      ),
    ]
    for (request, error) in cases {
      await #expect(throws: error) { try await ledger.transfers.create(request) }
    }
    #expect(counter?.writes == writesBefore)
    #expect(try await ledger.storedTransfers().isEmpty)
  }

  @Test func missingAccountsAreNotFound() async throws {
    try await ledger.open("alice")
    await #expect(throws: LedgerError.accountNotFound(try AccountID("ghost"))) {
      try await ledger.transfers.create(request("t1", "ghost", "alice", 1))
    }
    await #expect(throws: LedgerError.accountNotFound(try AccountID("ghost"))) {
      try await ledger.transfers.create(request("t1", "alice", "ghost", 1))
    }
  }

  @Test func aNoOverdraftAccountCannotGoNegative() async throws {
    try await openAliceAndBob(noOverdraft: true)
    _ = try await ledger.transfers.create(request("fund", "bob", "alice", 100))
    _ = try await ledger.transfers.create(request("spend", "alice", "bob", 60))
    await #expect(throws: LedgerError.insufficientFunds(try AccountID("alice"), balance: 40, amount: 41)) {
      try await ledger.transfers.create(request("over", "alice", "bob", 41))
    }
    _ = try await ledger.transfers.create(request("exact", "alice", "bob", 40))
    #expect(try await ledger.balance("alice") == 0)
  }

  @Test func closedAccountsTakeNoTransferEitherWay() async throws {
    try await openAliceAndBob()
    try await ledger.open("shut")
    _ = try await ledger.accounts.close(AccountID("shut"))
    let shut = try AccountID("shut")
    await #expect(throws: LedgerError.accountClosed(shut)) {
      try await ledger.transfers.create(request("t1", "shut", "bob", 1))
    }
    await #expect(throws: LedgerError.accountClosed(shut)) {
      try await ledger.transfers.create(request("t2", "alice", "shut", 1))
    }
    #expect(try await ledger.storedTransfers().isEmpty)
  }

  @Test func currenciesMustAgree() async throws {
    try await ledger.open("dollars", .usd)
    try await ledger.open("euros", .eur)
    try await ledger.open("more-euros", .eur)
    let dollars = try AccountID("dollars")
    let euros = try AccountID("euros")
    await #expect(throws: LedgerError.currencyMismatch(euros, accountCurrency: .eur, transferCurrency: .usd)) {
      try await ledger.transfers.create(request("t1", "dollars", "euros", 1, "USD"))
    }
    await #expect(throws: LedgerError.currencyMismatch(dollars, accountCurrency: .usd, transferCurrency: .eur)) {
      try await ledger.transfers.create(request("t2", "dollars", "euros", 1, "EUR"))
    }
    await #expect(throws: LedgerError.currencyMismatch(euros, accountCurrency: .eur, transferCurrency: .gbp)) {
      try await ledger.transfers.create(request("t3", "euros", "more-euros", 1, "GBP"))
    }
    _ = try await ledger.transfers.create(request("t4", "euros", "more-euros", 1, "EUR"))
  }

  @Test func postedTotalsCannotOverflow() async throws {
    try await openAliceAndBob()
    _ = try await ledger.transfers.create(request("max", "alice", "bob", Int64.max))
    await #expect(throws: LedgerError.amountOverflow(try AccountID("alice"))) {
      try await ledger.transfers.create(request("one-more", "alice", "bob", 1))
    }
    try await ledger.open("carol")
    await #expect(throws: LedgerError.amountOverflow(try AccountID("bob"))) {
      try await ledger.transfers.create(request("into-bob", "carol", "bob", 1))
    }
    #expect(try await ledger.balance("carol") == 0)
    #expect(try await ledger.storedTransfers().count == 1)
  }

  @Test func gettingAMissingTransferFails() async throws {
    await #expect(throws: LedgerError.transferNotFound(try TransferID("nope"))) {
      try await ledger.transfers.get(TransferID("nope"))
    }
  }
}

@Suite struct TransferListTests {
  let ledger = TestLedger()

  /// alice pays bob and carol in turns, 10 ns apart: t0 ... t9 at 1_000_000 + 10 * i.
  func storeHistory() async throws -> [Transfer] {
    for id in ["alice", "bob", "carol"] { try await ledger.open(id) }
    var transfers: [Transfer] = []
    for index in 0..<10 {
      transfers.append(try await ledger.transfers.create(request("t\(index)", "alice", index.isMultiple(of: 2) ? "bob" : "carol", 1)))
      ledger.clock.advance(byNanoseconds: 10)
    }
    return transfers
  }

  func pages(_ request: TransferListRequest) async throws -> [[Transfer]] {
    var request = request
    var pages: [[Transfer]] = []
    while true {
      let page = try await ledger.transfers.list(request)
      pages.append(page.transfers)
      if page.nextPageToken.isEmpty { return pages }
      request.pageToken = page.nextPageToken
    }
  }

  @Test func pagesThroughBothSidesInCommitOrder() async throws {
    let history = try await storeHistory()
    let alice = try AccountID("alice")
    let bob = try AccountID("bob")
    #expect(try await pages(TransferListRequest(accountID: alice, pageSize: 4)).map(\.count) == [4, 4, 2])
    #expect(try await pages(TransferListRequest(accountID: alice, pageSize: 4)).flatMap { $0 } == history)
    #expect(try await pages(TransferListRequest(accountID: alice, pageSize: 5)).map(\.count) == [5, 5])
    let bobs = try await pages(TransferListRequest(accountID: bob, pageSize: 2)).flatMap { $0 }
    #expect(bobs.map(\.id.rawValue) == ["t0", "t2", "t4", "t6", "t8"])
    #expect(try await ledger.transfers.list(TransferListRequest(accountID: alice)).transfers.count == 10)
  }

  @Test func filtersByTimeFromInclusiveToExclusive() async throws {
    let history = try await storeHistory()
    let request = TransferListRequest(
      accountID: try AccountID("alice"), pageSize: 2, fromTime: history[3].createdAt, toTime: history[7].createdAt)
    let listed = try await pages(request).flatMap { $0 }
    #expect(listed.map(\.id.rawValue) == ["t3", "t4", "t5", "t6"])
  }

  @Test func anEmptyTimeRangeIsInvalid() async throws {
    try await ledger.open("alice")
    let at = Timestamp(nanosecondsSinceEpoch: 50)
    await #expect(
      throws: LedgerError.invalidArgument(field: "to_unix_nanos", reason: "must be after from_unix_nanos (50), got 50")
    ) { try await ledger.transfers.list(TransferListRequest(accountID: AccountID("alice"), fromTime: at, toTime: at)) }
  }

  @Test func aMissingAccountIsNotFound() async throws {
    await #expect(throws: LedgerError.accountNotFound(try AccountID("ghost"))) {
      try await ledger.transfers.list(TransferListRequest(accountID: AccountID("ghost")))
    }
  }

  @Test func pageSizeLimits() async throws {
    try await ledger.open("alice")
    for pageSize in [-1, 1_001] {
      await #expect(
        throws: LedgerError.invalidArgument(field: "page_size", reason: "must be 0 to 1000 (0 means 100), got \(pageSize)")
      ) { try await ledger.transfers.list(TransferListRequest(accountID: AccountID("alice"), pageSize: pageSize)) }
    }
  }

  @Test func tokensAreBoundToTheirAccountAndList() async throws {
    _ = try await storeHistory()
    let page = try await ledger.transfers.list(TransferListRequest(accountID: AccountID("alice"), pageSize: 1))
    await #expect(throws: LedgerError.invalidArgument(field: "page_token", reason: "belongs to another account's transfer list")) {
      try await ledger.transfers.list(TransferListRequest(accountID: AccountID("bob"), pageToken: page.nextPageToken))
    }
    let accountToken = try await ledger.accounts.list(AccountListRequest(pageSize: 1)).nextPageToken
    await #expect(
      throws: LedgerError.invalidArgument(field: "page_token", reason: "is not a token from a previous response of this list")
    ) { try await ledger.transfers.list(TransferListRequest(accountID: AccountID("alice"), pageToken: accountToken)) }
    await #expect(
      throws: LedgerError.invalidArgument(field: "page_token", reason: "is not a token from a previous response of this list")
    ) { try await ledger.accounts.list(AccountListRequest(pageToken: page.nextPageToken)) }
  }
}
