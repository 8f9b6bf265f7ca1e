import LedgerApplication
import LedgerDomain

/// The repositories of one in-memory transaction: they read and change `tables`, a private
/// copy that the store swaps in only if the transaction's closure returns.
///
/// Not `Sendable`, like every `RepositoryContext`: it belongs to the one closure it is passed to,
/// and using it after that closure returns throws.
final class InMemoryTransaction: RepositoryContext {
  private(set) var tables: InMemoryTables
  private let isWritable: Bool
  private var isOpen = true

  init(tables: InMemoryTables, isWritable: Bool) {
    self.tables = tables
    self.isWritable = isWritable
  }

  var accounts: any AccountRepository { InMemoryAccountRepository(transaction: self) }
  var transfers: any TransferRepository { InMemoryTransferRepository(transaction: self) }

  /// Ends the transaction; later calls through its repositories throw.
  func close() { isOpen = false }

  func reading<Result>(_ body: (InMemoryTables) throws(StorageError) -> Result) throws(StorageError) -> Result {
    guard isOpen else { throw StorageError("the transaction has ended; repositories are only valid inside it") }
    return try body(tables)
  }

  func writing(_ body: (inout InMemoryTables) throws(StorageError) -> Void) throws(StorageError) {
    guard isOpen else { throw StorageError("the transaction has ended; repositories are only valid inside it") }
    guard isWritable else { throw StorageError("a read transaction cannot write") }
    try body(&tables)
  }
}

struct InMemoryAccountRepository: AccountRepository {
  let transaction: InMemoryTransaction

  func accounts(withIDs ids: [AccountID]) throws -> [AccountID: Account] {
    try transaction.reading { tables in
      var found: [AccountID: Account] = [:]
      for id in ids { found[id] = tables.accountsByID[id] }
      return found
    }
  }

  func insert(_ account: Account) throws {
    try transaction.writing { tables throws(StorageError) in try tables.insert(account) }
  }

  func update(_ accounts: [Account]) throws {
    try transaction.writing { tables throws(StorageError) in
      for account in accounts { try tables.update(account) }
    }
  }

  func list(_ query: AccountQuery) throws -> [Account] {
    try transaction.reading { tables in tables.accounts(query) }
  }
}

struct InMemoryTransferRepository: TransferRepository {
  let transaction: InMemoryTransaction

  func transfers(withIDs ids: [TransferID]) throws -> [TransferID: Transfer] {
    try transaction.reading { tables in
      var found: [TransferID: Transfer] = [:]
      for id in ids { found[id] = tables.transfersByID[id] }
      return found
    }
  }

  func insert(_ transfers: [Transfer]) throws {
    try transaction.writing { tables throws(StorageError) in
      for transfer in transfers { try tables.insert(transfer) }
    }
  }

  func list(_ query: TransferQuery) throws -> [Transfer] {
    try transaction.reading { tables in tables.transfers(query) }
  }

  func lastSequence() throws -> Int64 {
    try transaction.reading { tables in tables.lastSequence }
  }
}
