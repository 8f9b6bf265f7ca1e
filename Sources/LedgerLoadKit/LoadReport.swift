/// The outcome of a run: what was asked, what was measured, and what the check found.
public struct LoadReport: Sendable, Hashable {
  /// One point of the latency-percentile curve.
  public struct PercentilePoint: Sendable, Hashable {
    public var percentile: Double
    public var microseconds: UInt64
  }

  /// A one-line description of the run's settings.
  public var settings: String
  public var targets: [String]
  public var mode: String
  public var runTag: String
  public var calls: Int
  public var errors: Int
  public var elapsedSeconds: Double
  /// Latency of all calls (failed ones too), from each call's intended start.
  public var latency: LatencyHistogram
  public var errorsByCode: [String: Int]
  public var callsByOperation: [String: Int]
  /// Calls finished in each second of the run.
  public var callsPerSecondSeries: [Int]
  public var errorsPerSecondSeries: [Int]
  public var acknowledgedTransfers: Int
  /// Why the run stopped early, if it did.
  public var abandonReason: String?
  /// The post-run check, if it ran.
  public var invariants: InvariantReport?

  /// Calls per second over the whole run.
  public var callsPerSecond: Double { elapsedSeconds > 0 ? Double(calls) / elapsedSeconds : 0 }

  /// The percentiles every format shows.
  public static let headlinePercentiles: [Double] = [50, 90, 99, 99.9]

  /// The curve the HTML chart draws: 0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100.
  public var percentileCurve: [PercentilePoint] {
    [0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100].map {
      PercentilePoint(percentile: $0, microseconds: latency.percentile($0))
    }
  }

  /// Whether the run counts as a success: not abandoned, and no invariant violated or left
  /// unchecked because the check failed.
  public var succeeded: Bool {
    guard abandonReason == nil else { return false }
    guard let invariants else { return true }
    return invariants.passed
  }
}

/// What the post-run check of the ledger's invariants found.
public struct InvariantReport: Sendable, Hashable {
  /// Accounts listed (all of the ledger's, every currency).
  public var accountsListed = 0
  /// Acknowledged transfers read back.
  public var transfersVerified = 0
  /// Acknowledged transfers of the run (some may not have been read back; see the sample).
  public var transfersAcknowledged = 0
  /// Sum of balances per currency (all should be 0).
  public var balanceSums: [String: Int64] = [:]
  /// Each violation, described.
  public var violations: [String] = []
  /// Set when the check itself could not finish (e.g. the server is gone).
  public var checkError: String?

  public init() {}

  /// No violation, and the check finished.
  public var passed: Bool { violations.isEmpty && checkError == nil }
}
