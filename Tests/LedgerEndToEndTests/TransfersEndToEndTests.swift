import CourierCore
import LedgerAPI
import Testing

/// `ledger.v1.Transfers`' unary methods through the generated client, over TCP.
@Suite("Transfers over the network")
struct TransfersEndToEndTests {
  @Test func createGetAndRetryATransfer() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("bank")
      try await ledger.openAccount("alice", noOverdraft: true)
      var request = Ledger_V1_CreateTransferRequest.make("t1", from: "bank", to: "alice", amount: 1_250)
      request.reference = "opening deposit"
      let transfer = try await ledger.transfers.createTransfer(request).transfer
      #expect(transfer.transferID == "t1")
      #expect(transfer.debitAccountID == "bank" && transfer.creditAccountID == "alice")
      #expect(transfer.amount == 1_250 && transfer.currency == "USD" && transfer.reference == "opening deposit")
      #expect(transfer.sequence >= 1)

      var get = Ledger_V1_GetTransferRequest()
      get.transferID = "t1"
      #expect(try await ledger.transfers.getTransfer(get).transfer == transfer)

      // A retry returns the original and moves nothing.
      #expect(try await ledger.transfers.createTransfer(request).transfer == transfer)
      let alice = try await ledger.account("alice")
      #expect(alice.balance == 1_250 && alice.creditsPosted == 1_250 && alice.version == 2)
      #expect(try await ledger.account("bank").balance == -1_250)
    }
  }

  @Test func linkedBatchAppliesAllOrNothingWithPerItemResults() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("bank")
      try await ledger.openAccount("a", noOverdraft: true)
      try await ledger.openAccount("b", noOverdraft: true)

      var good = Ledger_V1_CreateTransfersRequest()
      good.transfers = [
        .make("b1", from: "bank", to: "a", amount: 100),
        .make("b2", from: "a", to: "b", amount: 60),
      ]
      let applied = try await ledger.transfers.createTransfers(good).results
      #expect(applied.map(\.transferID) == ["b1", "b2"])
      #expect(applied.allSatisfy { $0.errorCode == .unspecified && $0.transfer.amount > 0 })
      #expect(applied[1].transfer.sequence == applied[0].transfer.sequence + 1)

      // The second item overdraws b: nothing of the batch is applied.
      var bad = Ledger_V1_CreateTransfersRequest()
      bad.transfers = [
        .make("b3", from: "bank", to: "b", amount: 5),
        .make("b4", from: "b", to: "a", amount: 1_000),
        .make("b5", from: "a", to: "b", amount: 1),
      ]
      let refused = try await ledger.transfers.createTransfers(bad).results
      #expect(refused.map(\.errorCode) == [.linkedTransferFailed, .insufficientFunds, .linkedTransferFailed])
      #expect(refused[1].errorMessage.contains("balance 65"))  // b3 was applied first, in the scratch copy
      #expect(refused[0].errorMessage.contains("b4"))
      #expect(refused.allSatisfy { !$0.hasTransfer })
      #expect(try await ledger.account("b").balance == 60)
      #expect(try await ledger.account("a").balance == 40)
      await expectFailure(.notFound, "TRANSFER_NOT_FOUND") {
        var get = Ledger_V1_GetTransferRequest()
        get.transferID = "b3"
        _ = try await ledger.transfers.getTransfer(get)
      }

      // A malformed item fails the batch too, with INVALID_ARGUMENT on that item.
      var malformed = Ledger_V1_CreateTransfersRequest()
      malformed.transfers = [.make("b6", from: "bank", to: "a", amount: 1), .make("b7", from: "bank", to: "a", amount: 0)]
      let results = try await ledger.transfers.createTransfers(malformed).results
      #expect(results.map(\.errorCode) == [.linkedTransferFailed, .invalidArgument])
      #expect(results[1].errorMessage.contains("amount"))
    }
  }

  @Test func listTransfersPagesInCommitOrderAndFiltersByTime() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("bank")
      try await ledger.openAccount("a")
      try await ledger.openAccount("other")
      var made: [Ledger_V1_Transfer] = []
      for index in 0..<5 {
        made.append(try await ledger.move("t\(index)", from: index.isMultiple(of: 2) ? "bank" : "a", to: index.isMultiple(of: 2) ? "a" : "bank", amount: 10))
      }
      try await ledger.move("elsewhere", from: "bank", to: "other", amount: 1)

      // Pages of 2: debits and credits of `a` together, in sequence order.
      let listed = try await ledger.allTransfers(of: "a", pageSize: 2)
      #expect(listed == made)
      #expect(zip(listed, listed.dropFirst()).allSatisfy { $0.sequence < $1.sequence })

      // The range is [from, to): from t1's commit time up to, not including, t3's.
      var request = Ledger_V1_ListTransfersRequest()
      request.accountID = "a"
      request.fromUnixNanos = made[1].createdAtUnixNanos
      request.toUnixNanos = made[3].createdAtUnixNanos
      let window = try await ledger.transfers.listTransfers(request)
      #expect(window.transfers.map(\.transferID) == ["t1", "t2"])
      #expect(window.nextPageToken.isEmpty)

      // A token of `a`'s list is refused for another account's list.
      request = Ledger_V1_ListTransfersRequest()
      request.accountID = "a"
      request.pageSize = 1
      let first = try await ledger.transfers.listTransfers(request)
      request.accountID = "bank"
      request.pageToken = first.nextPageToken
      await expectFailure(.invalidArgument, "INVALID_ARGUMENT", messageContains: "page_token") {
        _ = try await ledger.transfers.listTransfers(request)
      }
    }
  }
}
