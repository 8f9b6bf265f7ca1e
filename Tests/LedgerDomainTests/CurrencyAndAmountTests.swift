import LedgerDomain
import Testing

@Suite struct CurrencyTests {
  /// The codes the design requires at least.
  static let required = [
    "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "CNY", "HKD", "SGD", "SEK", "NOK", "DKK", "PLN", "CZK",
    "HUF", "RON", "BGN", "TRY", "ILS", "INR", "KRW", "MXN", "BRL", "ZAR", "AED", "SAR", "THB", "IDR", "MYR", "PHP",
    "VND", "TWD", "CLP", "COP", "PEN", "ARS", "UAH", "KZT", "NGN", "EGP", "KES",
  ]

  @Test(arguments: required)
  func knowsTheCommonCodes(code: String) throws {
    #expect(try Currency(code).code == code)
  }

  @Test func carriesMinorUnitDigits() throws {
    #expect(try Currency("USD").minorUnitDigits == 2)
    #expect(try Currency("JPY").minorUnitDigits == 0)
    #expect(try Currency("KWD").minorUnitDigits == 3)
    #expect(Currency.usd == (try Currency("USD")))
    #expect(Currency.jpy.minorUnitDigits == 0)
  }

  @Test(arguments: ["usd", "XXX", "US", "USDD", "ABC", " USD"])
  func unknownCodesAreUnknownCurrency(code: String) {
    #expect(throws: LedgerError.unknownCurrency(code)) { try Currency(code) }
  }

  @Test func anEmptyCodeIsAMissingArgument() {
    #expect(throws: LedgerError.invalidArgument(field: "currency", reason: "is required (an ISO 4217 code such as USD)")) {
      try Currency("")
    }
  }

  @Test func aLongUnknownCodeIsEchoedShort() {
    let long = String(repeating: "Q", count: 1_000)
    #expect(throws: LedgerError.unknownCurrency(String(repeating: "Q", count: 16))) { try Currency(long) }
    #expect(LedgerError.unknownCurrency("XYZ").code == "UNKNOWN_CURRENCY")
  }

  @Test func allIsSortedAndComplete() {
    let codes = Currency.all.map(\.code)
    #expect(codes == codes.sorted())
    #expect(Set(codes).isSuperset(of: Self.required))
    #expect(codes.count >= 40)
  }
}

@Suite struct AmountTests {
  @Test(arguments: [Int64(1), 100, Int64.max])
  func positiveAmountsAreAccepted(minorUnits: Int64) throws {
    #expect(try Amount(minorUnits: minorUnits).minorUnits == minorUnits)
  }

  @Test(arguments: [Int64(0), -1, Int64.min])
  func otherAmountsAreRejectedWithTheValue(minorUnits: Int64) {
    #expect(throws: LedgerError.invalidArgument(field: "amount", reason: "must be positive, got \(minorUnits)")) {
      try Amount(minorUnits: minorUnits)
    }
  }

  @Test func theZeroMessageReadsWell() {
    #expect(LedgerError.invalidArgument(field: "amount", reason: "must be positive, got 0").message == "amount must be positive, got 0")
  }

  @Test func amountsAndTimestampsCompare() throws {
    #expect(try Amount(minorUnits: 1) < Amount(minorUnits: 2))
    #expect(Timestamp(nanosecondsSinceEpoch: -1) < Timestamp(nanosecondsSinceEpoch: 0))
    #expect(Timestamp(nanosecondsSinceEpoch: 5) == Timestamp(nanosecondsSinceEpoch: 5))
  }
}

@Suite struct LedgerErrorTests {
  @Test func codesAreTheProtoErrorCodeNames() {
    #expect(LedgerErrorCode.allCases.map(\.rawValue) == [
      "INVALID_ARGUMENT", "ACCOUNT_NOT_FOUND", "TRANSFER_NOT_FOUND", "ACCOUNT_ID_CONFLICT", "TRANSFER_ID_CONFLICT",
      "INSUFFICIENT_FUNDS", "ACCOUNT_CLOSED", "CURRENCY_MISMATCH", "SAME_ACCOUNT", "AMOUNT_OVERFLOW",
      "ACCOUNT_BALANCE_NOT_ZERO", "LINKED_TRANSFER_FAILED", "UNKNOWN_CURRENCY",
    ])
  }

  @Test func everyCaseHasItsCodeAndAMessageNamingTheValues() throws {
    let a = try AccountID("acct-a")
    let t = try TransferID("t-1")
    let cases: [(LedgerError, String, String)] = [
      (.invalidArgument(field: "label", reason: "must be short"), "INVALID_ARGUMENT", "label must be short"),
      (.accountNotFound(a), "ACCOUNT_NOT_FOUND", "acct-a"),
      (.transferNotFound(t), "TRANSFER_NOT_FOUND", "t-1"),
      (.accountIDConflict(a), "ACCOUNT_ID_CONFLICT", "acct-a"),
      (.transferIDConflict(t), "TRANSFER_ID_CONFLICT", "t-1"),
      (.insufficientFunds(a, balance: 5, amount: 7), "INSUFFICIENT_FUNDS", "balance 5"),
      (.accountClosed(a), "ACCOUNT_CLOSED", "acct-a is closed"),
      (.currencyMismatch(a, accountCurrency: .eur, transferCurrency: .usd), "CURRENCY_MISMATCH", "holds EUR"),
      (.sameAccount(a), "SAME_ACCOUNT", "acct-a"),
      (.amountOverflow(a), "AMOUNT_OVERFLOW", "overflow"),
      (.accountBalanceNotZero(a, balance: -3), "ACCOUNT_BALANCE_NOT_ZERO", "balance -3"),
      (.linkedTransferFailed(failedIndex: 2, failedTransferID: "t-3"), "LINKED_TRANSFER_FAILED", "item 2"),
      (.unknownCurrency("ZZZ"), "UNKNOWN_CURRENCY", "ZZZ"),
    ]
    #expect(Set(cases.map(\.1)) == Set(LedgerErrorCode.allCases.map(\.rawValue)))
    for (error, code, fragment) in cases {
      #expect(error.code == code)
      #expect(error.errorCode.rawValue == code)
      #expect(error.message.contains(fragment), "\(error.message) lacks \(fragment)")
      #expect(error.description == "\(code): \(error.message)")
    }
  }
}
