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

  /// The columns, in the order `init(row:)` reads them and `bindAll(to:)` binds them.
  static let columns =
    "sequence, id, debit_account_id, credit_account_id, amount, currency, reference, created_at"
  /// `?1, ..., ?8`, matching `columns`.
  static let placeholders = InList.placeholders(8)

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
  }

  init(
    sequence: Int64, id: String, debitAccountID: String, creditAccountID: String, amount: Int64,
    currency: String, reference: String, createdAt: Int64
  ) {
    self.sequence = sequence
    self.id = id
    self.debitAccountID = debitAccountID
    self.creditAccountID = creditAccountID
    self.amount = amount
    self.currency = currency
    self.reference = reference
    self.createdAt = createdAt
  }

  /// Binds every column to `?1 ... ?8` in `columns` order.
  func bindAll(to statement: SQLiteStatement) throws(SQLiteError) {
    try statement.bind(sequence, at: 1)
    try statement.bind(id, at: 2)
    try statement.bind(debitAccountID, at: 3)
    try statement.bind(creditAccountID, at: 4)
    try statement.bind(amount, at: 5)
    try statement.bind(currency, at: 6)
    try statement.bind(reference, at: 7)
    try statement.bind(createdAt, at: 8)
  }
}
