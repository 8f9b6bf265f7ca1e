import CourierCore
import LedgerAPI
import Testing

/// `ledger.v1.Accounts` through the generated client, over TCP, against the production stack.
@Suite("Accounts over the network")
struct AccountsEndToEndTests {
  @Test func createGetAndRetryAnAccount() async throws {
    try await LedgerFixture.with { ledger in
      let created = try await ledger.openAccount("alice", currency: "EUR", noOverdraft: true, label: "Alice's wallet")
      #expect(created.accountID == "alice")
      #expect(created.currency == "EUR")
      #expect(created.noOverdraft)
      #expect(created.status == .open)
      #expect(created.version == 1)
      #expect(created.balance == 0 && created.debitsPosted == 0 && created.creditsPosted == 0)
      #expect(created.label == "Alice's wallet")
      #expect(created.createdAtUnixNanos > 1_600_000_000_000_000_000)

      #expect(try await ledger.account("alice") == created)
      // Same id, same fields: the retry returns the account created first.
      #expect(try await ledger.openAccount("alice", currency: "EUR", noOverdraft: true, label: "Alice's wallet") == created)
    }
  }

  @Test func createWithoutAnIDGeneratesOne() async throws {
    try await LedgerFixture.with { ledger in
      let first = try await ledger.accounts.createAccount(.make("", currency: "JPY")).account
      let second = try await ledger.accounts.createAccount(.make("", currency: "JPY")).account
      #expect(first.accountID.count == 16)
      #expect(first.accountID != second.accountID)
      #expect(try await ledger.account(first.accountID).currency == "JPY")
    }
  }

  @Test func closeAnAccountWithZeroBalanceTwice() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("a")
      var request = Ledger_V1_CloseAccountRequest()
      request.accountID = "a"
      let closed = try await ledger.accounts.closeAccount(request).account
      #expect(closed.status == .closed)
      #expect(closed.version == 2)
      // Closing a closed account returns it unchanged.
      #expect(try await ledger.accounts.closeAccount(request).account == closed)
      #expect(try await ledger.account("a").status == .closed)
    }
  }

  @Test func listAccountsPageByPageWithFilters() async throws {
    try await LedgerFixture.with { ledger in
      for index in 0..<7 { try await ledger.openAccount("usd-\(index)", currency: "USD") }
      for index in 0..<3 { try await ledger.openAccount("eur-\(index)", currency: "EUR") }
      var close = Ledger_V1_CloseAccountRequest()
      close.accountID = "usd-3"
      _ = try await ledger.accounts.closeAccount(close)

      // Every account, 3 per page, in id (byte) order.
      var request = Ledger_V1_ListAccountsRequest()
      request.pageSize = 3
      var ids: [String] = []
      var pages = 0
      repeat {
        let page = try await ledger.accounts.listAccounts(request)
        #expect(page.accounts.count <= 3)
        ids += page.accounts.map(\.accountID)
        request.pageToken = page.nextPageToken
        pages += 1
      } while !request.pageToken.isEmpty
      #expect(pages == 4)
      #expect(ids == (0..<3).map { "eur-\($0)" } + (0..<7).map { "usd-\($0)" })

      // Filters: currency, status, both.
      var filtered = Ledger_V1_ListAccountsRequest()
      filtered.currency = "EUR"
      #expect(try await ledger.accounts.listAccounts(filtered).accounts.map(\.accountID) == ["eur-0", "eur-1", "eur-2"])
      filtered.currency = ""
      filtered.status = .closed
      #expect(try await ledger.accounts.listAccounts(filtered).accounts.map(\.accountID) == ["usd-3"])
      filtered.currency = "USD"
      filtered.status = .open
      let open = try await ledger.accounts.listAccounts(filtered)
      #expect(open.accounts.map(\.accountID) == ["usd-0", "usd-1", "usd-2", "usd-4", "usd-5", "usd-6"])
      #expect(open.nextPageToken.isEmpty)
    }
  }
}
