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

  /// Only the mutable columns: id, currency, flags, creation time and label never change. The
  /// history (`?6`, `?7`) is kept when NULL: only transfers inserted in the same transaction
  /// change it (see `AccountHistories`).
  static let updateAccount = """
    UPDATE accounts SET debits_posted = ?2, credits_posted = ?3, status = ?4, version = ?5,
      last_transfer_sequence = COALESCE(?6, last_transfer_sequence),
      transfer_count = COALESCE(?7, transfer_count)
    WHERE id = ?1
    """

  /// Writes a history that no account update wrote (transfers inserted without one).
  static let updateAccountHistory = """
    UPDATE accounts SET last_transfer_sequence = ?2, transfer_count = ?3 WHERE id = ?1
    """

  /// One account's latest transfer (no row: no such account).
  static let lastTransferOfAccount = "SELECT last_transfer_sequence FROM accounts WHERE id = ?1"

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

  /// One transfer by its sequence (a primary key seek): a step along an account's chain.
  static let transferWithSequence = "SELECT \(TransferRecord.columns) FROM transfers WHERE sequence = ?1"

  /// The first mark of account `?1` after sequence `?2`, if any (a primary key range seek).
  static let nextHistoryMark = """
    SELECT sequence FROM account_history_marks WHERE account_id = ?1 AND sequence > ?2
    ORDER BY account_id, sequence LIMIT 1
    """

  static let insertHistoryMark = "INSERT INTO account_history_marks (account_id, sequence) VALUES (?1, ?2)"

  /// The highest sequence, 0 when there is none (a seek to the end of the rowid b-tree).
  static let lastSequence = "SELECT COALESCE(MAX(sequence), 0) FROM transfers"
}
