@testable import LedgerApplication
import LedgerDomain
import Testing

@Suite struct WatchTests {
  /// Starts watching `account` after `sequence`; transfers arrive on the returned stream.
  func startWatch(
    _ ledger: TestLedger, _ account: String, after sequence: Int64 = 0,
    deliver: @escaping @Sendable (Transfer) async throws -> Void = { _ in }
  ) throws -> (task: Task<Void, any Error>, received: AsyncStream<Transfer>) {
    let accountID = try AccountID(account)
    let (received, sink) = AsyncStream.makeStream(of: Transfer.self)
    let task = Task {
      defer { sink.finish() }
      try await ledger.transfers.watch(accountID: accountID, afterSequence: sequence) { transfer in
        sink.yield(transfer)
        try await deliver(transfer)
      }
    }
    return (task, received)
  }

  func aliceTransfers(_ ledger: TestLedger) async throws -> [Transfer] {
    let alice = try AccountID("alice")
    return try await ledger.storedTransfers().filter { $0.touches(alice) }
  }

  func openAccounts(_ ledger: TestLedger) async throws {
    for id in ["bank", "alice", "bob"] { try await ledger.open(id) }
  }

  @Test func historyThenLiveWithNoGapAndNoDuplicate() async throws {
    var configuration = TransferService.Configuration()
    configuration.watchHistoryPageSize = 2
    let ledger = TestLedger(configuration: configuration)
    try await openAccounts(ledger)
    for index in 0..<7 {
      _ = try await ledger.transfers.create(request("h\(index)", index.isMultiple(of: 3) ? "bank" : "alice", "bob", 1))
    }
    let watch = try startWatch(ledger, "alice")
    // Commits race the history read: some land in history, some in the live stream, some in both.
    let writer = Task {
      for index in 0..<40 {
        // Even: alice pays bob; odd multiples of 3: bank pays bob (not alice's); else bank pays alice.
        let (debit, credit) =
          index.isMultiple(of: 2) ? ("alice", "bob") : index.isMultiple(of: 3) ? ("bank", "bob") : ("bank", "alice")
        _ = try await ledger.transfers.create(request("l\(index)", debit, credit, 1))
      }
    }
    try await writer.value
    let expected = try await aliceTransfers(ledger)
    let received = try await collect(expected.count, from: watch.received)
    #expect(received == expected)
    #expect(zip(received, received.dropFirst()).allSatisfy { $0.sequence < $1.sequence })

    // And it is still live.
    let next = try await ledger.transfers.create(request("late", "bank", "alice", 1))
    #expect(try await collect(1, from: watch.received) == [next])
    watch.task.cancel()
    try await watch.task.value
  }

  @Test func resumesAfterTheCursor() async throws {
    let ledger = TestLedger()
    try await openAccounts(ledger)
    var created: [Transfer] = []
    for index in 0..<5 { created.append(try await ledger.transfers.create(request("t\(index)", "bank", "alice", 1))) }
    let watch = try startWatch(ledger, "alice", after: created[2].sequence)
    #expect(try await collect(2, from: watch.received) == Array(created[3...]))
    watch.task.cancel()
    try await watch.task.value
  }

  @Test func aWatcherThatFallsBehindIsCaughtUpFromStorage() async throws {
    let ledger = TestLedger(bufferedTransfersMax: 2)
    try await openAccounts(ledger)
    let unblock = Latch()
    // The watcher stalls on its first transfer while 30 more commit: far more than its buffer.
    let watch = try startWatch(ledger, "alice") { transfer in
      if transfer.id.rawValue == "t0" { await unblock.wait() }
    }
    _ = try await ledger.transfers.create(request("t0", "bank", "alice", 1))
    try await eventually("the watch to subscribe") { ledger.publisher.inner.subscriberCount == 1 }
    for index in 1...30 { _ = try await ledger.transfers.create(request("t\(index)", "bank", "alice", 1)) }
    // The publisher has ended the stalled subscription rather than buffer 30 transfers.
    #expect(ledger.publisher.inner.subscriberCount == 0)
    unblock.open()
    let received = try await collect(31, from: watch.received)
    #expect(received == (try await aliceTransfers(ledger)))
    let next = try await ledger.transfers.create(request("after", "alice", "bob", 1))
    #expect(try await collect(1, from: watch.received) == [next])
    watch.task.cancel()
    try await watch.task.value
  }

  @Test func cancellingEndsTheWatchAndItsSubscription() async throws {
    let ledger = TestLedger()
    try await openAccounts(ledger)
    let watch = try startWatch(ledger, "alice")
    try await eventually("the watch to subscribe") { ledger.publisher.inner.subscriberCount == 1 }
    watch.task.cancel()
    try await watch.task.value
    try await eventually("the subscription to end") { ledger.publisher.inner.subscriberCount == 0 }
  }

  @Test func aThrowingDeliveryEndsTheWatchWithItsError() async throws {
    let ledger = TestLedger()
    try await openAccounts(ledger)
    _ = try await ledger.transfers.create(request("t0", "bank", "alice", 1))
    let watch = try startWatch(ledger, "alice") { _ in throw CommitFailure() }
    await #expect(throws: CommitFailure.self) { try await watch.task.value }
  }

  @Test func aMissingAccountOrANegativeCursorFails() async throws {
    let ledger = TestLedger()
    try await openAccounts(ledger)
    await #expect(throws: LedgerError.accountNotFound(try AccountID("ghost"))) {
      try await ledger.transfers.watch(accountID: AccountID("ghost"), afterSequence: 0) { _ in }
    }
    await #expect(throws: LedgerError.invalidArgument(field: "after_sequence", reason: "must not be negative, got -1")) {
      try await ledger.transfers.watch(accountID: AccountID("alice"), afterSequence: -1) { _ in }
    }
  }
}
