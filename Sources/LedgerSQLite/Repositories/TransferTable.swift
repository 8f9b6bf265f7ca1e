/// The `transfers` table at the record level: SQL, binding and row reading, no domain types.
///
/// A value over the connection of the current transaction; it never begins or commits.
struct TransferTable {
  let connection: SQLiteConnection

  /// The rows whose id is in `ids` (duplicates ignored, missing ids absent), with one cached
  /// statement execution per `InList.chunkSizeMax` ids.
  func records(withIDs ids: [String]) throws(SQLiteError) -> [TransferRecord] {
    var records: [TransferRecord] = []
    records.reserveCapacity(ids.count)
    for chunk in InList.chunks(unique(ids)) {
      let sql = LedgerSQL.transfersWithIDs(bucket: InList.bucket(for: chunk.count))
      try connection.withStatement(sql) { statement throws(SQLiteError) in
        try InList.bind(chunk, to: statement)
        while try statement.step() { records.append(try TransferRecord(row: statement)) }
      }
    }
    return records
  }

  /// Inserts the rows with one cached statement (bind, step, reset per row). A duplicate id or
  /// sequence, or an unknown account, fails with a constraint error.
  func insert(_ records: [TransferRecord]) throws(SQLiteError) {
    guard !records.isEmpty else { return }
    let statement = try connection.statement(LedgerSQL.insertTransfer)
    for record in records {
      defer { statement.reset() }
      try record.bindAll(to: statement)
      try statement.run()
    }
  }

  /// One page of an account's transfers (debit and credit side) in sequence order, after
  /// `afterSequence`, created in `fromTime ..< toTime` when given, at most `limit` rows.
  func list(
    accountID: String, afterSequence: Int64, fromTime: Int64?, toTime: Int64?, limit: Int
  ) throws(SQLiteError) -> [TransferRecord] {
    guard limit > 0 else { return [] }
    return try connection.withStatement(LedgerSQL.listTransfers) { statement throws(SQLiteError) in
      try statement.bind(accountID, at: 1)
      try statement.bind(afterSequence, at: 2)
      try statement.bind(fromTime, at: 3)
      try statement.bind(toTime, at: 4)
      try statement.bind(Int64(limit), at: 5)
      var records: [TransferRecord] = []
      while try statement.step() { records.append(try TransferRecord(row: statement)) }
      return records
    }
  }

  /// The highest sequence stored, 0 when the table is empty.
  func lastSequence() throws(SQLiteError) -> Int64 {
    try connection.withStatement(LedgerSQL.lastSequence) { statement throws(SQLiteError) in
      guard try statement.step() else { return Int64(0) }
      return try statement.int64(at: 0)
    }
  }
}
