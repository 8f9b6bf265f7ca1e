import LedgerDomain

/// The write path: collects the groups that arrive while a commit is in flight and commits
/// them together in one `UnitOfWork.write`, so throughput comes from batching, not from weaker
/// durability.
///
/// Life of a group: ``enqueue(_:)`` appends it to the queue and returns a ticket; a write
/// transaction takes up to ``batchTransfersMax`` transfers' worth of whole groups, runs
/// ``TransferBatch``, and only after the commit returns are the created transfers published and
/// the tickets resolved. If the transaction throws, every ticket of the batch gets the error and
/// nothing is published.
///
/// Pipelined: every write takes its groups only when its closure starts on the writer, and as
/// soon as one starts, the next may be issued, so it already waits at the unit of work when the
/// previous one commits. The writer therefore does not idle while the previous batch is being
/// answered, and the waiting write gathers everything that arrived meanwhile. At most one issued
/// write has not started, so closures start in issue order and take the queue's groups in
/// arrival order (a session's retry never overtakes the transfer it retries). A write issued
/// while the committer is idle takes at most the groups queued when it was issued (the same
/// batch as without pipelining). Writes are numbered when their closure runs (in commit order)
/// and answered in that order, so published transfers arrive at the publisher in sequence order.
///
/// A class with one lock rather than an actor: enqueueing is a few instructions under the lock,
/// and as an actor every transfer paid two executor hops (onto the actor and back to the
/// caller's executor) before it even waited for its commit. Nothing here suspends while holding
/// the lock; tickets are resolved and writes started after unlocking.
final class GroupCommitter: Sendable {
  fileprivate struct Submission: Sendable {
    let group: TransferGroup
    let ticket: CommitTicket
  }

  /// Everything the committer shares between callers, the writer's thread and finishing writes.
  fileprivate struct State {
    var queue: [Submission] = []
    var queueHead = 0
    /// True while an issued write has not started (taken its groups) yet.
    var isWriteAwaitingStart = false
    /// The number the next started write gets.
    var nextWriteNumber = 0
    /// Writes issued whose outcome has not been handed over for delivery yet.
    var outstandingWrites = 0
    /// Outcomes of started writes, by number, waiting for the earlier ones to be delivered.
    var finished: [Int: ([Submission], Result<BatchOutcome, any Error>)] = [:]
    var nextNumberToDeliver = 0
    /// True while one thread publishes and resolves finished writes; others leave theirs to it,
    /// so deliveries never overlap or reorder.
    var isDelivering = false
    /// Write transactions committed (and delivered) so far.
    var batchesCommitted = 0

    var queuedCount: Int { queue.count - queueHead }

    /// Whole groups from the head of the queue, in arrival order, up to `limit` transfers
    /// (always at least one group when any is queued).
    mutating func takeBatch(limit: Int, groupLimit: Int = Int.max) -> [Submission] {
      var batch: [Submission] = []
      batch.reserveCapacity(min(queuedCount, groupLimit))
      var transferCount = 0
      while queueHead < queue.count && batch.count < groupLimit {
        let next = queue[queueHead]
        if !batch.isEmpty && transferCount + next.group.count > limit { break }
        batch.append(next)
        transferCount += next.group.count
        queueHead += 1
      }
      if queueHead == queue.count {
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
      } else if queueHead >= 4_096 {
        // Drop the consumed prefix now and then, so a long busy period does not keep it alive.
        queue.removeFirst(queueHead)
        queueHead = 0
      }
      return batch
    }

    /// A slot for a new write when groups are queued and every issued write has started.
    mutating func issueWrite() -> WriteSlot? {
      guard queuedCount > 0, !isWriteAwaitingStart else { return nil }
      isWriteAwaitingStart = true
      let isIdle = outstandingWrites == 0
      outstandingWrites += 1
      return WriteSlot(groupLimit: isIdle ? queuedCount : Int.max)
    }

    /// The finished writes that can be delivered now, in order; empty ends a delivery turn.
    mutating func takeDeliverable() -> [([Submission], Result<BatchOutcome, any Error>)] {
      var ready: [([Submission], Result<BatchOutcome, any Error>)] = []
      while let next = finished.removeValue(forKey: nextNumberToDeliver) {
        nextNumberToDeliver += 1
        if case .success = next.1 { batchesCommitted += 1 }
        ready.append(next)
      }
      if ready.isEmpty { isDelivering = false }
      return ready
    }
  }

  /// One write's groups, as taken by its closure, and its number once started.
  fileprivate final class WriteSlot: Sendable {
    struct Contents {
      var batch: [Submission] = []
      var number: Int?
    }
    /// The most groups it takes (`Int.max`: up to `batchTransfersMax` transfers only).
    let groupLimit: Int
    let contents = Locked(Contents())
    init(groupLimit: Int) { self.groupLimit = groupLimit }
  }

  private let unitOfWork: any UnitOfWork
  private let clock: any LedgerClock
  private let publisher: any TransferEventPublisher
  /// The most transfers one write transaction holds (a linked group is never split).
  let batchTransfersMax: Int

  private let state = Locked(State())

  /// Write transactions committed so far, for tests and metrics.
  var batchesCommitted: Int { state.withLock { $0.batchesCommitted } }

  /// Groups queued and not yet taken into a batch, for tests and metrics.
  var queuedGroupCount: Int { state.withLock { $0.queuedCount } }

  /// A committer writing through `unitOfWork`, stamping transfers with `clock` and announcing
  /// them to `publisher`, at most `batchTransfersMax` transfers per transaction.
  init(
    unitOfWork: any UnitOfWork, clock: any LedgerClock, publisher: any TransferEventPublisher,
    batchTransfersMax: Int
  ) {
    precondition(batchTransfersMax >= 1, "batchTransfersMax \(batchTransfersMax) < 1")
    self.unitOfWork = unitOfWork
    self.clock = clock
    self.publisher = publisher
    self.batchTransfersMax = batchTransfersMax
  }

  /// Submits `group` and waits for its outcomes, one per item.
  /// - Throws: the error that failed its write transaction.
  func submit(_ group: TransferGroup) async throws -> [TransferOutcome] {
    try await enqueue(group).outcomes()
  }

  /// Queues `group` behind every group queued before it and returns at once; the ticket resolves
  /// after the commit that holds it. Callers that enqueue in order get outcomes in that order,
  /// which is what lets a session pipeline without reordering.
  func enqueue(_ group: TransferGroup) -> CommitTicket {
    precondition(group.count >= 1 && group.count <= batchTransfersMax, "group of \(group.count) transfers")
    let ticket = CommitTicket()
    let slot = state.withLock { state in
      state.queue.append(Submission(group: group, ticket: ticket))
      return state.issueWrite()
    }
    if let slot { start(slot) }
    return ticket
  }

  /// Runs `slot`'s write in its own task. Unstructured on purpose: the write outlives any one
  /// caller. It cannot throw; every error it meets is delivered to the tickets of its batch.
  private func start(_ slot: WriteSlot) {
    Task { await self.write(slot) }
  }

  private func write(_ slot: WriteSlot) async {
    let clock = self.clock
    let state = self.state
    let limit = batchTransfersMax
    let result: Result<BatchOutcome, any Error>
    do {
      result = .success(
        try await unitOfWork.write { context in
          // Runs on the unit of work's thread, one closure at a time, in commit order.
          let (groups, next) = state.withLock { state in
            let number = state.nextWriteNumber
            state.nextWriteNumber += 1
            state.isWriteAwaitingStart = false
            let batch = state.takeBatch(limit: limit, groupLimit: slot.groupLimit)
            slot.contents.withLock { contents in
              contents.batch = batch
              contents.number = number
            }
            // The next write can now be issued: it will wait at the writer behind this one.
            return (batch.map(\.group), state.issueWrite())
          }
          if let next { self.start(next) }
          return try TransferBatch.apply(groups, in: context, createdAt: clock.now())
        })
    } catch {
      result = .failure(error)
    }
    let (batch, number) = slot.contents.withLock { ($0.batch, $0.number) }
    if let number {
      finish(number, batch, result)
    } else {
      // The write failed before its closure ran: fail the groups it would have taken.
      let (failed, next) = state.withLock { state in
        state.outstandingWrites -= 1
        state.isWriteAwaitingStart = false
        return (state.takeBatch(limit: limit, groupLimit: slot.groupLimit), state.issueWrite())
      }
      let error: any Error
      switch result {
      case .failure(let failure): error = failure
      case .success: preconditionFailure("a write succeeded without running its work")
      }
      for submission in failed { submission.ticket.resolve(.failure(error)) }
      if let next { start(next) }
    }
  }

  /// Hands a started write's outcome over for delivery, and delivers every finished write whose
  /// predecessors are all delivered, unless another thread is already doing so (it will take
  /// this one too before it stops).
  private func finish(_ number: Int, _ batch: [Submission], _ result: Result<BatchOutcome, any Error>) {
    let (mayDeliver, next) = state.withLock { state in
      state.outstandingWrites -= 1
      state.finished[number] = (batch, result)
      let mayDeliver = !state.isDelivering
      state.isDelivering = true
      return (mayDeliver, state.issueWrite())
    }
    if let next { start(next) }
    guard mayDeliver else { return }
    while true {
      let ready = state.withLock { $0.takeDeliverable() }
      if ready.isEmpty { return }
      for (batch, result) in ready { deliver(batch, result) }
    }
  }

  /// Publishes one write's created transfers and resolves its tickets.
  private func deliver(_ batch: [Submission], _ result: Result<BatchOutcome, any Error>) {
    switch result {
    case .success(let outcome):
      // Published before the callers hear back, so "acknowledged" implies "announced".
      if !outcome.created.isEmpty { publisher.publish(outcome.created) }
      for (submission, outcomes) in zip(batch, outcome.outcomesByGroup) {
        submission.ticket.resolve(.success(outcomes))
      }
    case .failure(let error):
      for submission in batch { submission.ticket.resolve(.failure(error)) }
    }
  }
}
