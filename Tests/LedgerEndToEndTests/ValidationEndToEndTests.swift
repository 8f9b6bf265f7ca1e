import CourierCore
import LedgerAPI
import Testing

/// Malformed requests: every one fails with INVALID_ARGUMENT, a message naming the field, the
/// code in the `ledger-error-code` trailer, and changes nothing.
@Suite("Invalid requests over the network", .timeLimit(.minutes(2)))
struct ValidationEndToEndTests {
  @Test func malformedTransfersAreRefusedAndChangeNothing() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("bank")
      try await ledger.openAccount("a")
      try await ledger.openAccount("yen", currency: "JPY")
      let cases: [(Ledger_V1_CreateTransferRequest, code: String, field: String)] = [
        (.make("", from: "bank", to: "a", amount: 1), "INVALID_ARGUMENT", "transfer_id"),
        (.make("has space", from: "bank", to: "a", amount: 1), "INVALID_ARGUMENT", "transfer_id"),
        (.make(String(repeating: "x", count: 65), from: "bank", to: "a", amount: 1), "INVALID_ARGUMENT", "transfer_id"),
        (.make("t", from: "", to: "a", amount: 1), "INVALID_ARGUMENT", "debit_account_id"),
        (.make("t", from: "bank", to: "é", amount: 1), "INVALID_ARGUMENT", "credit_account_id"),
        (.make("t", from: "bank", to: "a", amount: 0), "INVALID_ARGUMENT", "amount"),
        (.make("t", from: "bank", to: "a", amount: -5), "INVALID_ARGUMENT", "amount"),
        (.make("t", from: "bank", to: "a", amount: .min), "INVALID_ARGUMENT", "amount"),
        (.make("t", from: "bank", to: "a", amount: 1, currency: ""), "INVALID_ARGUMENT", "currency"),
        (.make("t", from: "bank", to: "a", amount: 1, currency: "UDS"), "UNKNOWN_CURRENCY", "UDS"),
        (.make("t", from: "bank", to: "a", amount: 1, currency: "usd"), "UNKNOWN_CURRENCY", "usd"),
        (.make("t", from: "bank", to: "bank", amount: 1), "SAME_ACCOUNT", "bank"),
        (.make("t", from: "bank", to: "a", amount: 1, reference: String(repeating: "r", count: 257)), "INVALID_ARGUMENT", "reference"),
      ]
      for (request, code, field) in cases {
        await expectFailure(.invalidArgument, code, messageContains: field) {
          _ = try await ledger.transfers.createTransfer(request)
        }
      }
      // Nothing moved, nothing was stored.
      for id in ["bank", "a", "yen"] {
        let account = try await ledger.account(id)
        #expect(account.version == 1 && account.balance == 0)
        #expect(try await ledger.allTransfers(of: id).isEmpty)
      }
    }
  }

  @Test func malformedAccountRequestsAreRefused() async throws {
    try await LedgerFixture.with { ledger in
      let creates: [(Ledger_V1_CreateAccountRequest, code: String, field: String)] = [
        (.make("ok", currency: ""), "INVALID_ARGUMENT", "currency"),
        (.make("ok", currency: "XYZ"), "UNKNOWN_CURRENCY", "XYZ"),
        (.make("bad/id"), "INVALID_ARGUMENT", "account_id"),
        (.make("ok", label: String(repeating: "l", count: 257)), "INVALID_ARGUMENT", "label"),
      ]
      for (request, code, field) in creates {
        await expectFailure(.invalidArgument, code, messageContains: field) {
          _ = try await ledger.accounts.createAccount(request)
        }
      }
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "account_id is required") {
        _ = try await ledger.accounts.getAccount(Ledger_V1_GetAccountRequest())
      }
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "account_id is required") {
        _ = try await ledger.accounts.closeAccount(Ledger_V1_CloseAccountRequest())
      }
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "transfer_id is required") {
        _ = try await ledger.transfers.getTransfer(Ledger_V1_GetTransferRequest())
      }
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "account_id is required") {
        _ = try await ledger.transfers.listTransfers(Ledger_V1_ListTransfersRequest())
      }
      // Nothing was created.
      let listed = try await ledger.accounts.listAccounts(Ledger_V1_ListAccountsRequest())
      #expect(listed.accounts.isEmpty)
    }
  }

  @Test func pageSizesTokensAndEnumValuesAreChecked() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("a")
      var accounts = Ledger_V1_ListAccountsRequest()
      accounts.pageSize = 1_001
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "page_size") {
        _ = try await ledger.accounts.listAccounts(accounts)
      }
      accounts.pageSize = -1
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "page_size") {
        _ = try await ledger.accounts.listAccounts(accounts)
      }
      accounts = Ledger_V1_ListAccountsRequest()
      accounts.status = .unrecognized(99)
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "status") {
        _ = try await ledger.accounts.listAccounts(accounts)
      }
      accounts = Ledger_V1_ListAccountsRequest()
      accounts.pageToken = "not-a-token"
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "page_token") {
        _ = try await ledger.accounts.listAccounts(accounts)
      }
      accounts = Ledger_V1_ListAccountsRequest()
      accounts.currency = "ZZZ"
      await expectFailure(.invalidArgument, "UNKNOWN_CURRENCY") {
        _ = try await ledger.accounts.listAccounts(accounts)
      }

      var transfers = Ledger_V1_ListTransfersRequest()
      transfers.accountID = "a"
      transfers.pageSize = 5_000
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "page_size") {
        _ = try await ledger.transfers.listTransfers(transfers)
      }
      transfers.pageSize = 0
      transfers.fromUnixNanos = 2_000
      transfers.toUnixNanos = 1_000
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "to_unix_nanos") {
        _ = try await ledger.transfers.listTransfers(transfers)
      }

      var watch = Ledger_V1_WatchAccountRequest()
      watch.accountID = "a"
      watch.afterSequence = -1
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "after_sequence") {
        try await ledger.transfers.watchAccount(watch) { response in for try await _ in response.messages {} }
      }

      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "transfers") {
        _ = try await ledger.transfers.createTransfers(Ledger_V1_CreateTransfersRequest())
      }
      var oversized = Ledger_V1_CreateTransfersRequest()
      oversized.transfers = (0..<1_001).map { .make("x\($0)", from: "a", to: "b", amount: 1) }
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "transfers") {
        _ = try await ledger.transfers.createTransfers(oversized)
      }
    }
  }
}
