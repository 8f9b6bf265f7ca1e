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
/// previous one commits. The writer therefore does not idle while this actor is scheduled to
/// answer the previous batch, and the waiting write gathers everything that arrived meanwhile.
/// At most one issued write has not started, so closures start in issue order and take the
/// queue's groups in arrival order (a session's retry never overtakes the transfer it
/// retries). A write issued while the committer is idle takes at most the groups queued when it
/// was issued (the same batch as without pipelining). Writes are numbered when their closure
/// runs (in commit order) and answered in that order, so published transfers arrive at the
/// publisher in sequence order.
actor GroupCommitter {
  fileprivate struct Submission: Sendable {
    let group: TransferGroup
    let ticket: CommitTicket
  }

  /// What the writes' closures share with this actor; they run on the unit of work's thread.
  fileprivate struct Pending {
    var queue: [Submission] = []
    var queueHead = 0
    /// True while an issued write has not started (taken its groups) yet.
    var isWriteAwaitingStart = false
    /// Writes issued whose outcome the actor has not handled yet.
    var outstandingWrites = 0
    /// The number the next started write gets.
    var nextWriteNumber = 0

    var queuedCount: Int { queue.count - queueHead }

    /// Whole groups from the head of the queue, in arrival order, up to `limit` transfers
    /// (always at least one group when any is queued).
    mutating func takeBatch(limit: Int, groupLimit: Int = Int.max) -> [Submission] {
      var batch: [Submission] = []
      batch.reserveCapacity(min(queuedCount, groupLimit, limit))
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

  /// Shared with `enqueue` (any thread) and the writes' closures (the unit of work's thread), so
  /// queueing a group never waits for this actor.
  private nonisolated let pending = Locked(Pending())
  /// Outcomes of started writes, by number, waiting for the earlier ones to be delivered.
  private var finished: [Int: ([Submission], Result<BatchOutcome, any Error>)] = [:]
  private var nextNumberToDeliver = 0
  /// Write transactions committed so far, for tests and metrics.
  private(set) var batchesCommitted = 0

  /// Groups queued and not yet taken into a batch, for tests and metrics.
  var queuedGroupCount: Int { pending.withLock { $0.queuedCount } }

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
  nonisolated func submit(_ group: TransferGroup) async throws -> [TransferOutcome] {
    try await enqueue(group).outcomes()
  }

  /// Queues `group` behind every group queued before it and returns at once; the ticket resolves
  /// after the commit that holds it. Callers that enqueue in order get outcomes in that order,
  /// which is what lets a session pipeline without reordering.
  ///
  /// Nonisolated: it only takes the queue's lock, so a transfer reaches the queue without a hop
  /// to this actor; the actor runs once per write, not once per transfer.
  nonisolated func enqueue(_ group: TransferGroup) -> CommitTicket {
    precondition(group.count >= 1 && group.count <= batchTransfersMax, "group of \(group.count) transfers")
    let ticket = CommitTicket()
    let slot = pending.withLock { pending in
      pending.queue.append(Submission(group: group, ticket: ticket))
      return Self.claimWrite(&pending)
    }
    if let slot { issue(slot) }
    return ticket
  }

  /// Issues a write when groups are queued and every issued write has started. Called on
  /// enqueue, when a write starts, and when one finishes.
  nonisolated func issueWrites() {
    if let slot = pending.withLock(Self.claimWrite) { issue(slot) }
  }

  /// Under the queue's lock: a slot for a new write, or nil when nothing is queued or an issued
  /// write has not started yet.
  private static func claimWrite(_ pending: inout Pending) -> WriteSlot? {
    guard pending.queuedCount > 0, !pending.isWriteAwaitingStart else { return nil }
    let isIdle = pending.outstandingWrites == 0
    pending.isWriteAwaitingStart = true
    pending.outstandingWrites += 1
    return WriteSlot(groupLimit: isIdle ? pending.queuedCount : Int.max)
  }

  private nonisolated func issue(_ slot: WriteSlot) {
    // Unstructured on purpose: the write outlives any one caller. It cannot throw; every error
    // it meets is delivered to the tickets of the batch it belongs to.
    Task { await self.write(slot) }
  }

  private func write(_ slot: WriteSlot) async {
    let clock = self.clock
    let pending = self.pending
    let limit = batchTransfersMax
    let result: Result<BatchOutcome, any Error>
    do {
      result = .success(
        try await unitOfWork.write { context in
          // Runs on the unit of work's thread, one closure at a time, in commit order.
          let (groups, hasMore) = pending.withLock { pending in
            let number = pending.nextWriteNumber
            pending.nextWriteNumber += 1
            pending.isWriteAwaitingStart = false
            let batch = pending.takeBatch(limit: limit, groupLimit: slot.groupLimit)
            slot.contents.withLock { contents in
              contents.batch = batch
              contents.number = number
            }
            return (batch.map(\.group), pending.queuedCount > 0)
          }
          // The next write can now be issued: it will wait at the writer behind this one.
          if hasMore { self.issueWrites() }
          return try TransferBatch.apply(groups, in: context, createdAt: clock.now())
        })
    } catch {
      result = .failure(error)
    }
    pending.withLock { $0.outstandingWrites -= 1 }
    let (batch, number) = slot.contents.withLock { ($0.batch, $0.number) }
    if let number {
      finished[number] = (batch, result)
      deliverInOrder()
    } else {
      // The write failed before its closure ran: fail the groups it would have taken.
      let failed = pending.withLock { pending in
        pending.isWriteAwaitingStart = false
        return pending.takeBatch(limit: limit, groupLimit: slot.groupLimit)
      }
      let error: any Error
      switch result {
      case .failure(let failure): error = failure
      case .success: preconditionFailure("a write succeeded without running its work")
      }
      for submission in failed { submission.ticket.resolve(.failure(error)) }
    }
    issueWrites()
  }

  /// Publishes and resolves the finished writes whose predecessors are all delivered.
  private func deliverInOrder() {
    while let (batch, result) = finished.removeValue(forKey: nextNumberToDeliver) {
      nextNumberToDeliver += 1
      switch result {
      case .success(let outcome):
        batchesCommitted += 1
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
}
