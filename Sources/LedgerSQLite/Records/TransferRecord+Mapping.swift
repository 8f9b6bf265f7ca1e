import LedgerApplication
import LedgerDomain

extension TransferRecord {
  /// The row that stores `transfer`.
  init(_ transfer: Transfer) {
    self.init(
      sequence: transfer.sequence, id: transfer.id.rawValue,
      debitAccountID: transfer.debitAccountID.rawValue,
      creditAccountID: transfer.creditAccountID.rawValue, amount: transfer.amount.minorUnits,
      currency: transfer.currency.code, reference: transfer.reference,
      createdAt: transfer.createdAt.nanosecondsSinceEpoch)
  }

  /// The transfer this row stores, with every domain invariant checked.
  /// - Throws: `StorageError` naming the row and the broken rule when the row is corrupt.
  func entity() throws(StorageError) -> Transfer {
    do throws(LedgerError) {
      return try Transfer(
        id: TransferID(id), debitAccountID: AccountID(debitAccountID, field: "debit_account_id"),
        creditAccountID: AccountID(creditAccountID, field: "credit_account_id"),
        amount: Amount(minorUnits: amount), currency: Currency(currency), reference: reference,
        createdAt: Timestamp(nanosecondsSinceEpoch: createdAt), sequence: sequence)
    } catch {
      throw StorageError("corrupt row in transfers (sequence \(sequence)): \(error.message)")
    }
  }
}
