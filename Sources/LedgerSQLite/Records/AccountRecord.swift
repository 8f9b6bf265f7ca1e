/// One row of `accounts`, exactly as stored: plain column values, no validation.
///
/// Kept apart from the domain's `Account` so the table can change shape without the entity
/// noticing; `AccountRecord+Mapping.swift` converts both ways and validates on the way in.
struct AccountRecord: Sendable, Equatable {
  var id: String
  var currency: String
  var debitsPosted: Int64
  var creditsPosted: Int64
  var noOverdraft: Bool
  /// `open` or `closed`.
  var status: String
  var version: Int64
  /// Nanoseconds since the Unix epoch.
  var createdAt: Int64
  var label: String
  /// The account's latest transfer and transfer count (see `AccountHistory`); storage
  /// bookkeeping, not part of the entity.
  var history: AccountHistory

  /// The columns, in the order `init(row:)` reads them and `bindAll(to:)` binds them.
  static let columns =
    """
    id, currency, debits_posted, credits_posted, no_overdraft, status, version, created_at, label, \
    last_transfer_sequence, transfer_count
    """
  /// `?1, ..., ?11`, matching `columns`.
  static let placeholders = InList.placeholders(11)

  /// Reads the current row of a statement that selected `columns`. Throws on a NULL or a value
  /// of the wrong storage class.
  init(row: SQLiteStatement) throws(SQLiteError) {
    id = try row.text(at: 0)
    currency = try row.text(at: 1)
    debitsPosted = try row.int64(at: 2)
    creditsPosted = try row.int64(at: 3)
    noOverdraft = try row.bool(at: 4)
    status = try row.text(at: 5)
    version = try row.int64(at: 6)
    createdAt = try row.int64(at: 7)
    label = try row.text(at: 8)
    history = AccountHistory(lastSequence: try row.int64(at: 9), count: try row.int64(at: 10))
  }

  init(
    id: String, currency: String, debitsPosted: Int64, creditsPosted: Int64, noOverdraft: Bool,
    status: String, version: Int64, createdAt: Int64, label: String, history: AccountHistory = .empty
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
    self.history = history
  }

  /// Binds every column to `?1 ... ?11` in `columns` order.
  func bindAll(to statement: SQLiteStatement) throws(SQLiteError) {
    try statement.bind(id, at: 1)
    try statement.bind(currency, at: 2)
    try statement.bind(debitsPosted, at: 3)
    try statement.bind(creditsPosted, at: 4)
    try statement.bind(noOverdraft, at: 5)
    try statement.bind(status, at: 6)
    try statement.bind(version, at: 7)
    try statement.bind(createdAt, at: 8)
    try statement.bind(label, at: 9)
    try statement.bind(history.lastSequence, at: 10)
    try statement.bind(history.count, at: 11)
  }
}
