import CSQLite

/// The `accounts` table at the record level: SQL, binding and row reading, no domain types.
///
/// A value over the connection of the current transaction; it never begins or commits.
struct AccountTable {
  let connection: SQLiteConnection

  /// The rows whose id is in `ids` (duplicates ignored, missing ids absent), with one cached
  /// statement execution per `InList.chunkSizeMax` ids.
  func records(withIDs ids: [String]) throws(SQLiteError) -> [AccountRecord] {
    var records: [AccountRecord] = []
    records.reserveCapacity(ids.count)
    for chunk in InList.chunks(unique(ids)) {
      let sql = LedgerSQL.accountsWithIDs(bucket: InList.bucket(for: chunk.count))
      try connection.withStatement(sql) { statement throws(SQLiteError) in
        try InList.bind(chunk, to: statement)
        while try statement.step() { records.append(try AccountRecord(row: statement)) }
      }
    }
    return records
  }

  /// Inserts one row; an existing id fails with a constraint error.
  func insert(_ record: AccountRecord) throws(SQLiteError) {
    try connection.withStatement(LedgerSQL.insertAccount) { statement throws(SQLiteError) in
      try record.bindAll(to: statement)
      try statement.run()
    }
  }

  /// Writes the mutable columns of each record (posted totals, status, version), and the
  /// history at the same index of `histories` when there is one (nil keeps the stored one).
  /// Every record must name an existing row: updating a missing account is an error, not a
  /// silent no-op.
  func update(_ records: [AccountRecord], histories: [AccountHistory?]) throws(SQLiteError) {
    precondition(records.count == histories.count, "a history, or nil, per record")
    guard !records.isEmpty else { return }
    let statement = try connection.statement(LedgerSQL.updateAccount)
    for (record, history) in zip(records, histories) {
      defer { statement.reset() }
      try statement.bind(record.id, at: 1)
      try statement.bind(record.debitsPosted, at: 2)
      try statement.bind(record.creditsPosted, at: 3)
      try statement.bind(record.status, at: 4)
      try statement.bind(record.version, at: 5)
      try statement.bind(history?.lastSequence, at: 6)
      try statement.bind(history?.count, at: 7)
      try statement.run()
      try requireOneChange(record.id)
    }
  }

  /// Writes histories no update wrote (see `TransactionScope.writePendingHistories`).
  func writeHistories(_ pending: [(id: String, history: AccountHistory)]) throws(SQLiteError) {
    let statement = try connection.statement(LedgerSQL.updateAccountHistory)
    for (id, history) in pending {
      defer { statement.reset() }
      try statement.bind(id, at: 1)
      try statement.bind(history.lastSequence, at: 2)
      try statement.bind(history.count, at: 3)
      try statement.run()
      try requireOneChange(id)
    }
  }

  private func requireOneChange(_ id: String) throws(SQLiteError) {
    guard try connection.changes() == 1 else {
      throw SQLiteError(code: SQLITE_NOTFOUND, message: "update of account \(id): no such row")
    }
  }

  /// One page in id order: ids after `afterID` ('' for the first page), optionally only one
  /// currency and one status, at most `limit` rows.
  func list(afterID: String, currency: String?, status: String?, limit: Int) throws(SQLiteError)
    -> [AccountRecord]
  {
    guard limit > 0 else { return [] }
    return try connection.withStatement(LedgerSQL.listAccounts) { statement throws(SQLiteError) in
      try statement.bind(afterID, at: 1)
      try statement.bind(currency, at: 2)
      try statement.bind(status, at: 3)
      try statement.bind(Int64(limit), at: 4)
      var records: [AccountRecord] = []
      while try statement.step() { records.append(try AccountRecord(row: statement)) }
      return records
    }
  }
}

/// `ids` without duplicates, first occurrence order kept.
func unique(_ ids: [String]) -> [String] {
  var seen = Set<String>(minimumCapacity: ids.count)
  return ids.filter { seen.insert($0).inserted }
}
