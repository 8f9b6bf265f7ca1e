import CourierBenchAPI
import CourierCore

/// What the test service saw, for tests that must observe the server's side of a call
/// (for example that a handler really was cancelled).
final class ServiceProbe: Sendable {
  struct Counts: Sendable, Equatable {
    var started = 0
    /// Stream handlers that wrote all their replies.
    var finishedWriting = 0
    /// Replies stream handlers have written (their `write` returned).
    var written = 0
    var cancelled = 0
  }

  private let counts = LockedValue(Counts())
  /// Whether held calls may go on, and the ones waiting until they may.
  private let gate = LockedValue((released: false, waiters: [CheckedContinuation<Void, Never>]()))

  var snapshot: Counts { counts.withLock { $0 } }

  func recordStarted() { counts.withLock { $0.started += 1 } }
  func recordCancelled() { counts.withLock { $0.cancelled += 1 } }
  func recordFinishedWriting() { counts.withLock { $0.finishedWriting += 1 } }
  func recordWritten() { counts.withLock { $0.written += 1 } }

  /// Lets every call held by `hold-until-released: 1` go on, now and later.
  func releaseHeldCalls() {
    let waiters = gate.withLock { gate in
      gate.released = true
      defer { gate.waiters = [] }
      return gate.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Returns once `releaseHeldCalls()` has been called or the task is cancelled.
  func waitForRelease() async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let released = gate.withLock { gate -> Bool in
          if gate.released || Task.isCancelled { return true }
          gate.waiters.append(continuation)
          return false
        }
        if released { continuation.resume() }
      }
    } onCancel: {
      let waiters = gate.withLock { gate in
        defer { gate.waiters = [] }
        return gate.waiters
      }
      for waiter in waiters { waiter.resume() }
    }
  }
}

extension ServiceProbe {
  /// Waits until `written` has not changed for `quiet`, at most `timeout`; false on timeout.
  func writtenStopsGrowing(for quiet: Duration, within timeout: Duration) async -> Bool {
    await stopsGrowing({ snapshot.written }, for: quiet, within: timeout)
  }
}

/// The Bench service with knobs the tests turn through request metadata:
/// - `sleep-ms: N` makes `transfer` wait N milliseconds (cancellably) before answering;
/// - `hold-until-released: 1` makes `transfer` wait until the test calls
///   `probe.releaseHeldCalls()` (or the call is cancelled);
/// - `count: N` makes `stream` send N replies (default 3);
/// - `hold: 1` makes `stream` wait, after its replies, until it is cancelled.
///
/// A handler that ends because its task was cancelled is counted in `probe`.
struct TestService: Bench_V1_Bench.ServiceProtocol {
  static let transferPath = "/bench.v1.Bench/Transfer"
  static let streamPath = "/bench.v1.Bench/Stream"

  let probe: ServiceProbe

  /// The 136-byte request of docs/PROTOCOL.md section 10 (and of the peer benchmarks).
  static func sampleRequest() -> Bench_V1_TransferRequest {
    var request = Bench_V1_TransferRequest()
    request.idempotencyKey = "idem-7f3a9c2e-0001"
    request.fromAccount = "acct-000123456"
    request.toAccount = "acct-000654321"
    var amount = Bench_V1_Amount()
    amount.units = 125_000
    amount.currency = "USD"
    request.amount = amount
    request.tags = ["retail", "p2p", "priority"]
    request.metadata = ["channel": "mobile", "region": "eu-west-1"]
    request.createdAtUnixNanos = 1_700_000_000_123_456_789
    return request
  }

  /// The reply to `request`: 26 bytes for the sample request.
  static func reply(to request: Bench_V1_TransferRequest) -> Bench_V1_TransferReply {
    var reply = Bench_V1_TransferReply()
    reply.transferID = request.idempotencyKey
    reply.balanceAfter = 125_000
    reply.status = 1
    return reply
  }

  func transfer(request: Bench_V1_TransferRequest, context: ServerContext) async throws
    -> Bench_V1_TransferReply
  {
    probe.recordStarted()
    if let sleep = context.requestMetadata.firstString(forKey: "sleep-ms").flatMap({ Int($0) }) {
      try await observingCancellation { try await Task.sleep(for: .milliseconds(sleep)) }
    }
    if context.requestMetadata.firstString(forKey: "hold-until-released") == "1" {
      try await observingCancellation {
        await probe.waitForRelease()
        try Task.checkCancellation()
      }
    }
    return Self.reply(to: request)
  }

  func stream(
    request: Bench_V1_TransferRequest, response: RPCWriter<Bench_V1_TransferReply>,
    context: ServerContext
  ) async throws {
    probe.recordStarted()
    let count = context.requestMetadata.firstString(forKey: "count").flatMap { Int($0) } ?? 3
    let hold = context.requestMetadata.firstString(forKey: "hold") == "1"
    try await observingCancellation {
      for _ in 0..<count {
        try await response.write(Self.reply(to: request))
        probe.recordWritten()
      }
      probe.recordFinishedWriting()
      if hold { try await Task.sleep(for: .seconds(60)) }
    }
  }

  /// Runs `body`, counting in the probe when it ends because the handler's task was cancelled.
  private func observingCancellation(_ body: () async throws -> Void) async throws {
    do {
      try await body()
    } catch {
      if Task.isCancelled { probe.recordCancelled() }
      throw error
    }
  }
}
