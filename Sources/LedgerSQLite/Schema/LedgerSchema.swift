/// The Ledger's schema history. Append new migrations; never edit one that has shipped.
///
/// Tables are `STRICT` (a value of the wrong type is an error, not a silent conversion) and
/// carry CHECK constraints for the invariants a row must keep on its own, so the database
/// asserts them too, on the other side of the boundary from the domain.
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
        """)
  ]

  /// The migrator for this history.
  static let migrator = Migrator(migrations)
}
