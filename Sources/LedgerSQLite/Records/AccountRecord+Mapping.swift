import LedgerApplication
import LedgerDomain

extension AccountRecord {
  /// The row that stores `account`.
  init(_ account: Account) {
    self.init(
      id: account.id.rawValue, currency: account.currency.code, debitsPosted: account.debitsPosted,
      creditsPosted: account.creditsPosted, noOverdraft: account.noOverdraft,
      status: account.status.rawValue,
      version: account.version, createdAt: account.createdAt.nanosecondsSinceEpoch,
      label: account.label)
  }

  /// The account this row stores, with every domain invariant checked.
  /// - Throws: `StorageError` naming the row and the broken rule when the row is corrupt (an id
  ///   or currency the domain rejects, an unknown status, negative totals, ...): a bad row is an
  ///   infrastructure failure to report, never a reason to trap.
  func entity() throws(StorageError) -> Account {
    do throws(LedgerError) {
      guard let status = AccountStatus(rawValue: status) else {
        throw LedgerError.invalidArgument(field: "status", reason: "unknown status '\(status)'")
      }
      return try Account(
        id: AccountID(id), currency: Currency(currency), debitsPosted: debitsPosted,
        creditsPosted: creditsPosted, noOverdraft: noOverdraft, status: status, version: version,
        createdAt: Timestamp(nanosecondsSinceEpoch: createdAt), label: label)
    } catch {
      throw StorageError("corrupt row in accounts (id '\(id.prefix(80))'): \(error.message)")
    }
  }
}
