import LedgerApplication
import LedgerDomain

/// The in-memory "database": plain values, so a transaction can work on a copy and swap it in.
///
/// Indexes mirror the SQLite schema's, so both adapters answer the same queries the same way:
/// accounts by id in byte order, transfers by id, by sequence (unique) and per account in
/// sequence order. The same constraints hold: unique account ids, unique transfer ids and
/// sequences, transfers referencing existing accounts, updates only of existing accounts.
struct InMemoryTables: Sendable {
  private(set) var accountsByID: [AccountID: Account] = [:]
  /// Every account id, in byte order (the order `list` returns).
  private var sortedAccountIDs: [AccountID] = []
  private(set) var transfersByID: [TransferID: Transfer] = [:]
  private var transferIDsBySequence: [Int64: TransferID] = [:]
  /// Each account's debits and credits, in sequence order.
  private var transfersByAccount: [AccountID: [Transfer]] = [:]
  private(set) var lastSequence: Int64 = 0

  mutating func insert(_ account: Account) throws(StorageError) {
    guard accountsByID[account.id] == nil else {
      throw StorageError("insert of account \(account.id): the id exists")
    }
    accountsByID[account.id] = account
    sortedAccountIDs.insert(account.id, at: Self.firstIndex(in: sortedAccountIDs) { $0 > account.id })
  }

  /// Stores the posted totals, status and version of `account`; like the SQLite adapter, the
  /// fields fixed at opening (currency, flags, label, creation time) keep their stored values.
  mutating func update(_ account: Account) throws(StorageError) {
    guard let stored = accountsByID[account.id] else {
      throw StorageError("update of account \(account.id): no such account")
    }
    do {
      accountsByID[account.id] = try Account(
        id: stored.id, currency: stored.currency, debitsPosted: account.debitsPosted,
        creditsPosted: account.creditsPosted, noOverdraft: stored.noOverdraft, status: account.status,
        version: account.version, createdAt: stored.createdAt, label: stored.label)
    } catch {
      throw StorageError("update of account \(account.id) breaks an invariant: \(error)")
    }
  }

  mutating func insert(_ transfer: Transfer) throws(StorageError) {
    guard transfersByID[transfer.id] == nil else {
      throw StorageError("insert of transfer \(transfer.id): the id exists")
    }
    guard transferIDsBySequence[transfer.sequence] == nil else {
      throw StorageError("insert of transfer \(transfer.id): sequence \(transfer.sequence) exists")
    }
    for accountID in [transfer.debitAccountID, transfer.creditAccountID] where accountsByID[accountID] == nil {
      throw StorageError("insert of transfer \(transfer.id): account \(accountID) does not exist")
    }
    // Like the SQLite adapter, whose per-account chains need it: transfers are stored in
    // commit order, so each is after every stored transfer of its accounts.
    for accountID in [transfer.debitAccountID, transfer.creditAccountID] {
      if let latest = transfersByAccount[accountID]?.last, latest.sequence >= transfer.sequence {
        throw StorageError(
          "insert of transfer \(transfer.id): account \(accountID) already has transfer \(latest.sequence); "
            + "transfers are stored in commit (sequence) order")
      }
    }
    transfersByID[transfer.id] = transfer
    transferIDsBySequence[transfer.sequence] = transfer.id
    lastSequence = max(lastSequence, transfer.sequence)
    for accountID in [transfer.debitAccountID, transfer.creditAccountID] {
      transfersByAccount[accountID, default: []].append(transfer)
    }
  }

  func accounts(_ query: AccountQuery) -> [Account] {
    guard query.limit > 0 else { return [] }
    let start = query.afterID.map { afterID in Self.firstIndex(in: sortedAccountIDs) { $0 > afterID } } ?? 0
    var page: [Account] = []
    for id in sortedAccountIDs[start...] {
      guard let account = accountsByID[id] else { preconditionFailure("account index names missing \(id)") }
      if let currency = query.currency, account.currency != currency { continue }
      if let status = query.status, account.status != status { continue }
      page.append(account)
      if page.count == query.limit { break }
    }
    return page
  }

  func transfers(_ query: TransferQuery) -> [Transfer] {
    guard query.limit > 0, let history = transfersByAccount[query.accountID] else { return [] }
    let start = Self.firstIndex(in: history) { $0.sequence > query.afterSequence }
    var page: [Transfer] = []
    for transfer in history[start...] {
      if let from = query.fromTime, transfer.createdAt < from { continue }
      if let to = query.toTime, transfer.createdAt >= to { continue }
      page.append(transfer)
      if page.count == query.limit { break }
    }
    return page
  }

  /// The first index of sorted `elements` whose element satisfies `isAfter` (which must be false
  /// for a prefix and true for the rest); `elements.count` if none does.
  private static func firstIndex<Element>(in elements: [Element], where isAfter: (Element) -> Bool) -> Int {
    var low = 0
    var high = elements.count
    while low < high {
      let middle = (low + high) / 2
      if isAfter(elements[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
