import LedgerApplication
import LedgerDomain

/// `AccountRepository` over the `accounts` table: maps entities to records and back, and
/// leaves the SQL to `AccountTable`. Never commits.
struct SQLiteAccountRepository: AccountRepository {
  let scope: TransactionScope

  func accounts(withIDs ids: [AccountID]) throws -> [AccountID: Account] {
    let records = try scope.run { connection throws(SQLiteError) in
      try AccountTable(connection: connection).records(withIDs: ids.map(\.rawValue))
    }
    var accounts: [AccountID: Account] = [:]
    accounts.reserveCapacity(records.count)
    for record in records {
      // Kept for the transfers this transaction may insert: their chains start here.
      scope.histories.remember(record.history, of: record.id)
      let account = try record.entity()
      accounts[account.id] = account
    }
    return accounts
  }

  func insert(_ account: Account) throws {
    try scope.run { connection throws(SQLiteError) in
      try AccountTable(connection: connection).insert(AccountRecord(account))
    }
  }

  func update(_ accounts: [Account]) throws {
    try scope.run { connection throws(SQLiteError) in
      try AccountTable(connection: connection).update(
        accounts.map(AccountRecord.init), histories: &scope.histories)
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
