/// Whether an account takes transfers.
public enum AccountStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// Takes transfers.
  case open
  /// Takes no transfer; it can still be read.
  case closed

  /// `open` or `closed`.
  public var description: String { rawValue }
}

/// An account: posted debits and credits of one currency, in minor units.
///
/// Invariants, checked wherever a value is made: both totals are `>= 0`; a no-overdraft account's
/// balance is `>= 0`; `version >= 1`; the label is at most 256 characters. Values never change in
/// place: the mutations return a new account whose version is one higher.
public struct Account: Sendable, Hashable {
  /// The account's id.
  public let id: AccountID
  /// The one currency it holds.
  public let currency: Currency
  /// Total debited, in minor units.
  public let debitsPosted: Int64
  /// Total credited, in minor units.
  public let creditsPosted: Int64
  /// When true, debits may not exceed credits: the balance never goes below zero.
  public let noOverdraft: Bool
  /// Open or closed.
  public let status: AccountStatus
  /// 1 when opened, one more for every change (each posted transfer, closing).
  public let version: Int64
  /// When it was opened.
  public let createdAt: Timestamp
  /// The caller's label, up to 256 characters.
  public let label: String

  /// `creditsPosted - debitsPosted`. Cannot overflow: both totals are in `0...Int64.max`.
  public var balance: Int64 { creditsPosted - debitsPosted }

  /// Rebuilds an account from stored fields, checking every invariant.
  /// - Throws: `LedgerError.invalidArgument` naming the field that breaks an invariant (an
  ///   adapter reading such a row has found corruption).
  public init(
    id: AccountID, currency: Currency, debitsPosted: Int64, creditsPosted: Int64, noOverdraft: Bool,
    status: AccountStatus, version: Int64, createdAt: Timestamp, label: String
  ) throws(LedgerError) {
    guard debitsPosted >= 0 else {
      throw .invalidArgument(field: "debits_posted", reason: "must not be negative, got \(debitsPosted)")
    }
    guard creditsPosted >= 0 else {
      throw .invalidArgument(field: "credits_posted", reason: "must not be negative, got \(creditsPosted)")
    }
    guard !noOverdraft || creditsPosted >= debitsPosted else {
      throw .invalidArgument(
        field: "balance", reason: "must not be negative on a no-overdraft account, got \(creditsPosted - debitsPosted)")
    }
    guard version >= 1 else {
      throw .invalidArgument(field: "version", reason: "must be at least 1, got \(version)")
    }
    try TextLimits.check(label, field: "label")
    self.init(
      unchecked: id, currency: currency, debitsPosted: debitsPosted, creditsPosted: creditsPosted,
      noOverdraft: noOverdraft, status: status, version: version, createdAt: createdAt, label: label)
  }

  /// A newly opened account: zero totals, open, version 1.
  /// - Throws: `LedgerError.invalidArgument` (field `label`) when the label is too long.
  public static func open(
    id: AccountID, currency: Currency, noOverdraft: Bool, label: String = "", createdAt: Timestamp
  ) throws(LedgerError) -> Account {
    try Account(
      id: id, currency: currency, debitsPosted: 0, creditsPosted: 0, noOverdraft: noOverdraft,
      status: .open, version: 1, createdAt: createdAt, label: label)
  }

  private init(
    unchecked id: AccountID, currency: Currency, debitsPosted: Int64, creditsPosted: Int64, noOverdraft: Bool,
    status: AccountStatus, version: Int64, createdAt: Timestamp, label: String
  ) {
    self.id = id
    self.currency = currency
    self.debitsPosted = debitsPosted
    self.creditsPosted = creditsPosted
    self.noOverdraft = noOverdraft
    self.status = status
    self.version = version
    self.createdAt = createdAt
    self.label = label
    assertInvariants()
  }

  /// This account after posting a debit of `amount`.
  /// - Throws: `.accountClosed`, `.amountOverflow` when `debitsPosted` would pass `Int64.max`,
  ///   `.insufficientFunds` when a no-overdraft balance would go below zero.
  public func debited(by amount: Amount) throws(LedgerError) -> Account {
    guard status == .open else { throw .accountClosed(id) }
    let (debits, overflow) = debitsPosted.addingReportingOverflow(amount.minorUnits)
    guard !overflow else { throw .amountOverflow(id) }
    if noOverdraft && debits > creditsPosted {
      throw .insufficientFunds(id, balance: balance, amount: amount.minorUnits)
    }
    return changed(debitsPosted: debits, creditsPosted: creditsPosted, status: status)
  }

  /// This account after posting a credit of `amount`.
  /// - Throws: `.accountClosed`, `.amountOverflow` when `creditsPosted` would pass `Int64.max`.
  public func credited(by amount: Amount) throws(LedgerError) -> Account {
    guard status == .open else { throw .accountClosed(id) }
    let (credits, overflow) = creditsPosted.addingReportingOverflow(amount.minorUnits)
    guard !overflow else { throw .amountOverflow(id) }
    return changed(debitsPosted: debitsPosted, creditsPosted: credits, status: status)
  }

  /// This account, closed. Closing a closed account returns it unchanged (same version), so
  /// retrying a close is harmless.
  /// - Throws: `.accountBalanceNotZero` when the balance is not zero.
  public func closed() throws(LedgerError) -> Account {
    guard status == .open else { return self }
    guard balance == 0 else { throw .accountBalanceNotZero(id, balance: balance) }
    return changed(debitsPosted: debitsPosted, creditsPosted: creditsPosted, status: .closed)
  }

  private func changed(debitsPosted: Int64, creditsPosted: Int64, status: AccountStatus) -> Account {
    precondition(version < Int64.max, "account \(id): version \(version) cannot grow")
    return Account(
      unchecked: id, currency: currency, debitsPosted: debitsPosted, creditsPosted: creditsPosted,
      noOverdraft: noOverdraft, status: status, version: version + 1, createdAt: createdAt, label: label)
  }

  private func assertInvariants() {
    assert(debitsPosted >= 0 && creditsPosted >= 0, "account \(id): negative totals \(debitsPosted)/\(creditsPosted)")
    assert(!noOverdraft || balance >= 0, "account \(id): no-overdraft balance \(balance) < 0")
    assert(version >= 1, "account \(id): version \(version) < 1")
  }
}

/// What a caller asks for when opening an account; also the idempotency check for retries.
public struct NewAccount: Sendable, Hashable {
  /// The id to use, or nil to have one generated.
  public let id: AccountID?
  /// The currency the account holds.
  public let currency: Currency
  /// Whether the balance may not go below zero.
  public let noOverdraft: Bool
  /// A caller's label, up to 256 characters.
  public let label: String

  /// - Throws: `LedgerError.invalidArgument` (field `label`) when the label is too long.
  public init(id: AccountID? = nil, currency: Currency, noOverdraft: Bool = false, label: String = "")
    throws(LedgerError)
  {
    try TextLimits.check(label, field: "label")
    self.id = id
    self.currency = currency
    self.noOverdraft = noOverdraft
    self.label = label
  }

  /// Whether `account` was opened with these fields (so a retry returns it instead of failing).
  /// Totals, status and version are not compared: they change after opening.
  public func matches(_ account: Account) -> Bool {
    (id == nil || id == account.id) && currency == account.currency && noOverdraft == account.noOverdraft
      && label == account.label
  }

  /// The account this request opens, under `id`, at `createdAt`.
  public func account(id: AccountID, createdAt: Timestamp) -> Account {
    do {
      return try Account.open(id: id, currency: currency, noOverdraft: noOverdraft, label: label, createdAt: createdAt)
    } catch {
      // The label was checked in `init`, and it is the only thing `open` can reject.
      preconditionFailure("NewAccount \(id) passed validation but cannot open: \(error)")
    }
  }
}
