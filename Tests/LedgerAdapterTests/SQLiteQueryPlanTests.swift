import Testing

@testable import LedgerSQLite

/// The list and lookup queries must stay index range scans, whatever the table size: these
/// pin SQLite's plans so a schema or SQL change that falls back to a scan or a sort fails here.
@Suite struct SQLiteQueryPlanTests {
  private func plan(_ sql: String) async throws -> String {
    try await withSQLiteStore { store, _ in
      try await store.withReadTransaction { connection in
        try connection.textColumn("EXPLAIN QUERY PLAN \(sql)", column: 3).joined(separator: "\n")
      }
    }
  }

  @Test func walkingAnAccountsHistoryIsPrimaryKeySeeks() async throws {
    let step = try await plan(LedgerSQL.transferWithSequence)
    #expect(step.contains("SEARCH transfers USING INTEGER PRIMARY KEY (rowid=?)"), "\(step)")
    let mark = try await plan(LedgerSQL.nextHistoryMark)
    #expect(
      mark.contains("SEARCH account_history_marks USING PRIMARY KEY (account_id=? AND sequence>?)"),
      "\(mark)")
    #expect(!mark.contains("TEMP B-TREE"), "\(mark)")
    let last = try await plan(LedgerSQL.lastTransferOfAccount)
    #expect(last.contains("SEARCH accounts USING PRIMARY KEY (id=?)"), "\(last)")
  }

  @Test func transfersCarryNoPerAccountIndex() async throws {
    let indexes = try await withSQLiteStore { store, _ in
      try await store.withReadTransaction { connection in
        try connection.textColumn(
          "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'transfers'", column: 0)
      }
    }
    // Only the id's UNIQUE index: an insert touches no random leaf per account.
    #expect(indexes == ["sqlite_autoindex_transfers_1"])
  }

  @Test func listingAccountsIsAPrimaryKeyRangeScan() async throws {
    let plan = try await plan(LedgerSQL.listAccounts)
    #expect(plan.contains("SEARCH accounts USING PRIMARY KEY (id>?)"), "\(plan)")
    #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
  }

  @Test func lookupsByIDUseTheirIndexes() async throws {
    let accounts = try await plan(LedgerSQL.accountsWithIDs(bucket: 8))
    #expect(accounts.contains("SEARCH accounts USING PRIMARY KEY (id=?)"), "\(accounts)")
    let transfers = try await plan(LedgerSQL.transfersWithIDs(bucket: 8))
    #expect(
      transfers.contains("SEARCH transfers USING INDEX sqlite_autoindex_transfers_1 (id=?)"),
      "\(transfers)")
  }
}
