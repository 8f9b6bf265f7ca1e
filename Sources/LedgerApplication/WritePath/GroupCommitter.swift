import LedgerDomain

/// The write path: collects the groups that arrive while a commit is in flight and commits
/// them together in one `UnitOfWork.write`, so throughput comes from batching, not from weaker
/// durability.
///
/// Life of a group: ``enqueue(_:)`` appends it to the queue and returns a ticket; a drain loop
/// takes up to ``batchTransfersMax`` transfers' worth of whole groups, runs ``TransferBatch`` in
/// one transaction, and only after the commit returns publishes the created transfers and
/// resolves the tickets. If the transaction throws, every ticket of the batch gets the error and
/// nothing is published. Batches commit one after another, so published transfers arrive at the
/// publisher in sequence order.
actor GroupCommitter {
  private struct Submission {
    let group: TransferGroup
    let ticket: CommitTicket
  }

  private let unitOfWork: any UnitOfWork
  private let clock: any LedgerClock
  private let publisher: any TransferEventPublisher
  /// The most transfers one write transaction holds (a linked group is never split).
  let batchTransfersMax: Int

  private var queue: [Submission] = []
  private var queueHead = 0
  /// True from the first enqueue into an idle committer until the queue is empty again.
  private var isDraining = false
  /// Write transactions committed so far, for tests and metrics.
  private(set) var batchesCommitted = 0

  /// Groups queued and not yet taken into a batch, for tests and metrics.
  var queuedGroupCount: Int { queue.count - queueHead }

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
    queue.append(Submission(group: group, ticket: ticket))
    if !isDraining {
      isDraining = true
      // Unstructured on purpose: the drain outlives any one caller. It cannot throw; every
      // error it meets is delivered to the tickets of the batch it belongs to.
      Task { await self.drain() }
    }
    return ticket
  }

  private func drain() async {
    while queueHead < queue.count {
      let batch = takeBatch()
      await commit(batch)
    }
    queue.removeAll(keepingCapacity: true)
    queueHead = 0
    isDraining = false
  }

  /// Whole groups from the head of the queue, in arrival order, up to `batchTransfersMax`
  /// transfers (always at least one group).
  private func takeBatch() -> [Submission] {
    var batch: [Submission] = []
    var transferCount = 0
    while queueHead < queue.count {
      let next = queue[queueHead]
      if !batch.isEmpty && transferCount + next.group.count > batchTransfersMax { break }
      batch.append(next)
      transferCount += next.group.count
      queueHead += 1
    }
    // Drop the consumed prefix now and then, so a long busy period does not keep it alive.
    if queueHead >= 4_096 {
      queue.removeFirst(queueHead)
      queueHead = 0
    }
    return batch
  }

  private func commit(_ batch: [Submission]) async {
    let groups = batch.map(\.group)
    let clock = self.clock
    let result: Result<BatchOutcome, any Error>
    do {
      result = .success(
        try await unitOfWork.write { context in
          try TransferBatch.apply(groups, in: context, createdAt: clock.now())
        })
    } catch {
      result = .failure(error)
    }
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
