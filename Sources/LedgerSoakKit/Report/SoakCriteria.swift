import LedgerLoadKit

/// The pass/fail thresholds of a soak, and the evaluation of a run against them.
///
/// Strict where the answer does not depend on the machine: the server survives and stops
/// cleanly, no legitimate call fails, descriptors come back exactly (± a small constant for
/// the accept path), new connections are served after the abuse, the ledger balances, and
/// every abuser actually reached the server. Generous where a shared two-core machine adds
/// noise: throughput and p99 under abuse, and memory (the allocator keeps freed pages; see
/// docs/SOAK.md for how the memory bound was chosen).
public struct SoakCriteria: Sendable, Hashable {
  /// After RECOVERY, resident memory may exceed its level before ABUSE by this fraction...
  public var residentGrowthFractionMax = 0.25
  /// ...or by this many KiB, whichever is larger. Default 16 MiB.
  public var residentGrowthKiBFloor = 16 * 1_024
  /// Descriptors after RECOVERY may differ from before ABUSE by at most this many.
  public var descriptorDifferenceMax = 2
  /// Under abuse, legitimate throughput must stay at least this share of BASELINE's.
  public var abuseThroughputFractionMin = 0.25
  /// Under abuse, legitimate p99 may be at most this multiple of BASELINE's...
  public var abuseP99FactorMax = 10.0
  /// ...or this many microseconds above it, whichever is larger.
  public var abuseP99SlackMicroseconds: UInt64 = 500_000
  /// In RECOVERY, throughput must be back to at least this share of BASELINE's.
  public var recoveryThroughputFractionMin = 0.5
  /// In RECOVERY, p99 may be at most this multiple of BASELINE's...
  public var recoveryP99FactorMax = 4.0
  /// ...or this many microseconds above it, whichever is larger.
  public var recoveryP99SlackMicroseconds: UInt64 = 100_000
  /// With its clients connected but silent after RECOVERY, the server may use at most this
  /// share of one core (leftover handlers, timers or loops would show here).
  public var idleCPUFractionMax = 0.05

  /// The defaults.
  public init() {}

  /// The largest resident memory (KiB) allowed after RECOVERY for `before` KiB before ABUSE.
  public func residentKiBMax(before: Int) -> Int {
    max(Int((Double(before) * (1 + residentGrowthFractionMax)).rounded(.down)), before + residentGrowthKiBFloor)
  }

  /// The largest p99 allowed for a phase whose BASELINE p99 was `baseline`.
  static func p99Max(baseline: UInt64, factor: Double, slack: UInt64) -> UInt64 {
    max(UInt64(Double(baseline) * factor), baseline + slack)
  }

  /// Judges a run; `report.criteria` is ignored.
  func evaluate(_ report: SoakReport) -> [CriterionResult] {
    var results: [CriterionResult] = []
    results.append(
      CriterionResult(
        name: "no crash", passed: report.aliveThroughout && report.exitedCleanly,
        detail: (report.aliveThroughout ? "alive at every sample" : "DIED during the run")
          + "; SIGTERM at the end: \(report.exitDescription) after \(seconds(report.shutdownDuration))"))
    results.append(legitimateCallsSucceed(report))
    results.append(contentsOf: performance(report))
    results.append(newConnections(report))
    results.append(
      CriterionResult(
        name: "abusers shed", passed: report.shedDuration != nil,
        detail: report.shedDuration.map { "descriptors back to their level \(seconds($0)) after the abusers stopped" }
          ?? "descriptors still above their level at the shed timeout"))
    results.append(contentsOf: leaks(report))
    results.append(idles(report))
    results.append(
      CriterionResult(
        name: "invariants hold", passed: report.invariants.passed,
        detail: "\(ReportRendering.verdict(report.invariants)): \(report.invariants.accountsListed) accounts, "
          + "sums \(report.invariants.balanceSums.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")), "
          + "\(report.invariants.transfersVerified) of \(report.invariants.transfersAcknowledged) acknowledged transfers read back"
          + (report.invariants.violations.first.map { "; \($0)" } ?? "") + (report.invariants.checkError.map { "; \($0)" } ?? "")))
    let silent = report.abusers.filter { !$0.reachedTheServer }
    results.append(
      CriterionResult(
        name: "abuse reached the server", passed: silent.isEmpty,
        detail: report.abusers.isEmpty
          ? "no abusers chosen: ABUSE was a control phase"
          : silent.isEmpty
            ? "every abuser (\(report.abusers.count)) saw its expected reaction"
            : silent.map { "\($0.name) never saw \"\($0.expectedReaction)\"" }.joined(separator: "; ")))
    return results
  }

  private func legitimateCallsSucceed(_ report: SoakReport) -> CriterionResult {
    let phases = report.phases.map { ($0.name, $0.load) }
    let failures = phases.filter { $0.1.errors > 0 || $0.1.calls == 0 || $0.1.abandonReason != nil }
    let calls = phases.map(\.1.calls).reduce(0, +)
    let errors = phases.map(\.1.errors).reduce(0, +)
    let detail =
      failures.isEmpty
      ? "\(calls) calls over \(phases.count) phases, 0 failed"
      : failures.map { name, load in
        let codes = load.errorsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(name): \(load.errors) of \(load.calls) failed\(codes.isEmpty ? "" : " (\(codes))")"
          + (load.abandonReason.map { "; abandoned: \($0)" } ?? "")
      }.joined(separator: "; ") + " (\(errors) in all)"
    return CriterionResult(
      name: "legitimate calls succeed", passed: failures.isEmpty && phases.count == 3, detail: detail)
  }

  private func performance(_ report: SoakReport) -> [CriterionResult] {
    guard let baseline = report.phase(SoakMoment.baseline)?.load else { return [] }
    var results: [CriterionResult] = []
    for (name, fraction, factor, slack) in [
      (SoakMoment.abuse, abuseThroughputFractionMin, abuseP99FactorMax, abuseP99SlackMicroseconds),
      (SoakMoment.recovery, recoveryThroughputFractionMin, recoveryP99FactorMax, recoveryP99SlackMicroseconds),
    ] {
      guard let phase = report.phase(name)?.load else { continue }
      let throughputMin = baseline.callsPerSecond * fraction
      let p99Max = Self.p99Max(baseline: baseline.latency.percentile(99), factor: factor, slack: slack)
      let p99 = phase.latency.percentile(99)
      results.append(
        CriterionResult(
          name: name == SoakMoment.abuse ? "legitimate load holds up under abuse" : "legitimate load recovers",
          passed: phase.callsPerSecond >= throughputMin && p99 <= p99Max,
          detail: "\(ReportRendering.fixed(phase.callsPerSecond, 1)) calls/s (at least \(ReportRendering.fixed(throughputMin, 1))), "
            + "p99 \(ReportRendering.milliseconds(p99)) (at most \(ReportRendering.milliseconds(p99Max)))"))
    }
    return results
  }

  private func idles(_ report: SoakReport) -> CriterionResult {
    guard let after = report.sample(SoakMoment.afterRecovery), let idle = report.sample(SoakMoment.idle) else {
      return CriterionResult(name: "server idles after the load", passed: false, detail: "no sample (the server is gone)")
    }
    let fraction = (idle.cpuSeconds - after.cpuSeconds) / SoakRunner.idleSampleDuration.seconds
    return CriterionResult(
      name: "server idles after the load", passed: fraction <= idleCPUFractionMax,
      detail: "\(ReportRendering.fixed(fraction * 100, 1)) % of a core over \(seconds(SoakRunner.idleSampleDuration)) "
        + "with its clients connected and silent (at most \(ReportRendering.fixed(idleCPUFractionMax * 100, 1)) %)")
  }

  private func newConnections(_ report: SoakReport) -> CriterionResult {
    let recovery = report.phase(SoakMoment.recovery)?.probes ?? ProbeTally()
    let abuse = report.phase(SoakMoment.abuse)?.probes ?? ProbeTally()
    return CriterionResult(
      name: "new connections served after the abuse", passed: recovery.served > 0 && recovery.served == recovery.attempts,
      detail: "recovery: \(recovery.served) of \(recovery.attempts) served"
        + (recovery.refused.isEmpty ? "" : " (\(describe(recovery.refused)))")
        + "; during abuse: \(abuse.served) of \(abuse.attempts) served"
        + (abuse.refused.isEmpty ? "" : " (\(describe(abuse.refused)))"))
  }

  private func leaks(_ report: SoakReport) -> [CriterionResult] {
    guard let before = report.sample(SoakMoment.beforeAbuse), let after = report.sample(SoakMoment.afterRecovery) else {
      return [
        CriterionResult(name: "no descriptor leak", passed: false, detail: "no sample (the server is gone)"),
        CriterionResult(name: "no memory leak", passed: false, detail: "no sample (the server is gone)"),
      ]
    }
    let residentMax = residentKiBMax(before: before.residentKiB)
    let peak = report.sample(SoakMoment.abusePeak)
    return [
      CriterionResult(
        name: "no descriptor leak", passed: abs(after.descriptors - before.descriptors) <= descriptorDifferenceMax,
        detail: "\(before.descriptors) before, \(peak.map { "\($0.descriptors) at the peak, " } ?? "")"
          + "\(after.descriptors) after (± \(descriptorDifferenceMax) allowed)"),
      CriterionResult(
        name: "no memory leak", passed: after.residentKiB <= residentMax,
        detail: "RSS \(mebibytes(before.residentKiB)) before, \(peak.map { "\(mebibytes($0.residentKiB)) at the peak, " } ?? "")"
          + "\(mebibytes(after.residentKiB)) after (at most \(mebibytes(residentMax)))"),
    ]
  }
}

/// `12.3 MiB`.
func mebibytes(_ kibibytes: Int) -> String {
  ReportRendering.fixed(Double(kibibytes) / 1_024, 1) + " MiB"
}

/// `1.25 s`.
func seconds(_ duration: Duration) -> String {
  let (whole, attoseconds) = duration.components
  return ReportRendering.fixed(Double(whole) + Double(attoseconds) / 1e18, 2) + " s"
}

/// `UNAVAILABLE 3, DEADLINE_EXCEEDED 1`, largest first.
func describe(_ counts: [String: Int]) -> String {
  counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { "\($0.key) \($0.value)" }
    .joined(separator: ", ")
}
