import LedgerLoadKit

/// Everything a soak run measured, and the verdict.
public struct SoakReport: Sendable {
  /// One measured phase of legitimate load.
  public struct Phase: Sendable {
    /// `baseline`, `abuse` or `recovery`.
    public var name: String
    /// The legitimate load's tally for the phase (its `invariants` is nil).
    public var load: LoadReport
    /// New connections tried during the phase (none during BASELINE).
    public var probes: ProbeTally?
  }

  /// A /proc sample with the moment it was taken.
  public struct Sample: Sendable, Hashable {
    /// One of ``SoakMoment``'s sample labels.
    public var label: String
    /// Nil when the server was gone.
    public var sample: ProcessSample?
  }

  /// How the server was started.
  public var serverCommand: [String]
  /// A one-line description of the legitimate load and the phases.
  public var settings: String
  public var phases: [Phase]
  public var samples: [Sample]
  public var abusers: [AbuserOutcome]
  /// How long after the abusers stopped the server was back to its descriptors from before
  /// the abuse; nil if it was not within the shed timeout.
  public var shedDuration: Duration?
  public var invariants: InvariantReport
  /// Whether the server was running at every sample, up to the end.
  public var aliveThroughout: Bool
  /// How the server ended when sent SIGTERM at the end (`exit 0` when clean).
  public var exitDescription: String
  public var exitedCleanly: Bool
  public var shutdownDuration: Duration
  /// Where the database and the server's log were left, when they were kept.
  public var keptDirectory: String?
  /// Each criterion and whether it held.
  public var criteria: [CriterionResult]

  /// Whether every criterion held.
  public var passed: Bool { !criteria.isEmpty && criteria.allSatisfy(\.passed) }

  /// The phase named `name`.
  public func phase(_ name: String) -> Phase? { phases.first { $0.name == name } }

  /// The sample labelled `label`.
  public func sample(_ label: String) -> ProcessSample? { samples.first { $0.label == label }?.sample }

  /// The server's CPU time during the phase named `name`, in seconds, from the samples around
  /// it.
  public func serverCPUSeconds(phase name: String) -> Double? {
    let bounds: (String, String)
    switch name {
    case SoakMoment.baseline: bounds = (SoakMoment.start, SoakMoment.beforeAbuse)
    case SoakMoment.abuse: bounds = (SoakMoment.beforeAbuse, SoakMoment.endOfAbuse)
    case SoakMoment.recovery: bounds = (SoakMoment.afterShed, SoakMoment.afterRecovery)
    default: return nil
    }
    guard let first = sample(bounds.0), let last = sample(bounds.1) else { return nil }
    return last.cpuSeconds - first.cpuSeconds
  }
}

/// One pass/fail criterion of the soak.
public struct CriterionResult: Sendable, Hashable {
  /// What must hold, e.g. `no descriptor leak`.
  public var name: String
  public var passed: Bool
  /// The figures it was decided on.
  public var detail: String
}

/// The phase names and sample labels, in the order they happen.
public enum SoakMoment {
  public static let baseline = "baseline"
  public static let abuse = "abuse"
  public static let recovery = "recovery"
  public static let start = "start"
  public static let beforeAbuse = "before abuse"
  public static let endOfAbuse = "end of abuse"
  public static let abusePeak = "abuse peak"
  public static let afterShed = "after shed"
  public static let afterRecovery = "after recovery"
  /// One second after RECOVERY, clients connected but silent.
  public static let idle = "idle"
}
