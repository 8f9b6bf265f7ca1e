import LedgerLoadKit

/// The pass/fail thresholds of a soak, and the evaluation of a run against them.
///
/// Strict where the answer does not depend on the machine: the server survives and stops
/// cleanly, no legitimate call fails, descriptors come back exactly (± a small constant), new
/// connections are served after the abuse, the server idles once the load stops, the ledger
/// balances, and every abuser actually reached the server. Generous where a shared two-core
/// machine adds noise: throughput and p99 under abuse. Memory is judged twice: after the first
/// cycle it must be back within a margin of its level before the abuse (the allocator keeps
/// its high-water mark), and later, identical cycles must stay under that high-water mark (a
/// leak grows with every cycle). docs/SOAK.md has the figures behind the margins.
public struct SoakCriteria: Sendable, Hashable {
  /// After the first RECOVERY, resident memory may exceed its level before ABUSE by this
  /// fraction...
  public var residentRetainedFractionMax = 0.25
  /// ...or by this many KiB, whichever is larger. Default 32 MiB: the allocator keeps the heap's
  /// high-water mark, which the abusers' working set sets (buffers of 64 connections, watch
  /// histories in flight up to their windows): 13 to 24 MiB over BASELINE's level in release
  /// runs of 10 to 60 s phases (docs/SOAK.md).
  public var residentRetainedKiBFloor = 32 * 1_024
  /// After each later RECOVERY, resident memory may exceed the high-water mark (`VmHWM`) reached
  /// by the end of the first cycle by this fraction...
  public var residentGrowthFractionMax = 0.10
  /// ...or by this many KiB, whichever is larger. Default 8 MiB.
  public var residentGrowthKiBFloor = 8 * 1_024
  /// Descriptors after each RECOVERY may differ from before ABUSE by at most this many.
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
  /// With its clients connected but silent after the last RECOVERY, the server may use at most
  /// this share of one core (leftover handlers, timers or loops would show here).
  public var idleCPUFractionMax = 0.05

  /// The defaults.
  public init() {}

  /// The largest resident memory (KiB) allowed after the first RECOVERY, for `before` KiB
  /// before ABUSE.
  public func residentKiBMax(beforeAbuse before: Int) -> Int {
    max(Int((Double(before) * (1 + residentRetainedFractionMax)).rounded(.down)), before + residentRetainedKiBFloor)
  }

  /// The largest resident memory (KiB) allowed after a later RECOVERY, for a high-water mark of
  /// `first` KiB at the end of the first cycle: what the allocator keeps never exceeds what it
  /// once held, while a leak keeps adding.
  public func residentKiBMax(firstCycleHighWater first: Int) -> Int {
    max(Int((Double(first) * (1 + residentGrowthFractionMax)).rounded(.down)), first + residentGrowthKiBFloor)
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
    results.append(shed(report))
    results.append(contentsOf: leaks(report))
    results.append(idles(report))
    results.append(
      CriterionResult(
        name: "invariants hold", passed: report.invariants.passed,
        detail: "\(ReportRendering.verdict(report.invariants)): \(report.invariants.accountsListed) accounts, "
          + "sums \(describe(report.invariants.balanceSums.mapValues { Int($0) })), "
          + "\(report.invariants.transfersVerified) of \(report.invariants.transfersAcknowledged) acknowledged transfers read back"
          + (report.invariants.violations.first.map { "; \($0)" } ?? "") + (report.invariants.checkError.map { "; \($0)" } ?? "")))
    let abusers = report.abusers
    let silent = abusers.filter { !$0.reachedTheServer }
    results.append(
      CriterionResult(
        name: "abuse reached the server", passed: silent.isEmpty,
        detail: abusers.isEmpty
          ? "no abusers chosen: ABUSE was a control phase"
          : silent.isEmpty
            ? "every abuser (\(abusers.count)) saw its expected reaction"
            : silent.map { "\($0.name) never saw \"\($0.expectedReaction)\"" }.joined(separator: "; ")))
    return results
  }

  private func legitimateCallsSucceed(_ report: SoakReport) -> CriterionResult {
    let failures = report.phases.filter { $0.load.errors > 0 || $0.load.calls == 0 || $0.load.abandonReason != nil }
    let calls = report.phases.map(\.load.calls).reduce(0, +)
    let errors = report.phases.map(\.load.errors).reduce(0, +)
    let detail =
      failures.isEmpty
      ? "\(calls) calls over \(report.phases.count) phases, 0 failed"
      : failures.map { phase in
        let load = phase.load
        let codes = describe(load.errorsByCode)
        return "\(phase.name): \(load.errors) of \(load.calls) failed\(codes.isEmpty ? "" : " (\(codes))")"
          + (load.abandonReason.map { "; abandoned: \($0)" } ?? "")
      }.joined(separator: "; ") + " (\(errors) in all)"
    return CriterionResult(
      name: "legitimate calls succeed", passed: failures.isEmpty && report.phases.count == 1 + 2 * report.cycles.count,
      detail: detail)
  }

  private func performance(_ report: SoakReport) -> [CriterionResult] {
    guard let baseline = report.phase("baseline")?.load else { return [] }
    return [
      (SoakReport.Phase.Kind.abuse, "legitimate load holds up under abuse", abuseThroughputFractionMin, abuseP99FactorMax,
        abuseP99SlackMicroseconds),
      (.recovery, "legitimate load recovers", recoveryThroughputFractionMin, recoveryP99FactorMax,
        recoveryP99SlackMicroseconds),
    ].map { kind, name, fraction, factor, slack in
      let throughputMin = baseline.callsPerSecond * fraction
      let p99Max = Self.p99Max(baseline: baseline.latency.percentile(99), factor: factor, slack: slack)
      let phases = report.phases.filter { $0.kind == kind }
      let passed = !phases.isEmpty && phases.allSatisfy {
        $0.load.callsPerSecond >= throughputMin && $0.load.latency.percentile(99) <= p99Max
      }
      let figures = phases.map { phase in
        "\(phase.name) \(ReportRendering.fixed(phase.load.callsPerSecond, 1)) calls/s, "
          + "p99 \(ReportRendering.milliseconds(phase.load.latency.percentile(99)))"
      }
      return CriterionResult(
        name: name, passed: passed,
        detail: figures.joined(separator: "; ") + " (at least \(ReportRendering.fixed(throughputMin, 1)) calls/s, "
          + "p99 at most \(ReportRendering.milliseconds(p99Max)))")
    }
  }

  private func newConnections(_ report: SoakReport) -> CriterionResult {
    var recovery = ProbeTally()
    var abuse = ProbeTally()
    for phase in report.phases {
      guard let probes = phase.probes else { continue }
      if phase.kind == .recovery {
        recovery.served += probes.served
        recovery.refused.merge(probes.refused, uniquingKeysWith: +)
      } else {
        abuse.served += probes.served
        abuse.refused.merge(probes.refused, uniquingKeysWith: +)
      }
    }
    return CriterionResult(
      name: "new connections served after the abuse", passed: recovery.served > 0 && recovery.served == recovery.attempts,
      detail: "in recovery: \(recovery.served) of \(recovery.attempts) served"
        + (recovery.refused.isEmpty ? "" : " (\(describe(recovery.refused)))")
        + "; during abuse: \(abuse.served) of \(abuse.attempts) served"
        + (abuse.refused.isEmpty ? "" : " (\(describe(abuse.refused)))"))
  }

  private func shed(_ report: SoakReport) -> CriterionResult {
    let durations = report.cycles.map(\.shedDuration)
    return CriterionResult(
      name: "abusers shed", passed: !durations.isEmpty && durations.allSatisfy { $0 != nil },
      detail: "descriptors back to their level "
        + durations.map { $0.map(seconds) ?? "NOT within the shed timeout" }.joined(separator: ", ")
        + " after the abusers stopped")
  }

  private func leaks(_ report: SoakReport) -> [CriterionResult] {
    let afters = report.cycles.map(\.afterRecovery)
    guard let before = report.beforeAbuse, let first = afters.first ?? nil, afters.allSatisfy({ $0 != nil }) else {
      return ["no descriptor leak", "memory back to its level", "no memory leak"].map {
        CriterionResult(name: $0, passed: false, detail: "a sample is missing (the server is gone)")
      }
    }
    let later = afters.dropFirst().compactMap { $0?.residentKiB }
    let descriptorsAfter = afters.compactMap { $0?.descriptors }
    let peaks = report.cycles.compactMap { $0.abusePeak?.descriptors }
    let retainedMax = residentKiBMax(beforeAbuse: before.residentKiB)
    let growthMax = residentKiBMax(firstCycleHighWater: first.residentPeakKiB)
    let residentAfter = afters.compactMap { $0.map { mebibytes($0.residentKiB) } }
    let residentPeaks = report.cycles.compactMap { $0.abusePeak.map { mebibytes($0.residentKiB) } }
    return [
      CriterionResult(
        name: "no descriptor leak",
        passed: descriptorsAfter.allSatisfy { abs($0 - before.descriptors) <= descriptorDifferenceMax },
        detail: "\(before.descriptors) before abuse; peaks \(peaks.map(String.init).joined(separator: ", ")); "
          + "after each recovery \(descriptorsAfter.map(String.init).joined(separator: ", ")) (± \(descriptorDifferenceMax) allowed)"),
      CriterionResult(
        name: "memory back to its level", passed: first.residentKiB <= retainedMax,
        detail: "RSS \(mebibytes(before.residentKiB)) before abuse, \(residentPeaks.first ?? "-") at the first peak, "
          + "\(mebibytes(first.residentKiB)) after the first recovery (at most \(mebibytes(retainedMax)))"),
      CriterionResult(
        name: "no memory leak", passed: !later.isEmpty && later.allSatisfy { $0 <= growthMax },
        detail: "RSS after each recovery \(residentAfter.joined(separator: ", ")); peaks \(residentPeaks.joined(separator: ", ")) "
          + "(later cycles at most \(mebibytes(growthMax)), over the first cycle's high-water "
          + "\(mebibytes(first.residentPeakKiB)): a leak adds with every cycle)"),
    ]
  }

  private func idles(_ report: SoakReport) -> CriterionResult {
    guard let after = report.cycles.last?.afterRecovery ?? nil, let idle = report.idle else {
      return CriterionResult(name: "server idles after the load", passed: false, detail: "no sample (the server is gone)")
    }
    let fraction = (idle.cpuSeconds - after.cpuSeconds) / SoakRunner.idleSampleDuration.seconds
    return CriterionResult(
      name: "server idles after the load", passed: fraction <= idleCPUFractionMax,
      detail: "\(ReportRendering.fixed(fraction * 100, 1)) % of a core over \(seconds(SoakRunner.idleSampleDuration)) "
        + "with its clients connected and silent (at most \(ReportRendering.fixed(idleCPUFractionMax * 100, 1)) %)")
  }
}

/// `12.3 MiB`.
func mebibytes(_ kibibytes: Int) -> String {
  ReportRendering.fixed(Double(kibibytes) / 1_024, 1) + " MiB"
}

/// `1.25 s`.
func seconds(_ duration: Duration) -> String {
  ReportRendering.fixed(duration.seconds, 2) + " s"
}

/// `UNAVAILABLE 3, DEADLINE_EXCEEDED 1`, largest first.
func describe(_ counts: [String: Int]) -> String {
  counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { "\($0.key) \($0.value)" }
    .joined(separator: ", ")
}
