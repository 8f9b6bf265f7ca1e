import CourierCore
import LedgerAPI

/// One TransferSession stream kept `window` transfers deep until `end`, closed loop per slot:
/// the first `window` requests go out at once, then one more each time a result comes back.
/// The server answers in request order, so results are matched to requests first in, first out.
///
/// At `end` the stream stops sending and half-closes; the results still in flight are then
/// received and counted like any other (as unary's last call of each worker is), and the call
/// ends when the server closes the stream with OK.
struct SessionLane: Sendable {
  /// A request sent and not answered yet.
  private struct Pending: Sendable {
    var transferID: String
    var sent: ContinuousClock.Instant
  }

  let client: Ledger_V1_Transfers.Client
  let window: Int
  let end: ContinuousClock.Instant

  /// Runs the stream and returns one latency sample per transfer, in microseconds, from the
  /// request's send to its result.
  ///
  /// - Throws: `BenchFailure` when a result carries an error code, answers another transfer
  ///   than the oldest one in flight, or is missing when the stream ends; `RPCError` when the
  ///   stream fails.
  func run(_ transfers: RandomTransfers) async throws -> [UInt32] {
    precondition(window > 0, "a session window must be positive, got \(window)")
    let pending = LockedValue<[Pending]>([])
    // One element per result received: the producer's credit to send another request.
    let (answered, answeredSink) = AsyncStream<Void>.makeStream(bufferingPolicy: .unbounded)
    let (window, end) = (window, end)
    let clock = ContinuousClock()
    let samples = try await client.transferSession(
      requestProducer: { writer in
        var transfers = transfers
        var credits = answered.makeAsyncIterator()
        var sent = 0
        while true {
          // Past the first window, wait for a slot; nil means the results ended or the call was cancelled.
          if sent >= window, await credits.next() == nil { break }
          guard clock.now < end else { break }
          let request = transfers.next()
          pending.withLock { $0.append(Pending(transferID: request.transferID, sent: clock.now)) }
          try await writer.write(request)
          sent += 1
        }
      },
      onResponse: { response in
        defer { answeredSink.finish() }
        var samples: [UInt32] = []
        samples.reserveCapacity(65_536)
        for try await result in response.messages {
          let now = clock.now
          guard let request = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
            throw BenchFailure("a TransferSession result for \(result.transferID) came with no transfer in flight")
          }
          guard result.transferID == request.transferID else {
            throw BenchFailure("TransferSession answered \(result.transferID) where \(request.transferID) was next")
          }
          guard result.errorCode == .unspecified else {
            throw BenchFailure("transfer \(request.transferID) failed: \(result.errorCode): \(result.errorMessage)")
          }
          samples.append(UInt32(clamping: TransferBenchmark.microseconds(now - request.sent)))
          answeredSink.yield()
        }
        return samples
      })
    let unanswered = pending.withLock { $0.count }
    guard unanswered == 0 else {
      throw BenchFailure("a TransferSession stream closed with \(unanswered) transfer(s) unanswered")
    }
    return samples
  }
}
