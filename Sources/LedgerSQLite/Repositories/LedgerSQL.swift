/// The adapter's SQL, in one place. Every statement here is prepared once per connection and
/// reused (see `SQLiteConnection.statement`).
enum LedgerSQL {
  // MARK: accounts

  /// Looks up `size` account ids at once (see `InList`).
  static func accountsWithIDs(bucket size: Int) -> String {
    accountsWithIDsByBucket[InList.bucketIndex(for: size)]
  }

  /// The text of every bucket, built once (a batch looks ids up on every commit).
  private static let accountsWithIDsByBucket = InList.bucketSizes.map { size in
    "SELECT \(AccountRecord.columns) FROM accounts WHERE id IN (\(InList.placeholders(size)))"
  }

  static let insertAccount =
    "INSERT INTO accounts (\(AccountRecord.columns)) VALUES (\(AccountRecord.placeholders))"

  /// Only the mutable columns: id, currency, flags, creation time and label never change.
  static let updateAccount = """
    UPDATE accounts SET debits_posted = ?2, credits_posted = ?3, status = ?4, version = ?5
    WHERE id = ?1
    """

  /// One page of accounts in id order. `?1` is the cursor ('' for the first page: every id is
  /// longer), so the primary key range scan starts right after it; `?2` currency and `?3`
  /// status are filters when not NULL; `?4` the page size.
  static let listAccounts = """
    SELECT \(AccountRecord.columns) FROM accounts
    WHERE id > ?1 AND (?2 IS NULL OR currency = ?2) AND (?3 IS NULL OR status = ?3)
    ORDER BY id LIMIT ?4
    """

  // MARK: transfers

  /// Looks up `size` transfer ids at once (see `InList`); uses the UNIQUE index on id.
  static func transfersWithIDs(bucket size: Int) -> String {
    transfersWithIDsByBucket[InList.bucketIndex(for: size)]
  }

  /// The text of every bucket, built once.
  private static let transfersWithIDsByBucket = InList.bucketSizes.map { size in
    "SELECT \(TransferRecord.columns) FROM transfers WHERE id IN (\(InList.placeholders(size)))"
  }

  static let insertTransfer =
    "INSERT INTO transfers (\(TransferRecord.columns)) VALUES (\(TransferRecord.placeholders))"

  /// An account's transfers, both sides, in sequence order: one query. SQLite plans it as a
  /// MERGE of two range scans (`transfers_by_debit_account`, `transfers_by_credit_account`),
  /// each already in sequence order, and stops after `?5` rows, so a page costs O(page) whatever
  /// the account's history. `?2` is the cursor (exclusive), `?3`/`?4` the optional time range
  /// (from inclusive, to exclusive). A transfer never has the same account on both sides (a
  /// CHECK), so UNION ALL yields no duplicate.
  static let listTransfers = """
    SELECT \(TransferRecord.columns) FROM transfers
    WHERE debit_account_id = ?1 AND sequence > ?2
      AND (?3 IS NULL OR created_at >= ?3) AND (?4 IS NULL OR created_at < ?4)
    UNION ALL
    SELECT \(TransferRecord.columns) FROM transfers
    WHERE credit_account_id = ?1 AND sequence > ?2
      AND (?3 IS NULL OR created_at >= ?3) AND (?4 IS NULL OR created_at < ?4)
    ORDER BY sequence LIMIT ?5
    """

  /// The highest sequence, 0 when there is none (a seek to the end of the rowid b-tree).
  static let lastSequence = "SELECT COALESCE(MAX(sequence), 0) FROM transfers"
}
