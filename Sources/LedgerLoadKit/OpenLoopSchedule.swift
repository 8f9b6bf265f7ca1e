/// When each call of an open-loop run should start: call `i` (from 0) at `i / rate` seconds
/// after the run's start, whatever happened to the calls before it (wrk2's constant
/// throughput). Latency is measured from this intended start, not from when the call could
/// actually be sent, so a stalled server shows up in the percentiles instead of silently
/// slowing the load down (coordinated omission).
public struct OpenLoopSchedule: Sendable, Hashable {
  /// Calls per second; positive.
  public let callsPerSecond: Double

  /// A schedule of `callsPerSecond` calls per second.
  public init(callsPerSecond: Double) {
    precondition(callsPerSecond > 0 && callsPerSecond.isFinite, "rate \(callsPerSecond) must be positive")
    self.callsPerSecond = callsPerSecond
  }

  /// The offset of call `index` from the run's start.
  public func offset(ofCall index: Int) -> Duration {
    precondition(index >= 0, "call index \(index) is negative")
    let nanoseconds = (Double(index) * 1e9 / callsPerSecond).rounded()
    return .nanoseconds(Int64(nanoseconds))
  }

  /// The intended start of call `index` for a run that started at `start`.
  public func intendedStart<C: InstantProtocol>(ofCall index: Int, runStart start: C) -> C
  where C.Duration == Duration {
    start.advanced(by: offset(ofCall: index))
  }

  /// How many calls are due by `elapsed` after the start (calls 0..<n have intended starts at
  /// or before it).
  public func callsDue(by elapsed: Duration) -> Int {
    guard elapsed >= .zero else { return 0 }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Int((seconds * callsPerSecond).rounded(.down)) + 1
  }

  /// The latency of a call intended to start at `intended` and finished at `finished`:
  /// includes any time it waited to be sent.
  public static func latency<C: InstantProtocol>(intended: C, finished: C) -> Duration where C.Duration == Duration {
    intended.duration(to: finished)
  }
}
