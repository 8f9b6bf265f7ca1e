import LedgerDomain

extension TransferService {
  /// Bulk load: applies each request of `requests` on its own (one failing does not stop the
  /// others) and returns a summary once the sequence ends.
  ///
  /// Requests are pipelined: up to ``Configuration/pipelineWindow`` are in flight at once, so
  /// they share group commits instead of paying one commit each.
  /// - Throws: what `requests` throws; the `StorageError` that failed a commit (the transfers
  ///   acknowledged before it stay committed; a retry of the whole import is safe, since each
  ///   transfer is idempotent by id).
  public func importTransfers<Requests: AsyncSequence & Sendable>(_ requests: Requests) async throws -> ImportSummary
  where Requests.Element == TransferRequest {
    var summary = ImportSummary()
    let failuresReportedMax = configuration.importFailuresReportedMax
    try await pipeline(requests) { result in
      summary.record(result, failuresReportedMax: failuresReportedMax)
    }
    return summary
  }

  /// Pipelined creation: one result per request, delivered in request order, while later
  /// requests are already being committed (up to ``Configuration/pipelineWindow`` in flight).
  ///
  /// - Parameter deliver: called once per request, in request order; throwing ends the session.
  /// - Throws: what `requests` or `deliver` throws; the `StorageError` that failed a commit.
  public func session<Requests: AsyncSequence & Sendable>(
    _ requests: Requests, deliver: (TransferResult) async throws -> Void
  ) async throws where Requests.Element == TransferRequest {
    try await pipeline(requests, deliver: deliver)
  }

  /// One submitted request on its way to delivery.
  private enum Slot: Sendable {
    /// Decided without a commit (malformed request).
    case decided(TransferResult)
    /// Queued in the committer; the ticket resolves after its commit.
    case queued(transferID: String, ticket: CommitTicket)

    func result() async throws -> TransferResult {
      switch self {
      case .decided(let result):
        return result
      case .queued(let transferID, let ticket):
        let outcomes = try await ticket.outcomes()
        precondition(outcomes.count == 1, "one outcome for one transfer, got \(outcomes.count)")
        return TransferResult(transferID: transferID, outcome: outcomes[0])
      }
    }
  }

  /// Reads `requests` in a child task, queueing each in the committer as it arrives, while this
  /// task delivers results in request order. The committer commits in queue order, so awaiting
  /// tickets in request order never waits on a later commit than necessary.
  private func pipeline<Requests: AsyncSequence & Sendable>(
    _ requests: Requests, deliver: (TransferResult) async throws -> Void
  ) async throws where Requests.Element == TransferRequest {
    let window = AsyncPermits(count: configuration.pipelineWindow)
    // Unbounded as a stream, but bounded by the window: a slot is only added with a permit.
    let (slots, slotSink) = AsyncStream.makeStream(of: Slot.self)
    let committer = self.committer
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        defer { slotSink.finish() }
        for try await request in requests {
          try await window.acquire()
          switch Result(catching: { () throws(LedgerError) in try request.validated() }) {
          case .success(let command):
            slotSink.yield(.queued(transferID: request.transferID, ticket: committer.enqueue(.single(command))))
          case .failure(let error):
            slotSink.yield(.decided(TransferResult(transferID: request.transferID, outcome: .failed(error))))
          }
        }
      }
      // Leaving this loop by an error cancels the reader; leaving it normally means the reader
      // finished the stream, and `waitForAll` reports whether it did so by failing.
      for await slot in slots {
        try await deliver(try await slot.result())
        window.release()
      }
      try await group.waitForAll()
    }
  }
}
