import CSQLite

/// Where an account's transfers are, without an index per account.
///
/// An index on `(account, sequence)` costs every insert a leaf page in a random place of the
/// index for each side of the transfer; under group commit those pages are most of what a
/// commit writes to the WAL and syncs. Instead each account's transfers form a chain:
///
/// - every `transfers` row stores, per side, the sequence of that account's previous transfer
///   (`debit_previous`, `credit_previous`; 0 for none);
/// - every `accounts` row stores its latest transfer and how many it has
///   (`last_transfer_sequence`, `transfer_count`). The row is rewritten by the same commit
///   anyway, for its posted totals;
/// - every `markSpacing`-th transfer of an account is a row of `account_history_marks`
///   (`account_id`, `sequence`), so a page after a cursor starts from the first mark after the
///   cursor and walks back at most `markSpacing` transfers, instead of from the latest one.
///
/// A page of `n` transfers therefore reads at most `n + markSpacing` rows by primary key plus one
/// mark per `markSpacing` rows, whatever the account's history; an insert writes the table's
/// last page, the id index, and a mark row for one posting in `markSpacing`.
struct AccountHistory: Sendable, Equatable {
  /// The sequence of the account's latest transfer; 0 when it has none.
  var lastSequence: Int64
  /// How many transfers the account is a side of.
  var count: Int64

  /// One transfer of an account in this many is a mark. Listing is correct with any set of
  /// marks (they only bound the walk), so changing this needs no migration.
  static let markSpacing: Int64 = 32

  /// An account with no transfer.
  static let empty = AccountHistory(lastSequence: 0, count: 0)
}

/// The account histories one write transaction has read or changed, so that inserting
/// transfers and updating their accounts agree without reading the rows twice.
///
/// Histories enter when the transaction reads accounts (`remember`) or when an insert needs one
/// it has not seen (the caller loads them). Inserting transfers advances them (`append`); the
/// account update then writes them with the posted totals (`take`), and whatever no update
/// wrote is written before the commit (`takeAllChanged`).
struct AccountHistories {
  private var known: [String: AccountHistory] = [:]
  /// Accounts whose history changed and is not written yet, in the order they changed.
  private var changed: [String] = []
  private var changedSet: Set<String> = []

  /// The ids among `ids` with no known history.
  func unknown(among ids: some Sequence<String>) -> [String] {
    var missing: [String] = []
    var seen = Set<String>()
    for id in ids where known[id] == nil && seen.insert(id).inserted { missing.append(id) }
    return missing
  }

  /// Makes room for `count` more accounts, so a batch's accounts do not regrow the tables.
  mutating func reserveCapacity(_ count: Int) {
    known.reserveCapacity(known.count + count)
    changed.reserveCapacity(changed.count + count)
    changedSet.reserveCapacity(changedSet.count + count)
  }

  /// Records the stored history of `id`, unless this transaction has already changed it (then
  /// the stored row is older than what is known).
  mutating func remember(_ history: AccountHistory, of id: String) {
    if !changedSet.contains(id) { known[id] = history }
  }

  /// Chains a new transfer onto its two accounts.
  /// - Returns: the previous transfer of each side, and the accounts for which it is a mark.
  /// - Throws: `SQLiteError` (constraint) when an account is unknown (it does not exist) or
  ///   when `sequence` is not after the account's latest transfer: transfers are stored in
  ///   commit order, which is what keeps each chain in sequence order.
  mutating func append(sequence: Int64, debit: String, credit: String) throws(SQLiteError)
    -> (debitPrevious: Int64, creditPrevious: Int64, marks: [String])
  {
    var marks: [String] = []
    let debitPrevious = try advance(debit, to: sequence, marks: &marks)
    let creditPrevious = try advance(credit, to: sequence, marks: &marks)
    return (debitPrevious, creditPrevious, marks)
  }

  /// The changed history of `id` to write now (nil when it did not change), which then no
  /// longer counts as pending.
  mutating func take(_ id: String) -> AccountHistory? {
    guard changedSet.remove(id) != nil else { return nil }
    return known[id]
  }

  /// Every changed history not written yet, in the order they changed.
  mutating func takeAllChanged() -> [(id: String, history: AccountHistory)] {
    let pending = changed.compactMap { id in take(id).map { (id: id, history: $0) } }
    changed.removeAll()
    return pending
  }

  private mutating func advance(_ id: String, to sequence: Int64, marks: inout [String]) throws(SQLiteError)
    -> Int64
  {
    guard var history = known[id] else {
      throw SQLiteError(
        code: SQLITE_CONSTRAINT,
        message: """
          FOREIGN KEY constraint failed: insert of transfer \(sequence) names account \
          '\(id.prefix(80))', which does not exist
          """)
    }
    guard sequence > history.lastSequence else {
      throw SQLiteError(
        code: SQLITE_CONSTRAINT,
        message: """
          insert of transfer \(sequence): account '\(id.prefix(80))' already has transfer \
          \(history.lastSequence); transfers are stored in commit (sequence) order
          """)
    }
    let previous = history.lastSequence
    history.lastSequence = sequence
    history.count += 1
    if history.count % AccountHistory.markSpacing == 0 { marks.append(id) }
    known[id] = history
    if changedSet.insert(id).inserted { changed.append(id) }
    return previous
  }
}
