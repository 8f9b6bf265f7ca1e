import LedgerClient

/// What the run has measured so far; every worker records into one, behind one lock (a lock
/// per call costs nanoseconds against calls that take tens of microseconds).
///
/// Memory is bounded: the histogram is fixed-size, the throughput series holds at most
/// `secondsMax` entries, and at most `acknowledgedTransfersMax` transfer ids are kept.
struct LoadTally: Sendable {
  static let secondsMax = 86_400

  var latency = LatencyHistogram()
  var calls = 0
  var errors = 0
  var errorsByCode: [String: Int] = [:]
  var callsByOperation: [String: Int] = [:]
  /// Calls finished (successfully or not) in each second since the start.
  var callsPerSecond: [Int] = []
  var errorsPerSecond: [Int] = []
  /// Transfer ids the server acknowledged, with their amounts (up to the limit).
  var acknowledged: [String: Int64] = [:]
  var acknowledgedCount = 0
  /// The last acknowledged transfer ids (a ring), for reads.
  var recentTransferIDs: [String] = []
  var recentNext = 0
  var consecutiveUnavailable = 0
  var abandonReason: String?

  mutating func count(second: Int, failed: Bool) {
    let second = min(max(0, second), Self.secondsMax - 1)
    while callsPerSecond.count <= second {
      callsPerSecond.append(0)
      errorsPerSecond.append(0)
    }
    callsPerSecond[second] += 1
    if failed { errorsPerSecond[second] += 1 }
  }
}

/// The shared, locked tally and the run's clock.
final class LoadRecorder: Sendable {
  let start: ContinuousClock.Instant
  private let acknowledgedTransfersMax: Int
  private let unavailableFailuresMax: Int
  private let tally = LockedValue(LoadTally())

  init(start: ContinuousClock.Instant, acknowledgedTransfersMax: Int, unavailableFailuresMax: Int) {
    self.start = start
    self.acknowledgedTransfersMax = acknowledgedTransfersMax
    self.unavailableFailuresMax = unavailableFailuresMax
  }

  /// Whether the run has been abandoned (the workers stop).
  var isAbandoned: Bool { tally.withLock { $0.abandonReason != nil } }

  /// Records one call that was intended to start at `intended` and has just finished.
  /// - Parameters:
  ///   - failure: the status (or ledger error) name when it failed.
  ///   - acknowledged: the transfer id and amount when a transfer was acknowledged.
  func record(
    _ operation: Operation, intended: ContinuousClock.Instant, failure: String?,
    acknowledged: (id: String, amount: Int64)? = nil
  ) {
    let now = ContinuousClock.now
    let latency = OpenLoopSchedule.latency(intended: intended, finished: now)
    let second = Int((now - start).components.seconds)
    let unavailableMax = unavailableFailuresMax
    let acknowledgedMax = acknowledgedTransfersMax
    tally.withLock { tally in
      tally.calls += 1
      tally.callsByOperation[operation.rawValue, default: 0] += 1
      tally.latency.record(latency)
      tally.count(second: second, failed: failure != nil)
      if let failure {
        tally.errors += 1
        tally.errorsByCode[failure, default: 0] += 1
        if failure == StatusCode.unavailable.name {
          tally.consecutiveUnavailable += 1
          if tally.consecutiveUnavailable >= unavailableMax && tally.abandonReason == nil {
            tally.abandonReason = "\(tally.consecutiveUnavailable) calls in a row failed with UNAVAILABLE: the target is gone"
          }
        }
      } else {
        tally.consecutiveUnavailable = 0
      }
      if let acknowledged {
        tally.acknowledgedCount += 1
        if tally.acknowledged.count < acknowledgedMax { tally.acknowledged[acknowledged.id] = acknowledged.amount }
        if tally.recentTransferIDs.count < Self.recentTransfersMax {
          tally.recentTransferIDs.append(acknowledged.id)
        } else {
          tally.recentTransferIDs[tally.recentNext] = acknowledged.id
          tally.recentNext = (tally.recentNext + 1) % Self.recentTransfersMax
        }
      }
    }
  }

  static let recentTransfersMax = 256

  /// One of the recently acknowledged transfer ids, if any.
  func recentTransferID(_ roll: Int) -> String? {
    tally.withLock { tally in
      tally.recentTransferIDs.isEmpty ? nil : tally.recentTransferIDs[roll % tally.recentTransferIDs.count]
    }
  }

  /// Stops the run with `reason` (the first reason wins).
  func abandon(_ reason: String) {
    tally.withLock { tally in
      if tally.abandonReason == nil { tally.abandonReason = reason }
    }
  }

  /// A copy of everything so far.
  func snapshot() -> LoadTally { tally.withLock { $0 } }

  /// Calls, errors and p99 (µs) so far, for the progress line (without copying the ids).
  func progress() -> (calls: Int, errors: Int, p99Microseconds: UInt64) {
    tally.withLock { ($0.calls, $0.errors, $0.latency.percentile(99)) }
  }
}

/// The name a failure is counted under: the status code's name, followed by the ledger's
/// machine-readable code when the server sent one, e.g. `FAILED_PRECONDITION/INSUFFICIENT_FUNDS`.
func failureName(_ error: any Error) -> String {
  if let error = error as? RPCError {
    guard let code = error.metadata.firstString(forKey: "ledger-error-code") else { return error.code.name }
    return error.code.name + "/" + code
  }
  if error is CancellationError { return StatusCode.cancelled.name }
  return StatusCode.unknown.name
}
