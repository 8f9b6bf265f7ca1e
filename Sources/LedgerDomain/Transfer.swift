/// A committed transfer: `amount` moved from the debit account to the credit account.
///
/// Invariants, checked wherever a value is made: the accounts differ; `sequence >= 1`; the
/// reference is at most 256 characters. `sequence` is assigned at commit and strictly increases
/// across the whole ledger, so it is the cursor for listing and watching.
public struct Transfer: Sendable, Hashable {
  /// The caller's id, also the idempotency key.
  public let id: TransferID
  /// The account debited.
  public let debitAccountID: AccountID
  /// The account credited.
  public let creditAccountID: AccountID
  /// The amount moved.
  public let amount: Amount
  /// The currency of both accounts.
  public let currency: Currency
  /// The caller's reference, up to 256 characters.
  public let reference: String
  /// When it was committed.
  public let createdAt: Timestamp
  /// Its position in the ledger's commit order, from 1.
  public let sequence: Int64

  /// Rebuilds a transfer from stored fields, checking every invariant.
  /// - Throws: `.sameAccount`, or `.invalidArgument` naming `sequence` or `reference`.
  public init(
    id: TransferID, debitAccountID: AccountID, creditAccountID: AccountID, amount: Amount, currency: Currency,
    reference: String, createdAt: Timestamp, sequence: Int64
  ) throws(LedgerError) {
    guard debitAccountID != creditAccountID else { throw .sameAccount(debitAccountID) }
    guard sequence >= 1 else {
      throw .invalidArgument(field: "sequence", reason: "must be at least 1, got \(sequence)")
    }
    try TextLimits.check(reference, field: "reference")
    self.id = id
    self.debitAccountID = debitAccountID
    self.creditAccountID = creditAccountID
    self.amount = amount
    self.currency = currency
    self.reference = reference
    self.createdAt = createdAt
    self.sequence = sequence
  }

  /// Whether the transfer debits or credits `accountID`.
  public func touches(_ accountID: AccountID) -> Bool {
    debitAccountID == accountID || creditAccountID == accountID
  }
}

/// A transfer as the caller sent it, before validation: the fields of `CreateTransferRequest`.
///
/// Kept raw so that a batch, an import or a session can report a malformed item as that item's
/// own failure (with its `transferID` as sent) instead of failing the whole call.
public struct TransferRequest: Sendable, Hashable {
  /// The caller's transfer id, as sent.
  public var transferID: String
  /// The account to debit, as sent.
  public var debitAccountID: String
  /// The account to credit, as sent.
  public var creditAccountID: String
  /// The amount in minor units, as sent.
  public var amount: Int64
  /// The ISO 4217 code, as sent.
  public var currency: String
  /// The caller's reference, as sent.
  public var reference: String

  /// Collects the caller's fields; nothing is checked until ``validated()``.
  public init(
    transferID: String, debitAccountID: String, creditAccountID: String, amount: Int64, currency: String,
    reference: String = ""
  ) {
    self.transferID = transferID
    self.debitAccountID = debitAccountID
    self.creditAccountID = creditAccountID
    self.amount = amount
    self.currency = currency
    self.reference = reference
  }

  /// Checks every field, in wire order, and returns the command.
  /// - Throws: `.invalidArgument` naming the first bad field, `.unknownCurrency`, `.sameAccount`.
  public func validated() throws(LedgerError) -> TransferCommand {
    let id = try TransferID(transferID, field: "transfer_id")
    let debit = try AccountID(debitAccountID, field: "debit_account_id")
    let credit = try AccountID(creditAccountID, field: "credit_account_id")
    let amount = try Amount(minorUnits: amount)
    let currency = try Currency(currency)
    return try TransferCommand(
      id: id, debitAccountID: debit, creditAccountID: credit, amount: amount, currency: currency,
      reference: reference)
  }
}

/// A validated request to move money: what the write path applies.
public struct TransferCommand: Sendable, Hashable {
  /// The caller's id, the idempotency key.
  public let id: TransferID
  /// The account to debit.
  public let debitAccountID: AccountID
  /// The account to credit.
  public let creditAccountID: AccountID
  /// The amount to move.
  public let amount: Amount
  /// The currency both accounts must hold.
  public let currency: Currency
  /// The caller's reference, up to 256 characters.
  public let reference: String

  /// - Throws: `.sameAccount` when debit and credit are one account; `.invalidArgument` (field
  ///   `reference`) when the reference is too long.
  public init(
    id: TransferID, debitAccountID: AccountID, creditAccountID: AccountID, amount: Amount, currency: Currency,
    reference: String = ""
  ) throws(LedgerError) {
    guard debitAccountID != creditAccountID else { throw .sameAccount(debitAccountID) }
    try TextLimits.check(reference, field: "reference")
    self.id = id
    self.debitAccountID = debitAccountID
    self.creditAccountID = creditAccountID
    self.amount = amount
    self.currency = currency
    self.reference = reference
  }

  /// Whether `transfer` carries exactly these fields, so resending this command is a retry of it
  /// (same id, debit, credit, amount, currency and reference) rather than a conflict.
  public func matches(_ transfer: Transfer) -> Bool {
    id == transfer.id && debitAccountID == transfer.debitAccountID && creditAccountID == transfer.creditAccountID
      && amount == transfer.amount && currency == transfer.currency && reference == transfer.reference
  }

  /// The transfer this command commits as, at `sequence` and `createdAt`.
  public func transfer(sequence: Int64, createdAt: Timestamp) -> Transfer {
    precondition(sequence >= 1, "transfer \(id): sequence \(sequence) < 1")
    do {
      return try Transfer(
        id: id, debitAccountID: debitAccountID, creditAccountID: creditAccountID, amount: amount,
        currency: currency, reference: reference, createdAt: createdAt, sequence: sequence)
    } catch {
      // `init` checked the accounts and the reference; the sequence was checked above.
      preconditionFailure("transfer \(id) passed validation but cannot be built: \(error)")
    }
  }
}
