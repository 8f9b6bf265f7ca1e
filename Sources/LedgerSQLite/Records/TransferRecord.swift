/// One row of `transfers`, exactly as stored: plain column values, no validation.
///
/// Kept apart from the domain's `Transfer`; `TransferRecord+Mapping.swift` converts both ways
/// and validates on the way in.
struct TransferRecord: Sendable, Equatable {
  /// The ledger-wide commit order (the table's integer primary key).
  var sequence: Int64
  var id: String
  var debitAccountID: String
  var creditAccountID: String
  /// Minor units, positive.
  var amount: Int64
  var currency: String
  var reference: String
  /// Nanoseconds since the Unix epoch.
  var createdAt: Int64
  /// The debit account's previous transfer (its chain, see `AccountHistory`); 0 for none.
  var debitPrevious: Int64
  /// The credit account's previous transfer; 0 for none.
  var creditPrevious: Int64

  /// The columns, in the order `init(row:)` reads them and `bindAll(to:)` binds them.
  static let columns =
    """
    sequence, id, debit_account_id, credit_account_id, amount, currency, reference, created_at, \
    debit_previous, credit_previous
    """
  /// `?1, ..., ?10`, matching `columns`.
  static let placeholders = InList.placeholders(10)

  /// Reads the current row of a statement that selected `columns`. Throws on a NULL or a value
  /// of the wrong storage class.
  init(row: SQLiteStatement) throws(SQLiteError) {
    sequence = try row.int64(at: 0)
    id = try row.text(at: 1)
    debitAccountID = try row.text(at: 2)
    creditAccountID = try row.text(at: 3)
    amount = try row.int64(at: 4)
    currency = try row.text(at: 5)
    reference = try row.text(at: 6)
    createdAt = try row.int64(at: 7)
    debitPrevious = try row.int64(at: 8)
    creditPrevious = try row.int64(at: 9)
  }

  init(
    sequence: Int64, id: String, debitAccountID: String, creditAccountID: String, amount: Int64,
    currency: String, reference: String, createdAt: Int64, debitPrevious: Int64 = 0,
    creditPrevious: Int64 = 0
  ) {
    self.sequence = sequence
    self.id = id
    self.debitAccountID = debitAccountID
    self.creditAccountID = creditAccountID
    self.amount = amount
    self.currency = currency
    self.reference = reference
    self.createdAt = createdAt
    self.debitPrevious = debitPrevious
    self.creditPrevious = creditPrevious
  }

  /// The previous transfer of `accountID` in its chain, or nil when this row is not one of its
  /// transfers (a broken chain).
  func previous(of accountID: String) -> Int64? {
    if accountID == debitAccountID { return debitPrevious }
    if accountID == creditAccountID { return creditPrevious }
    return nil
  }

  /// Binds every column to `?1 ... ?10` in `columns` order.
  func bindAll(to statement: SQLiteStatement) throws(SQLiteError) {
    try statement.bind(sequence, at: 1)
    try statement.bind(id, at: 2)
    try statement.bind(debitAccountID, at: 3)
    try statement.bind(creditAccountID, at: 4)
    try statement.bind(amount, at: 5)
    try statement.bind(currency, at: 6)
    try statement.bind(reference, at: 7)
    try statement.bind(createdAt, at: 8)
    try statement.bind(debitPrevious, at: 9)
    try statement.bind(creditPrevious, at: 10)
  }
}
