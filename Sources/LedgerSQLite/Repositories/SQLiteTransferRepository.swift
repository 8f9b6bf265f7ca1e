import LedgerApplication
import LedgerDomain

/// `TransferRepository` over the `transfers` table: maps entities to records and back, and
/// leaves the SQL to `TransferTable`. Never commits.
struct SQLiteTransferRepository: TransferRepository {
  let scope: TransactionScope

  func transfers(withIDs ids: [TransferID]) throws -> [TransferID: Transfer] {
    let records = try scope.run { connection throws(SQLiteError) in
      try TransferTable(connection: connection).records(withIDs: ids.map(\.rawValue))
    }
    var transfers: [TransferID: Transfer] = [:]
    transfers.reserveCapacity(records.count)
    for record in records {
      let transfer = try record.entity()
      transfers[transfer.id] = transfer
    }
    return transfers
  }

  func insert(_ transfers: [Transfer]) throws {
    let records = transfers.map(TransferRecord.init)
    // The chains continue from each account's stored history; the write path has read them
    // already, other callers get them read here.
    _ = try scope.accountRows(
      scope.histories.unknown(among: records.lazy.flatMap { [$0.debitAccountID, $0.creditAccountID] }))
    try scope.run { connection throws(SQLiteError) in
      try TransferTable(connection: connection).insert(records, histories: &scope.histories)
    }
  }

  func list(_ query: TransferQuery) throws -> [Transfer] {
    let records = try scope.run { connection throws(SQLiteError) in
      try TransferTable(connection: connection).list(
        accountID: query.accountID.rawValue, afterSequence: query.afterSequence,
        fromTime: query.fromTime?.nanosecondsSinceEpoch,
        toTime: query.toTime?.nanosecondsSinceEpoch,
        limit: query.limit)
    }
    return try records.map { record throws(StorageError) in try record.entity() }
  }

  func lastSequence() throws -> Int64 {
    try scope.run { connection throws(SQLiteError) in
      try TransferTable(connection: connection).lastSequence()
    }
  }
}
