import CourierCore
import LedgerAPI
import Testing

/// The streaming methods of `ledger.v1.Transfers`: watch, import and session.
@Suite("Streaming transfers over the network")
struct StreamingEndToEndTests {
  @Test func watchDeliversHistoryThenLiveTransfersInOrder() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("bank")
      try await ledger.openAccount("watched")
      try await ledger.openAccount("unrelated")
      let history = [
        try await ledger.move("h1", from: "bank", to: "watched", amount: 5),
        try await ledger.move("h2", from: "watched", to: "bank", amount: 2),
      ]
      try await ledger.move("noise", from: "bank", to: "unrelated", amount: 9)

      let (received, receivedSink) = AsyncStream.makeStream(of: Ledger_V1_Transfer.self)
      var request = Ledger_V1_WatchAccountRequest()
      request.accountID = "watched"
      let client = ledger.transfers
      let watch = Task {
        try await client.watchAccount(request) { response in
          for try await message in response.messages { receivedSink.yield(message.transfer) }
        }
      }
      var iterator = received.makeAsyncIterator()
      #expect(await iterator.next() == history[0])
      #expect(await iterator.next() == history[1])
      // Now live: a transfer committed while the watch is open arrives next.
      let live = try await ledger.move("live", from: "bank", to: "watched", amount: 7)
      #expect(await iterator.next() == live)
      watch.cancel()
      _ = await watch.result

      // From a cursor: only what came after it.
      #expect(try await firstTransfer(of: "watched", after: history[1].sequence, ledger) == live)
    }
  }

  @Test func watchingAnUnknownAccountFailsWithNotFound() async throws {
    try await LedgerFixture.with { ledger in
      var request = Ledger_V1_WatchAccountRequest()
      request.accountID = "ghost"
      await expectFailure(.notFound, "ACCOUNT_NOT_FOUND") {
        try await ledger.transfers.watchAccount(request) { response in
          for try await _ in response.messages {}
        }
      }
    }
  }

  @Test func importAppliesEachTransferOnItsOwnAndSummarizes() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("bank")
      try await ledger.openAccount("a", noOverdraft: true)
      try await ledger.move("existing", from: "bank", to: "a", amount: 1)

      let summary = try await ledger.transfers.importTransfers { writer in
        for index in 0..<200 {
          try await writer.write(.make("imp-\(index)", from: "bank", to: "a", amount: 3))
        }
        try await writer.write(.make("existing", from: "bank", to: "a", amount: 1))  // a retry
        try await writer.write(.make("too-much", from: "a", to: "bank", amount: 1_000_000))
        try await writer.write(.make("bad id!", from: "bank", to: "a", amount: 1))
      }
      #expect(summary.received == 203)
      #expect(summary.created == 200)
      #expect(summary.alreadyExisted == 1)
      #expect(summary.failed == 2)
      #expect(summary.firstFailures.map(\.transferID) == ["too-much", "bad id!"])
      #expect(summary.firstFailures.map(\.errorCode) == [.insufficientFunds, .invalidArgument])
      #expect(try await ledger.account("a").balance == 601)
    }
  }

  @Test func sessionAnswersEveryTransferInRequestOrder() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("bank")
      try await ledger.openAccount("a", noOverdraft: true)
      let count = 300
      let results = try await ledger.transfers.transferSession { writer in
        for index in 0..<count {
          // Every 50th overdraws `a`, which holds nothing yet at index 0.
          let overdraw = index.isMultiple(of: 50)
          try await writer.write(
            .make("s-\(index)", from: overdraw ? "a" : "bank", to: overdraw ? "bank" : "a", amount: overdraw ? 1_000_000 : 2))
        }
      } onResponse: { response in
        var results: [Ledger_V1_TransferResult] = []
        for try await result in response.messages { results.append(result) }
        return results
      }
      #expect(results.map(\.transferID) == (0..<count).map { "s-\($0)" })
      for (index, result) in results.enumerated() {
        #expect(result.errorCode == (index.isMultiple(of: 50) ? .insufficientFunds : .unspecified), "item \(index)")
      }
      let sequences = results.filter(\.hasTransfer).map(\.transfer.sequence)
      #expect(sequences == sequences.sorted())
      #expect(try await ledger.account("a").balance == Int64(2 * (count - count / 50)))
    }
  }

  /// The first transfer a watch from `sequence` delivers; cancels the watch after it.
  private func firstTransfer(of accountID: String, after sequence: Int64, _ ledger: LedgerFixture) async throws
    -> Ledger_V1_Transfer?
  {
    var request = Ledger_V1_WatchAccountRequest()
    request.accountID = accountID
    request.afterSequence = sequence
    let client = ledger.transfers
    let (received, sink) = AsyncStream.makeStream(of: Ledger_V1_Transfer.self)
    let watch = Task {
      try await client.watchAccount(request) { response in
        for try await message in response.messages { sink.yield(message.transfer) }
      }
    }
    defer { watch.cancel() }
    var iterator = received.makeAsyncIterator()
    return await iterator.next()
  }
}
