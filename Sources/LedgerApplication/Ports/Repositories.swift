import LedgerDomain

/// Accounts in storage. Returns entities, never records; never commits.
public protocol AccountRepository {
  /// The accounts that exist among `ids`, keyed by id, in one query (`IN (...)`); missing ids
  /// are simply absent.
  func accounts(withIDs ids: [AccountID]) throws -> [AccountID: Account]
  /// Stores a new account. Throws ``StorageError`` if the id exists (services check first).
  func insert(_ account: Account) throws
  /// Stores the posted totals, status and version of existing accounts.
  func update(_ accounts: [Account]) throws
  /// Accounts in id (byte) order after `query.afterID`, at most `query.limit`, filtered by
  /// currency and status when set.
  func list(_ query: AccountQuery) throws -> [Account]
}

/// Transfers in storage. Returns entities, never records; never commits.
public protocol TransferRepository {
  /// The transfers that exist among `ids`, keyed by id, in one query; missing ids are absent.
  func transfers(withIDs ids: [TransferID]) throws -> [TransferID: Transfer]
  /// Stores new transfers, in commit order: each one's sequence must be above that of every
  /// stored transfer of its two accounts (the write path assigns sequences in commit order, so
  /// it always is; adapters may rely on it to keep per-account history cheap). Throws
  /// ``StorageError`` if an id or a sequence exists, an account does not exist, or a transfer
  /// is out of order.
  func insert(_ transfers: [Transfer]) throws
  /// The account's debits and credits in sequence order, with sequence after
  /// `query.afterSequence`, created in `fromTime..<toTime` when set, at most `query.limit`.
  func list(_ query: TransferQuery) throws -> [Transfer]
  /// The highest sequence stored; 0 when there is no transfer.
  func lastSequence() throws -> Int64
}

/// One page request for ``AccountRepository/list(_:)``.
public struct AccountQuery: Sendable, Hashable {
  /// Only accounts whose id sorts after this one (byte order); nil for the first page.
  public var afterID: AccountID?
  /// At most this many accounts (`>= 0`).
  public var limit: Int
  /// Only accounts of this currency, if set.
  public var currency: Currency?
  /// Only accounts with this status, if set.
  public var status: AccountStatus?

  /// A query for at most `limit` accounts after `afterID`, optionally filtered.
  public init(afterID: AccountID? = nil, limit: Int, currency: Currency? = nil, status: AccountStatus? = nil) {
    precondition(limit >= 0, "AccountQuery limit \(limit) < 0")
    self.afterID = afterID
    self.limit = limit
    self.currency = currency
    self.status = status
  }
}

/// One page request for ``TransferRepository/list(_:)``.
public struct TransferQuery: Sendable, Hashable {
  /// The account whose debits and credits to list.
  public var accountID: AccountID
  /// Only transfers with a greater sequence; 0 for the first page.
  public var afterSequence: Int64
  /// Only transfers created at or after this time, if set.
  public var fromTime: Timestamp?
  /// Only transfers created before this time, if set.
  public var toTime: Timestamp?
  /// At most this many transfers (`>= 0`).
  public var limit: Int

  /// A query for at most `limit` of `accountID`'s transfers after `afterSequence`, optionally
  /// within `fromTime..<toTime`.
  public init(
    accountID: AccountID, afterSequence: Int64 = 0, fromTime: Timestamp? = nil, toTime: Timestamp? = nil,
    limit: Int
  ) {
    precondition(limit >= 0, "TransferQuery limit \(limit) < 0")
    self.accountID = accountID
    self.afterSequence = afterSequence
    self.fromTime = fromTime
    self.toTime = toTime
    self.limit = limit
  }
}
