import LedgerApplication

/// The writer's copy of the account rows that committed write transactions read or wrote, so a
/// group commit does not look the same hot accounts up again on every batch.
///
/// Every transfer batch loads each account it names; with the chains of `AccountHistory` that
/// lookup (an `IN` query, a row decoded into strings per account) had become as costly as the
/// inserts, on the one serial writer. The cache holds rows exactly as stored, and is only ever
/// changed by a transaction that committed:
///
/// - a write transaction of the unit of work reads through it and collects the rows it reads
///   from the database or writes in its `TransactionScope`; they enter the cache only after its
///   `COMMIT` succeeded. A transaction that throws or fails to commit changes nothing here;
/// - a row the scope cannot follow exactly (a history written for an account it never read) is
///   dropped when the transaction commits, so the next one reads it again;
/// - `PRAGMA data_version`, read after `BEGIN IMMEDIATE` (which holds the write lock), changes
///   when another connection has committed: then the whole cache is dropped. Within this
///   process nothing else writes (readers are `query_only`, the checkpointer copies pages), so
///   this only fires when another process writes the same file;
/// - raw writes (`withWriteTransaction`, for tests and maintenance) drop the whole cache;
/// - past `capacity` rows the cache is emptied before the next commit's rows enter it.
///
/// Only write transactions use it, and they run one at a time on the writer's queue; the lock
/// is uncontended and only makes that evident to the compiler.
final class AccountRowCache: Sendable {
  /// Counters for tests and diagnostics.
  struct Statistics: Sendable, Equatable {
    /// Rows served from the cache.
    var hits = 0
    /// Rows a write transaction had to read from the database.
    var misses = 0
    /// Times the whole cache was dropped (another connection wrote, a raw write, the capacity).
    var clears = 0
  }

  private struct State {
    var rows: [String: AccountRecord] = [:]
    /// `PRAGMA data_version` at the last write transaction; nil before the first.
    var dataVersion: Int64?
    var statistics = Statistics()
  }

  /// The most rows kept; 0 turns the cache off.
  let capacity: Int
  private let state = Locked(State())

  init(capacity: Int) {
    precondition(capacity >= 0, "an account row cache of \(capacity) rows")
    self.capacity = capacity
  }

  var isEnabled: Bool { capacity > 0 }

  var statistics: Statistics { state.withLock { $0.statistics } }

  /// Called at the start of a write transaction with the connection's `data_version`: drops
  /// every row when another connection has committed since the last one.
  func begin(dataVersion: Int64) {
    state.withLock { state in
      if let seen = state.dataVersion, seen != dataVersion { Self.clear(&state) }
      state.dataVersion = dataVersion
    }
  }

  /// The cached rows among `ids`, and the ids it does not hold.
  func rows(for ids: [String]) -> (found: [AccountRecord], missing: [String]) {
    state.withLock { state in
      var found: [AccountRecord] = []
      var missing: [String] = []
      found.reserveCapacity(ids.count)
      for id in ids {
        if let row = state.rows[id] { found.append(row) } else { missing.append(id) }
      }
      state.statistics.hits += found.count
      state.statistics.misses += missing.count
      return (found, missing)
    }
  }

  /// The cached row of `id`, if any; counts a hit or a miss like `rows(for:)`.
  func row(for id: String) -> AccountRecord? {
    state.withLock { state in
      let row = state.rows[id]
      if row == nil { state.statistics.misses += 1 } else { state.statistics.hits += 1 }
      return row
    }
  }

  /// What a committed transaction read and wrote: `rows` as they now are in the database, and
  /// `stale` ids whose stored row it changed without knowing the result.
  func committed(rows: [String: AccountRecord], stale: Set<String>) {
    guard isEnabled else { return }
    state.withLock { state in
      for id in stale { state.rows[id] = nil }
      if state.rows.count + rows.count > capacity { Self.clear(&state) }
      guard rows.count <= capacity else { return }
      state.rows.merge(rows) { _, new in new }
    }
  }

  /// Drops every row (a write the cache cannot follow).
  func clear() {
    state.withLock { Self.clear(&$0) }
  }

  private static func clear(_ state: inout State) {
    if !state.rows.isEmpty { state.statistics.clears += 1 }
    state.rows.removeAll()
  }
}
