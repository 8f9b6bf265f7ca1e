import LedgerApplication
import LedgerDomain

/// `AccountRepository` over the `accounts` table: maps entities to records and back, and
/// leaves the SQL to `AccountTable`. Never commits.
struct SQLiteAccountRepository: AccountRepository {
  let scope: TransactionScope

  func accounts(withIDs ids: [AccountID]) throws -> [AccountID: Account] {
    let records = try scope.accountRows(ids.map(\.rawValue))
    var accounts: [AccountID: Account] = [:]
    accounts.reserveCapacity(records.count)
    for record in records {
      let account = try record.entity()
      accounts[account.id] = account
    }
    return accounts
  }

  func insert(_ account: Account) throws {
    let record = AccountRecord(account)
    try scope.run { connection throws(SQLiteError) in
      try AccountTable(connection: connection).insert(record)
    }
    scope.noteAccountRow(record)
  }

  func update(_ accounts: [Account]) throws {
    let records = accounts.map(AccountRecord.init)
    // The histories that transfers of this transaction changed, written with the totals.
    let histories = records.map { scope.histories.take($0.id) }
    try scope.run { connection throws(SQLiteError) in
      try AccountTable(connection: connection).update(records, histories: histories)
    }
    for (record, history) in zip(records, histories) {
      // Only the mutable columns changed; the rest of the row is what was stored.
      guard var row = scope.knownAccountRow(record.id) else {
        scope.noteAccountRowStale(record.id)
        continue
      }
      row.debitsPosted = record.debitsPosted
      row.creditsPosted = record.creditsPosted
      row.status = record.status
      row.version = record.version
      if let history { row.history = history }
      scope.noteAccountRow(row)
    }
  }

  func list(_ query: AccountQuery) throws -> [Account] {
    let records = try scope.run { connection throws(SQLiteError) in
      // '' sorts before every valid id, so the first page needs no second statement.
      try AccountTable(connection: connection).list(
        afterID: query.afterID?.rawValue ?? "", currency: query.currency?.code,
        status: query.status?.rawValue, limit: query.limit)
    }
    return try records.map { record throws(StorageError) in try record.entity() }
  }
}
