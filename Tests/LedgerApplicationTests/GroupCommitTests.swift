@testable import LedgerApplication
import LedgerDomain
import Testing

@Suite struct GroupCommitTests {
  @Test func concurrentTransfersShareWriteTransactions() async throws {
    var counter: CountingUnitOfWork?
    var gate: GatedUnitOfWork?
    let ledger = TestLedger { inner in
      let counting = CountingUnitOfWork(inner)
      let gated = GatedUnitOfWork(counting)
      counter = counting
      gate = gated
      return gated
    }
    guard let counter, let gate else { return }
    try await ledger.open("bank")
    try await ledger.open("alice")
    let writesBefore = counter.writes

    // Hold a first commit at the door so the 64 transfers pile up behind it.
    gate.close()
    let blocker = Task { try await ledger.transfers.create(request("blocker", "bank", "alice", 1)) }
    try await eventually("the blocker at the gate") { gate.heldWrites == 1 }
    let callers = 64
    try await withThrowingTaskGroup(of: Transfer.self) { group in
      for index in 0..<callers {
        group.addTask { try await ledger.transfers.create(request("t\(index)", "bank", "alice", 1)) }
      }
      try await ledger.waitUntilQueued(callers + 1)  // + the blocker's group
      gate.open()
      var acknowledged = 0
      for try await _ in group { acknowledged += 1 }
      #expect(acknowledged == callers)
    }
    _ = try await blocker.value
    // One write for the blocker, one for all 64 transfers.
    #expect(counter.writes - writesBefore == 2)
    #expect(await ledger.transfers.committer.batchesCommitted == 2)
    #expect(try await ledger.balance("alice") == Int64(callers) + 1)
    #expect(try await ledger.storedTransfers().map(\.sequence) == Array(1...Int64(callers) + 1))
  }

  @Test func manyConcurrentCallersNeedFewerCommitsThanTransfers() async throws {
    var counter: CountingUnitOfWork?
    let ledger = TestLedger { inner in
      let counting = CountingUnitOfWork(inner)
      counter = counting
      return counting
    }
    guard let counter else { return }
    try await ledger.open("bank")
    try await ledger.open("alice")
    let writesBefore = counter.writes
    try await withThrowingTaskGroup(of: Void.self) { group in
      for index in 0..<64 {
        group.addTask { _ = try await ledger.transfers.create(request("t\(index)", "bank", "alice", 1)) }
      }
      try await group.waitForAll()
    }
    #expect(counter.writes - writesBefore < 64)
    #expect(try await ledger.storedTransfers().count == 64)
  }

  @Test func callersHearBackOnlyAfterTheCommit() async throws {
    var gate: GatedUnitOfWork?
    let ledger = TestLedger { inner in
      let gated = GatedUnitOfWork(inner)
      gate = gated
      return gated
    }
    guard let gate else { return }
    try await ledger.open("bank")
    try await ledger.open("alice")
    let live = ledger.publisher.subscribe(accountID: try AccountID("alice"))
    gate.close()
    let acknowledged = Locked(false)
    let creating = Task {
      let transfer = try await ledger.transfers.create(request("t1", "bank", "alice", 5))
      acknowledged.withLock { $0 = true }
      return transfer
    }
    try await eventually("the commit at the gate") { gate.heldWrites == 1 }
    try await Task.sleep(for: .milliseconds(20))
    #expect(!acknowledged.withLock { $0 })
    await #expect(throws: LedgerError.transferNotFound(try TransferID("t1"))) {
      try await ledger.transfers.get(TransferID("t1"))
    }
    #expect(ledger.publisher.published.isEmpty)
    gate.open()
    let transfer = try await creating.value
    #expect(try await ledger.transfers.get(TransferID("t1")) == transfer)
    var iterator = live.makeAsyncIterator()
    #expect(await iterator.next() == transfer)
  }

  @Test func aFailedCommitFailsEveryCallerAndPublishesNothing() async throws {
    var failing: FailingCommitUnitOfWork?
    let ledger = TestLedger { inner in
      let double = FailingCommitUnitOfWork(inner)
      failing = double
      return double
    }
    guard let failing else { return }
    try await ledger.open("bank")
    try await ledger.open("alice", noOverdraft: true)
    let live = ledger.publisher.subscribe(accountID: try AccountID("alice"))

    failing.isFailing = true
    let callers = 64
    let outcomes = await withTaskGroup(of: (any Error)?.self) { group in
      for index in 0..<callers {
        group.addTask {
          do {
            _ = try await ledger.transfers.create(request("t\(index)", "bank", "alice", 1))
            return nil
          } catch {
            return error
          }
        }
      }
      var errors: [(any Error)?] = []
      for await outcome in group { errors.append(outcome) }
      return errors
    }
    #expect(outcomes.count == callers)
    #expect(outcomes.allSatisfy { $0 is CommitFailure })
    #expect(failing.failedWorkRuns >= 1)
    #expect(try await ledger.storedTransfers().isEmpty)
    #expect(try await ledger.account("alice").version == 1)
    #expect(ledger.publisher.published.isEmpty)

    // The write path recovers: the next commit goes through, and it is the first thing published.
    failing.isFailing = false
    let transfer = try await ledger.transfers.create(request("t0", "bank", "alice", 1))
    #expect(transfer.sequence == 1)
    var iterator = live.makeAsyncIterator()
    #expect(await iterator.next() == transfer)
  }

  @Test func duplicatesInsideOneCommitAreRetriesOrConflicts() async throws {
    var gate: GatedUnitOfWork?
    let ledger = TestLedger { inner in
      let gated = GatedUnitOfWork(inner)
      gate = gated
      return gated
    }
    guard let gate else { return }
    try await ledger.open("bank")
    try await ledger.open("alice", noOverdraft: true)
    try await ledger.open("bob")
    gate.close()

    // Queue in a known order behind a held commit, so all of them land in the next batch.
    let requests = [
      request("blocker", "bank", "bob", 1),
      request("dup", "bank", "alice", 10), request("dup", "bank", "alice", 10), request("dup", "bank", "alice", 99),
      request("spend", "alice", "bob", 10), request("spend-more", "alice", "bob", 1),
    ]
    var tasks: [Task<TransferOutcome, any Error>] = []
    for (index, request) in requests.enumerated() {
      tasks.append(Task { try await ledger.transfers.submit(request) })
      if index == 0 {
        try await eventually("the blocker at the gate") { gate.heldWrites == 1 }
      } else {
        // The blocker's group stays queued until its write gets past the gate.
        try await ledger.waitUntilQueued(index + 1)
      }
    }
    gate.open()
    var outcomes: [TransferOutcome] = []
    for task in tasks { outcomes.append(try await task.value) }

    #expect(await ledger.transfers.committer.batchesCommitted == 2)
    guard case .created(let dup) = outcomes[1] else {
      Issue.record("first dup not created: \(outcomes[1])")
      return
    }
    #expect(outcomes[2] == .alreadyExisted(dup))
    #expect(outcomes[3] == .failed(.transferIDConflict(try TransferID("dup"))))
    // Arrival order: `spend` sees the credit from `dup`, `spend-more` sees `spend`'s debit.
    #expect(outcomes[4].transfer != nil)
    #expect(outcomes[5] == .failed(.insufficientFunds(try AccountID("alice"), balance: 0, amount: 1)))
    #expect(try await ledger.storedTransfers().map(\.id.rawValue) == ["blocker", "dup", "spend"])
    #expect(try await ledger.balance("alice") == 0)
  }

  @Test func aFailingLinkedGroupDoesNotDisturbItsNeighboursInTheBatch() async throws {
    var gate: GatedUnitOfWork?
    let ledger = TestLedger { inner in
      let gated = GatedUnitOfWork(inner)
      gate = gated
      return gated
    }
    guard let gate else { return }
    try await ledger.open("bank")
    try await ledger.open("alice", noOverdraft: true)
    gate.close()
    let blocker = Task { try await ledger.transfers.create(request("blocker", "bank", "alice", 1)) }
    try await eventually("the blocker at the gate") { gate.heldWrites == 1 }
    let before = Task { try await ledger.transfers.submit(request("before", "bank", "alice", 5)) }
    // The blocker's group stays queued until its write gets past the gate: one more each time.
    try await ledger.waitUntilQueued(2)
    let linked = Task {
      try await ledger.transfers.createLinked([request("l1", "bank", "alice", 5), request("l2", "alice", "bank", 100)])
    }
    try await ledger.waitUntilQueued(3)
    let after = Task { try await ledger.transfers.submit(request("after", "alice", "bank", 11)) }
    try await ledger.waitUntilQueued(4)
    gate.open()

    _ = try await blocker.value
    #expect(try await before.value.transfer != nil)
    let linkedResults = try await linked.value
    #expect(linkedResults[1].outcome.error?.code == "INSUFFICIENT_FUNDS")
    #expect(linkedResults[0].outcome.error?.code == "LINKED_TRANSFER_FAILED")
    // `after` sees the working set without the linked group's credit of 5: 1 + 5 = 6 < 11.
    #expect(try await after.value == .failed(.insufficientFunds(try AccountID("alice"), balance: 6, amount: 11)))
    #expect(await ledger.transfers.committer.batchesCommitted == 2)
  }

  @Test func batchesNeverExceedTheLimitAndKeepLinkedGroupsWhole() async throws {
    var config = TransferService.Configuration()
    config.batchTransfersMax = 4
    config.linkedBatchTransfersMax = 3
    var gate: GatedUnitOfWork?
    let ledger = TestLedger(configuration: config) { inner in
      let gated = GatedUnitOfWork(inner)
      gate = gated
      return gated
    }
    guard let gate else { return }
    try await ledger.open("bank")
    try await ledger.open("alice")
    gate.close()
    let blocker = Task { try await ledger.transfers.create(request("blocker", "bank", "alice", 1)) }
    try await eventually("the blocker at the gate") { gate.heldWrites == 1 }
    var tasks: [Task<[TransferResult], any Error>] = []
    for index in 0..<4 {
      let items = (0..<3).map { request("g\(index)-\($0)", "bank", "alice", 1) }
      tasks.append(Task { try await ledger.transfers.createLinked(items) })
      try await ledger.waitUntilQueued(index + 2)  // + the blocker's group, queued until its write starts
    }
    gate.open()
    _ = try await blocker.value
    for task in tasks { #expect(try await task.value.allSatisfy { $0.outcome.transfer != nil }) }
    // 1 blocker + four groups of 3 with at most 4 transfers per batch: one group per batch.
    #expect(await ledger.transfers.committer.batchesCommitted == 5)
    let sequences = try await ledger.storedTransfers().map(\.sequence)
    #expect(sequences == Array(1...13))
    #expect(ledger.publisher.published.map(\.count) == [1, 3, 3, 3, 3])
  }
}
