import LedgerClient

/// Pipelines transfers over one TransferSession stream: up to `window` requests in flight,
/// results matched to requests by order (the server answers in order). When the stream fails,
/// the requests still in flight are counted as failed and a new stream is opened, until the
/// run stops.
struct TransferSessionWorker: Sendable {
  /// A request sent and not answered yet.
  struct Pending: Sendable {
    var transferID: String
    var amount: Int64
    var sent: ContinuousClock.Instant
  }

  let client: Ledger_V1_Transfers.Client
  let workload: LoadWorkload
  let recorder: LoadRecorder
  let tickets: LoadRunner.Tickets
  let window: Int
  let options: CallOptions

  func run() async {
    while !recorder.isAbandoned && !Task.isCancelled {
      let finished = await runOneSession()
      if finished { return }
    }
  }

  /// One stream; returns true when the tickets ran out (the run is over).
  private func runOneSession() async -> Bool {
    let pending = LockedValue<[Pending]>([])
    let exhausted = LockedValue(false)
    let (credits, creditSink) = AsyncStream<Void>.makeStream(bufferingPolicy: .unbounded)
    let (workload, recorder, tickets, window) = (workload, recorder, tickets, window)
    do {
      // A session lives as long as the run; the per-call deadline does not apply to it.
      try await client.transferSession(
        options: CallOptions(timeout: nil),
        requestProducer: { writer in
          var generator = SystemRandomNumberGenerator()
          var creditIterator = credits.makeAsyncIterator()
          var sent = 0
          // A ticket is a call the run may still make; the id is the SDK's, time-ordered.
          while tickets.take() != nil {
            if sent >= window {
              guard await creditIterator.next() != nil else { break }
            }
            let request = workload.transferRequest(id: LedgerClient.newTransferID(using: &generator), using: &generator)
            pending.withLock { $0.append(Pending(transferID: request.transferID, amount: request.amount, sent: .now)) }
            try await writer.write(request)
            sent += 1
          }
          exhausted.withLock { $0 = true }
        },
        onResponse: { response in
          for try await result in response.messages {
            let request = pending.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            guard let request else { throw RPCError(code: .internal, message: "a session result came with no request in flight") }
            if result.errorCode == .unspecified {
              recorder.record(.transfer, intended: request.sent, failure: nil, acknowledged: (request.transferID, result.transfer.amount))
            } else {
              recorder.record(.transfer, intended: request.sent, failure: "session/\(result.errorCode)")
            }
            creditSink.yield()
          }
        })
      creditSink.finish()
      return exhausted.withLock { $0 }
    } catch {
      creditSink.finish()
      let lost = pending.withLock { pending in
        defer { pending.removeAll() }
        return pending
      }
      let name = failureName(error)
      if lost.isEmpty {
        recorder.record(.transfer, intended: .now, failure: name)
      }
      for request in lost { recorder.record(.transfer, intended: request.sent, failure: name) }
      if case let error as RPCError = error, error.code != .unavailable, error.code != .cancelled {
        // A stream that fails for another reason would fail again at once; stop this worker.
        recorder.abandon("a TransferSession stream failed: \(error)")
        return true
      }
      return exhausted.withLock { $0 }
    }
  }
}
