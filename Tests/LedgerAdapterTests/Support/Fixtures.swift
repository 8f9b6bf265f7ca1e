import LedgerApplication
import LedgerDomain

/// Builders for the entities the contract tests store. They throw (rather than trap) on a bad
/// literal, so a typo fails one test with a message.
enum Fixtures {
  static func accountID(_ raw: String) throws -> AccountID { try AccountID(raw) }

  static func transferID(_ raw: String) throws -> TransferID { try TransferID(raw) }

  /// A freshly opened account.
  static func account(
    _ id: String, currency: Currency = .usd, noOverdraft: Bool = false, label: String = "",
    createdAt: Int64 = 1_000
  ) throws -> Account {
    try Account.open(
      id: AccountID(id), currency: currency, noOverdraft: noOverdraft, label: label,
      createdAt: Timestamp(nanosecondsSinceEpoch: createdAt))
  }

  /// A committed transfer of `amount` from `debit` to `credit`.
  static func transfer(
    _ id: String, from debit: String, to credit: String, amount: Int64 = 100,
    currency: Currency = .usd,
    reference: String = "", sequence: Int64, createdAt: Int64? = nil
  ) throws -> Transfer {
    try Transfer(
      id: TransferID(id), debitAccountID: AccountID(debit), creditAccountID: AccountID(credit),
      amount: Amount(minorUnits: amount), currency: currency, reference: reference,
      createdAt: Timestamp(nanosecondsSinceEpoch: createdAt ?? sequence * 1_000), sequence: sequence
    )
  }
}

/// An error a test's write closure throws to force a rollback.
struct PlannedFailure: Error, Equatable {}
