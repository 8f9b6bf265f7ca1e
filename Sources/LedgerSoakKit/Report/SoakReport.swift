import LedgerLoadKit

/// Everything a soak run measured, and the verdict.
public struct SoakReport: Sendable {
  /// One measured phase of legitimate load.
  public struct Phase: Sendable {
    public enum Kind: String, Sendable, Hashable {
      case baseline, abuse, recovery
    }

    public var kind: Kind
    /// 0 for BASELINE, else the abuse cycle (1, 2, ...).
    public var cycle: Int
    /// The legitimate load's tally for the phase (its `invariants` is nil).
    public var load: LoadReport
    /// New connections tried during the phase (none during BASELINE).
    public var probes: ProbeTally?
    /// The server's CPU time during the phase, in seconds.
    public var serverCPUSeconds: Double?

    /// `baseline`, `abuse 1`, `recovery 1`, ...
    public var name: String { kind == .baseline ? kind.rawValue : "\(kind.rawValue) \(cycle)" }
  }

  /// One ABUSE phase, the shedding after it, and the RECOVERY phase after that.
  public struct Cycle: Sendable {
    public var number: Int
    /// What each abuser did during this cycle's ABUSE phase.
    public var abusers: [AbuserOutcome]
    /// The largest value of each figure sampled every 250 ms during ABUSE.
    public var abusePeak: ProcessSample?
    public var endOfAbuse: ProcessSample?
    /// How long after the abusers stopped the server was back to its descriptors from before
    /// the abuse; nil if it was not within the shed timeout.
    public var shedDuration: Duration?
    public var afterShed: ProcessSample?
    /// After RECOVERY, once the probes' connections are closed.
    public var afterRecovery: ProcessSample?
  }

  /// A /proc sample with the moment it was taken, for the report's table.
  public struct Sample: Sendable, Hashable {
    public var label: String
    /// Nil when the server was gone.
    public var sample: ProcessSample?
  }

  /// How the server was started.
  public var serverCommand: [String]
  /// A one-line description of the legitimate load and the phases.
  public var settings: String
  /// BASELINE, then ABUSE and RECOVERY for each cycle.
  public var phases: [Phase]
  /// After the warm-up.
  public var start: ProcessSample?
  /// At the end of BASELINE: the level memory and descriptors must come back to.
  public var beforeAbuse: ProcessSample?
  public var cycles: [Cycle]
  /// A second after the last RECOVERY, the legitimate clients connected and silent.
  public var idle: ProcessSample?
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

  /// The phase named `name` (`baseline`, `abuse 1`, ...).
  public func phase(_ name: String) -> Phase? { phases.first { $0.name == name } }

  /// Every sample in the order taken.
  public var samples: [Sample] {
    var samples = [Sample(label: "start", sample: start), Sample(label: "before abuse", sample: beforeAbuse)]
    for cycle in cycles {
      samples += [
        Sample(label: "abuse \(cycle.number) peak", sample: cycle.abusePeak),
        Sample(label: "end of abuse \(cycle.number)", sample: cycle.endOfAbuse),
        Sample(label: "after shed \(cycle.number)", sample: cycle.afterShed),
        Sample(label: "after recovery \(cycle.number)", sample: cycle.afterRecovery),
      ]
    }
    return samples + [Sample(label: "idle", sample: idle)]
  }

  /// Each abuser's counts summed over the cycles.
  public var abusers: [AbuserOutcome] {
    guard var totals = cycles.first?.abusers else { return [] }
    for cycle in cycles.dropFirst() {
      for (index, outcome) in cycle.abusers.enumerated() where index < totals.count {
        totals[index].actions.merge(outcome.actions, uniquingKeysWith: +)
        totals[index].reactions.merge(outcome.reactions, uniquingKeysWith: +)
      }
    }
    return totals
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
