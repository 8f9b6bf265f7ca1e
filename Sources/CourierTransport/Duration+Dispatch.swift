import Dispatch

extension Duration {
  /// This duration for Dispatch; negative is zero, too long to count in nanoseconds is never.
  var dispatchInterval: DispatchTimeInterval {
    let (seconds, attoseconds) = components
    guard seconds >= 0 else { return .nanoseconds(0) }
    let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    guard !overflow, nanoseconds < Int64.max - 1_000_000_000 else { return .never }
    return .nanoseconds(Int(nanoseconds + attoseconds / 1_000_000_000))
  }
}
