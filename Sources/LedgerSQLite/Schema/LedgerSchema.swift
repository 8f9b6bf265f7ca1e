/// The Ledger's schema history. Append new migrations; never edit one that has shipped.
///
/// Tables are `STRICT` (a value of the wrong type is an error, not a silent conversion) and
/// carry CHECK constraints for the invariants a row must keep on its own, so the database
/// asserts them too, on the other side of the boundary from the domain.
///
/// Version 2 replaced the two per-account indexes on `transfers` with chains (see
/// `AccountHistory`): each transfer row points at each of its accounts' previous transfer, each
/// account row at its latest, and `account_history_marks` holds every `markSpacing`-th transfer
/// of an account so a page can start mid-history. An insert then dirties the table's last page,
/// the id index and a mark now and then instead of two random index leaves.
enum LedgerSchema {
  /// Every migration, in order.
  static let migrations: [Migration] = [
    Migration(
      version: 1, name: "accounts and transfers",
      sql: """
        CREATE TABLE accounts (
          id TEXT PRIMARY KEY NOT NULL,
          currency TEXT NOT NULL,
          debits_posted INTEGER NOT NULL CHECK (debits_posted >= 0),
          credits_posted INTEGER NOT NULL CHECK (credits_posted >= 0),
          no_overdraft INTEGER NOT NULL CHECK (no_overdraft IN (0, 1)),
          status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
          version INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          label TEXT NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE transfers (
          sequence INTEGER PRIMARY KEY NOT NULL,
          id TEXT NOT NULL UNIQUE,
          debit_account_id TEXT NOT NULL REFERENCES accounts (id),
          credit_account_id TEXT NOT NULL REFERENCES accounts (id),
          amount INTEGER NOT NULL CHECK (amount > 0),
          currency TEXT NOT NULL,
          reference TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          CHECK (debit_account_id <> credit_account_id)
        ) STRICT;

        CREATE INDEX transfers_by_debit_account ON transfers (debit_account_id, sequence);
        CREATE INDEX transfers_by_credit_account ON transfers (credit_account_id, sequence);
        """),
    Migration(
      version: 2, name: "account histories as chains",
      sql: """
        ALTER TABLE transfers ADD COLUMN debit_previous INTEGER NOT NULL DEFAULT 0
          CHECK (debit_previous >= 0 AND debit_previous < sequence);
        ALTER TABLE transfers ADD COLUMN credit_previous INTEGER NOT NULL DEFAULT 0
          CHECK (credit_previous >= 0 AND credit_previous < sequence);
        ALTER TABLE accounts ADD COLUMN last_transfer_sequence INTEGER NOT NULL DEFAULT 0
          CHECK (last_transfer_sequence >= 0);
        ALTER TABLE accounts ADD COLUMN transfer_count INTEGER NOT NULL DEFAULT 0
          CHECK (transfer_count >= 0);

        CREATE TABLE account_history_marks (
          account_id TEXT NOT NULL REFERENCES accounts (id),
          sequence INTEGER NOT NULL REFERENCES transfers (sequence),
          PRIMARY KEY (account_id, sequence)
        ) STRICT, WITHOUT ROWID;

        -- Every posting (one per side of a transfer), numbered within its account, with the
        -- account's posting before it: the chain and the marks, rebuilt from the stored rows.
        CREATE TEMP TABLE history AS
          SELECT account_id, sequence,
            LAG(sequence, 1, 0) OVER per_account AS previous,
            ROW_NUMBER() OVER per_account AS ordinal
          FROM (
            SELECT debit_account_id AS account_id, sequence FROM transfers
            UNION ALL
            SELECT credit_account_id, sequence FROM transfers)
          WINDOW per_account AS (PARTITION BY account_id ORDER BY sequence);
        CREATE INDEX temp.history_by_posting ON history (account_id, sequence);

        UPDATE transfers SET debit_previous = history.previous FROM history
        WHERE history.account_id = transfers.debit_account_id
          AND history.sequence = transfers.sequence;
        UPDATE transfers SET credit_previous = history.previous FROM history
        WHERE history.account_id = transfers.credit_account_id
          AND history.sequence = transfers.sequence;
        UPDATE accounts SET last_transfer_sequence = totals.last, transfer_count = totals.count
        FROM (
          SELECT account_id, MAX(sequence) AS last, COUNT(*) AS count FROM history
          GROUP BY account_id) AS totals
        WHERE totals.account_id = accounts.id;
        -- 32 was AccountHistory.markSpacing when this shipped; any set of marks lists correctly.
        INSERT INTO account_history_marks (account_id, sequence)
          SELECT account_id, sequence FROM history WHERE ordinal % 32 = 0;

        DROP TABLE temp.history;
        DROP INDEX transfers_by_debit_account;
        DROP INDEX transfers_by_credit_account;
        """),
  ]

  /// The migrator for this history.
  static let migrator = Migrator(migrations)
}
