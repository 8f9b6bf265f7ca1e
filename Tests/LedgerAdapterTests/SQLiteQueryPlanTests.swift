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

  @Test func listingTransfersMergesTwoIndexRangeScansWithoutSorting() async throws {
    let plan = try await plan(LedgerSQL.listTransfers)
    #expect(plan.contains("MERGE (UNION ALL)"), "\(plan)")
    #expect(
      plan.contains("USING INDEX transfers_by_debit_account (debit_account_id=? AND sequence>?)"),
      "\(plan)")
    #expect(
      plan.contains("USING INDEX transfers_by_credit_account (credit_account_id=? AND sequence>?)"),
      "\(plan)")
    #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    #expect(!plan.contains("SCAN"), "\(plan)")
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
