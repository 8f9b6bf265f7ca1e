/// What one measured level runs: `concurrency` transfers in flight at all times, either as that
/// many closed-loop unary workers or shared out over TransferSession streams.
///
/// Each worker or stream is a *lane*; lane `i` uses connection `i % connections`, so streams are
/// spread over the channels the way unary workers are.
enum LoadShape: Equatable {
  /// `workers` callers, each with one CreateTransfer in flight.
  case unary(workers: Int)
  /// One TransferSession stream per element, each keeping that many transfers in flight.
  case session(windows: [Int])

  /// The shape for `concurrency` transfers in flight.
  ///
  /// In session mode that is `max(1, concurrency / window)` streams; the transfers are shared
  /// out as evenly as possible, so the windows add up to exactly `concurrency` (64 over windows
  /// of 16 is 4 × 16; 70 is 18, 18, 17, 17; 8 is one stream of 8).
  init(_ mode: BenchMode, concurrency: Int, window: Int) {
    precondition(concurrency > 0 && window > 0, "concurrency \(concurrency) and window \(window) must be positive")
    switch mode {
    case .unary:
      self = .unary(workers: concurrency)
    case .session:
      let streams = max(1, concurrency / window)
      let (base, extra) = concurrency.quotientAndRemainder(dividingBy: streams)
      self = .session(windows: (0..<streams).map { base + ($0 < extra ? 1 : 0) })
    }
  }

  var mode: BenchMode {
    switch self {
    case .unary: .unary
    case .session: .session
    }
  }

  /// How many workers or streams run side by side.
  var laneCount: Int {
    switch self {
    case .unary(let workers): workers
    case .session(let windows): windows.count
    }
  }

  /// The mode as a report names it: `unary`, `session (4 streams × 16)`,
  /// `session (4 streams × 17–18)`.
  var label: String {
    switch self {
    case .unary:
      return "unary"
    case .session(let windows):
      let smallest = windows.min() ?? 0
      let largest = windows.max() ?? 0
      let window = smallest == largest ? "\(largest)" : "\(smallest)–\(largest)"
      return "session (\(windows.count) stream\(windows.count == 1 ? "" : "s") × \(window))"
    }
  }
}
