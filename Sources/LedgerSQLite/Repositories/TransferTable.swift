import CSQLite

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

  /// Inserts the rows with one cached statement (bind, step, reset per row), chaining each onto
  /// its accounts' histories (see `AccountHistory`) and adding the marks that fall due.
  /// `histories` must know every account of `records` (`TransactionScope.accountRows` reads
  /// them); the accounts' rows are updated later from it (`AccountTable.update` or
  /// `writeHistories`).
  ///
  /// Fails with a constraint error on a duplicate id or sequence, an unknown account, or a
  /// sequence not after its accounts' latest transfer (transfers are stored in commit order).
  func insert(_ records: [TransferRecord], histories: inout AccountHistories) throws(SQLiteError) {
    guard !records.isEmpty else { return }
    let statement = try connection.statement(LedgerSQL.insertTransfer)
    var marks: [(accountID: String, sequence: Int64)] = []
    for var record in records {
      defer { statement.reset() }
      let chained = try histories.append(
        sequence: record.sequence, debit: record.debitAccountID, credit: record.creditAccountID)
      record.debitPrevious = chained.debitPrevious
      record.creditPrevious = chained.creditPrevious
      for accountID in chained.marks { marks.append((accountID, record.sequence)) }
      try record.bindAll(to: statement)
      try statement.run()
    }
    guard !marks.isEmpty else { return }
    let insertMark = try connection.statement(LedgerSQL.insertHistoryMark)
    for mark in marks {
      defer { insertMark.reset() }
      try insertMark.bind(mark.accountID, at: 1)
      try insertMark.bind(mark.sequence, at: 2)
      try insertMark.run()
    }
  }

  /// One page of an account's transfers (debit and credit side) in sequence order, after
  /// `afterSequence`, created in `fromTime ..< toTime` when given, at most `limit` rows.
  ///
  /// Walks the account's chain (see `AccountHistory`) one segment at a time: the segment ends at
  /// the first mark after the cursor (or at the latest transfer when no mark follows) and is
  /// read backwards to the cursor, then returned forwards. Each step is a primary key seek, so
  /// a page costs O(limit + markSpacing) seeks whatever the account's history, as long as the
  /// time range does not skip rows.
  func list(
    accountID: String, afterSequence: Int64, fromTime: Int64?, toTime: Int64?, limit: Int
  ) throws(SQLiteError) -> [TransferRecord] {
    guard limit > 0 else { return [] }
    let last = try connection.withStatement(LedgerSQL.lastTransferOfAccount) { statement throws(SQLiteError) in
      try statement.bind(accountID, at: 1)
      return try statement.step() ? try statement.int64(at: 0) : Int64(0)
    }
    var page: [TransferRecord] = []
    var cursor = afterSequence
    while page.count < limit && cursor < last {
      let end = try nextMark(of: accountID, after: cursor) ?? last
      for record in try segment(of: accountID, from: end, downTo: cursor).reversed() {
        if let fromTime, record.createdAt < fromTime { continue }
        if let toTime, record.createdAt >= toTime { continue }
        page.append(record)
        if page.count == limit { break }
      }
      cursor = end
    }
    return page
  }

  /// The account's first mark after `sequence`, if any.
  private func nextMark(of accountID: String, after sequence: Int64) throws(SQLiteError) -> Int64? {
    try connection.withStatement(LedgerSQL.nextHistoryMark) { statement throws(SQLiteError) in
      try statement.bind(accountID, at: 1)
      try statement.bind(sequence, at: 2)
      return try statement.step() ? try statement.int64(at: 0) : nil
    }
  }

  /// The account's transfers from sequence `end` back along its chain, newest first, down to
  /// (excluding) `floor`.
  /// - Throws: `SQLiteError` (corrupt) when a link names a missing row, a row of another
  ///   account, or does not go back: the chain is broken, which is reported, never looped on.
  private func segment(of accountID: String, from end: Int64, downTo floor: Int64) throws(SQLiteError)
    -> [TransferRecord]
  {
    var records: [TransferRecord] = []
    let statement = try connection.statement(LedgerSQL.transferWithSequence)
    var sequence = end
    while sequence > floor {
      defer { statement.reset() }
      try statement.bind(sequence, at: 1)
      guard try statement.step() else {
        throw Self.brokenChain(accountID, at: sequence, "no such transfer")
      }
      let record = try TransferRecord(row: statement)
      guard let previous = record.previous(of: accountID) else {
        throw Self.brokenChain(accountID, at: sequence, "the transfer is not the account's")
      }
      guard previous < sequence else {
        throw Self.brokenChain(accountID, at: sequence, "the link goes forward to \(previous)")
      }
      records.append(record)
      sequence = previous
    }
    return records
  }

  private static func brokenChain(_ accountID: String, at sequence: Int64, _ detail: String) -> SQLiteError {
    SQLiteError(
      code: SQLITE_CORRUPT,
      message: "the history of account '\(accountID.prefix(80))' is broken at transfer \(sequence): \(detail)")
  }

  /// The highest sequence stored, 0 when the table is empty.
  func lastSequence() throws(SQLiteError) -> Int64 {
    try connection.withStatement(LedgerSQL.lastSequence) { statement throws(SQLiteError) in
      guard try statement.step() else { return Int64(0) }
      return try statement.int64(at: 0)
    }
  }
}
