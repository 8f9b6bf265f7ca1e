import LedgerDomain
import Testing

@Suite struct AccountTests {
  let id: AccountID
  let at = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)

  init() throws { id = try AccountID("acct") }

  func open(noOverdraft: Bool = false) throws -> Account {
    try Account.open(id: id, currency: .usd, noOverdraft: noOverdraft, label: "main", createdAt: at)
  }

  func amount(_ minorUnits: Int64) throws -> Amount { try Amount(minorUnits: minorUnits) }

  @Test func opensEmptyOpenAtVersionOne() throws {
    let account = try open()
    #expect(account.debitsPosted == 0 && account.creditsPosted == 0 && account.balance == 0)
    #expect(account.status == .open)
    #expect(account.version == 1)
    #expect(account.createdAt == at)
    #expect(account.label == "main")
  }

  @Test func debitsAndCreditsPostAndBumpTheVersion() throws {
    let account = try open().credited(by: amount(500)).debited(by: amount(200))
    #expect(account.creditsPosted == 500)
    #expect(account.debitsPosted == 200)
    #expect(account.balance == 300)
    #expect(account.version == 3)
    #expect(account.label == "main" && account.currency == .usd && account.createdAt == at)
  }

  @Test func anOverdraftAccountMayGoNegative() throws {
    let account = try open(noOverdraft: false).debited(by: amount(1_000))
    #expect(account.balance == -1_000)
  }

  @Test func aNoOverdraftAccountMayNotGoBelowZero() throws {
    let funded = try open(noOverdraft: true).credited(by: amount(100))
    #expect(try funded.debited(by: amount(100)).balance == 0)
    #expect(throws: LedgerError.insufficientFunds(id, balance: 100, amount: 101)) {
      try funded.debited(by: amount(101))
    }
  }

  @Test func postedTotalsDoNotOverflow() throws {
    let full = try open().credited(by: amount(Int64.max))
    #expect(full.creditsPosted == Int64.max)
    #expect(throws: LedgerError.amountOverflow(id)) { try full.credited(by: amount(1)) }
    let drained = try open().debited(by: amount(Int64.max))
    #expect(throws: LedgerError.amountOverflow(id)) { try drained.debited(by: amount(1)) }
    // Both totals at the maximum: the balance is still representable.
    #expect(try full.debited(by: amount(Int64.max)).balance == 0)
  }

  @Test func aClosedAccountTakesNoTransfer() throws {
    let closed = try open().closed()
    #expect(closed.status == .closed)
    #expect(closed.version == 2)
    #expect(throws: LedgerError.accountClosed(id)) { try closed.debited(by: amount(1)) }
    #expect(throws: LedgerError.accountClosed(id)) { try closed.credited(by: amount(1)) }
  }

  @Test func closingNeedsAZeroBalance() throws {
    #expect(throws: LedgerError.accountBalanceNotZero(id, balance: 5)) { try open().credited(by: amount(5)).closed() }
    #expect(throws: LedgerError.accountBalanceNotZero(id, balance: -5)) { try open().debited(by: amount(5)).closed() }
    let settled = try open().credited(by: amount(5)).debited(by: amount(5))
    #expect(try settled.closed().status == .closed)
  }

  @Test func closingAClosedAccountReturnsItUnchanged() throws {
    let closed = try open().closed()
    #expect(try closed.closed() == closed)
  }

  @Test func rebuildingChecksEveryInvariant() throws {
    func rebuild(
      debits: Int64 = 0, credits: Int64 = 0, noOverdraft: Bool = false, version: Int64 = 1, label: String = ""
    ) throws(LedgerError) -> Account {
      try Account(
        id: id, currency: .eur, debitsPosted: debits, creditsPosted: credits, noOverdraft: noOverdraft,
        status: .open, version: version, createdAt: at, label: label)
    }
    #expect(try rebuild(debits: 3, credits: 10, noOverdraft: true, version: 7).balance == 7)
    #expect(throws: LedgerError.invalidArgument(field: "debits_posted", reason: "must not be negative, got -1")) {
      try rebuild(debits: -1)
    }
    #expect(throws: LedgerError.invalidArgument(field: "credits_posted", reason: "must not be negative, got -2")) {
      try rebuild(credits: -2)
    }
    #expect(
      throws: LedgerError.invalidArgument(field: "balance", reason: "must not be negative on a no-overdraft account, got -1")
    ) { try rebuild(debits: 1, noOverdraft: true) }
    #expect(throws: LedgerError.invalidArgument(field: "version", reason: "must be at least 1, got 0")) {
      try rebuild(version: 0)
    }
    #expect(throws: LedgerError.invalidArgument(field: "label", reason: "must be at most 256 characters, got 257")) {
      try rebuild(label: String(repeating: "l", count: 257))
    }
  }

  @Test func labelsCountUnicodeScalars() throws {
    let longest = String(repeating: "€", count: 256)
    #expect(try Account.open(id: id, currency: .eur, noOverdraft: false, label: longest, createdAt: at).label == longest)
    #expect(throws: LedgerError.invalidArgument(field: "label", reason: "must be at most 256 characters, got 257")) {
      try Account.open(id: id, currency: .eur, noOverdraft: false, label: longest + "€", createdAt: at)
    }
  }
}

@Suite struct NewAccountTests {
  @Test func matchesTheAccountItOpens() throws {
    let request = try NewAccount(id: AccountID("a"), currency: .usd, noOverdraft: true, label: "x")
    let account = request.account(id: try AccountID("a"), createdAt: Timestamp(nanosecondsSinceEpoch: 1))
    #expect(request.matches(account))
    // Postings and closing do not make a retry a conflict.
    #expect(request.matches(try account.credited(by: Amount(minorUnits: 3))))
  }

  @Test func doesNotMatchOtherFields() throws {
    let account = try Account.open(
      id: AccountID("a"), currency: .usd, noOverdraft: true, label: "x", createdAt: Timestamp(nanosecondsSinceEpoch: 1))
    #expect(!(try NewAccount(id: AccountID("a"), currency: .eur, noOverdraft: true, label: "x")).matches(account))
    #expect(!(try NewAccount(id: AccountID("a"), currency: .usd, noOverdraft: false, label: "x")).matches(account))
    #expect(!(try NewAccount(id: AccountID("a"), currency: .usd, noOverdraft: true, label: "y")).matches(account))
    #expect(!(try NewAccount(id: AccountID("b"), currency: .usd, noOverdraft: true, label: "x")).matches(account))
  }

  @Test func rejectsALongLabel() {
    #expect(throws: LedgerError.invalidArgument(field: "label", reason: "must be at most 256 characters, got 300")) {
      try NewAccount(currency: .usd, label: String(repeating: "a", count: 300))
    }
  }
}
