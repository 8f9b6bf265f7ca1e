import CourierCore
import LedgerAPI
import Testing

/// Requests the ledger's state refuses: each error's status and `ledger-error-code` trailer,
/// as ErrorMapping's table says, and the state left as it was.
@Suite("Refused requests over the network", .timeLimit(.minutes(2)))
struct DomainErrorsEndToEndTests {
  @Test func notFound() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("a")
      await expectFailure(.notFound, "ACCOUNT_NOT_FOUND", messageContains: "ghost") {
        _ = try await ledger.account("ghost")
      }
      await expectFailure(.notFound, "ACCOUNT_NOT_FOUND", messageContains: "ghost") {
        var request = Ledger_V1_CloseAccountRequest()
        request.accountID = "ghost"
        _ = try await ledger.accounts.closeAccount(request)
      }
      await expectFailure(.notFound, "ACCOUNT_NOT_FOUND", messageContains: "ghost") {
        try await ledger.move("t", from: "a", to: "ghost", amount: 1)
      }
      await expectFailure(.notFound, "ACCOUNT_NOT_FOUND") {
        _ = try await ledger.allTransfers(of: "ghost")
      }
      await expectFailure(.notFound, "TRANSFER_NOT_FOUND", messageContains: "nope") {
        var request = Ledger_V1_GetTransferRequest()
        request.transferID = "nope"
        _ = try await ledger.transfers.getTransfer(request)
      }
      #expect(try await ledger.account("a").version == 1)
    }
  }

  @Test func idConflicts() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("a", currency: "USD")
      try await ledger.openAccount("b", currency: "USD")
      await expectFailure(.alreadyExists, "ACCOUNT_ID_CONFLICT", messageContains: "a") {
        try await ledger.openAccount("a", currency: "EUR")
      }
      let original = try await ledger.move("t", from: "a", to: "b", amount: 5)
      await expectFailure(.alreadyExists, "TRANSFER_ID_CONFLICT", messageContains: "t") {
        try await ledger.move("t", from: "a", to: "b", amount: 6)
      }
      #expect(try await ledger.account("a").currency == "USD")
      #expect(try await ledger.allTransfers(of: "a") == [original])
    }
  }

  @Test func refusedTransfers() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("bank")
      try await ledger.openAccount("saver", noOverdraft: true)
      try await ledger.openAccount("euro", currency: "EUR")
      try await ledger.openAccount("shut")
      try await ledger.move("fund", from: "bank", to: "saver", amount: 100)
      var close = Ledger_V1_CloseAccountRequest()
      close.accountID = "shut"
      _ = try await ledger.accounts.closeAccount(close)

      await expectFailure(.failedPrecondition, "INSUFFICIENT_FUNDS", messageContains: "saver") {
        try await ledger.move("t1", from: "saver", to: "bank", amount: 101)
      }
      await expectFailure(.failedPrecondition, "ACCOUNT_CLOSED", messageContains: "shut") {
        try await ledger.move("t2", from: "bank", to: "shut", amount: 1)
      }
      await expectFailure(.failedPrecondition, "CURRENCY_MISMATCH", messageContains: "euro") {
        try await ledger.move("t3", from: "bank", to: "euro", amount: 1)
      }
      await expectFailure(.invalidArgument, "SAME_ACCOUNT", messageContains: "bank") {
        try await ledger.move("t4", from: "bank", to: "bank", amount: 1)
      }
      // Posted totals are Int64: a second credit of Int64.max cannot be posted.
      for id in ["big-a", "big-b", "big-c"] { try await ledger.openAccount(id) }
      try await ledger.move("huge", from: "big-a", to: "big-c", amount: .max)
      await expectFailure(.failedPrecondition, "AMOUNT_OVERFLOW", messageContains: "big-c") {
        try await ledger.move("t5", from: "big-b", to: "big-c", amount: .max)
      }
      #expect(try await ledger.account("big-b").version == 1)
      await expectFailure(.failedPrecondition, "ACCOUNT_BALANCE_NOT_ZERO", messageContains: "saver") {
        var request = Ledger_V1_CloseAccountRequest()
        request.accountID = "saver"
        _ = try await ledger.accounts.closeAccount(request)
      }

      // Only the two successful transfers are stored; balances are as they left them.
      let saver = try await ledger.account("saver")
      #expect(saver.balance == 100 && saver.status == .open)
      for id in ["t1", "t2", "t3", "t4", "t5"] {
        await expectFailure(.notFound, "TRANSFER_NOT_FOUND") {
          var request = Ledger_V1_GetTransferRequest()
          request.transferID = id
          _ = try await ledger.transfers.getTransfer(request)
        }
      }
    }
  }
}
