import LedgerLoadKit

/// Renders a ``SoakReport`` as a plain-text table for a terminal, or as one JSON object.
public enum SoakReportRendering {
  /// The report as aligned tables, criteria last.
  public static func text(_ report: SoakReport) -> String {
    var lines: [String] = []
    lines.append("ledger-soak: \(report.serverCommand.joined(separator: " "))")
    lines.append("  \(report.settings)")
    lines.append("")
    lines.append(contentsOf: table(
      ["phase", "calls/s", "p50", "p99", "max", "calls", "errors", "server cpu", "cpu/call", "new connections"],
      report.phases.map { phase in
        let load = phase.load
        let cpu = phase.serverCPUSeconds
        return [
          phase.name, ReportRendering.fixed(load.callsPerSecond, 1), ReportRendering.milliseconds(load.latency.percentile(50)),
          ReportRendering.milliseconds(load.latency.percentile(99)), ReportRendering.milliseconds(load.latency.max),
          String(load.calls), String(load.errors),
          cpu.map { ReportRendering.fixed($0 / max(load.elapsedSeconds, 0.001) * 100, 0) + " %" } ?? "-",
          cpu.map { ReportRendering.fixed($0 / Double(max(load.calls, 1)) * 1e6, 0) + " µs" } ?? "-",
          phase.probes.map { "\($0.served)/\($0.attempts) served" } ?? "-",
        ]
      }))
    for phase in report.phases where !phase.load.errorsByCode.isEmpty || phase.load.abandonReason != nil {
      let abandoned = phase.load.abandonReason.map { "; abandoned: \($0)" } ?? ""
      lines.append("  \(phase.name) errors: \(describe(phase.load.errorsByCode))\(abandoned)")
    }
    lines.append("")
    lines.append(contentsOf: table(
      ["server", "rss", "rss high-water", "fds", "sockets", "threads", "cpu time"],
      report.samples.map { entry in
        guard let sample = entry.sample else { return [entry.label, "gone", "", "", "", "", ""] }
        return [
          entry.label, mebibytes(sample.residentKiB), mebibytes(sample.residentPeakKiB), String(sample.descriptors),
          String(sample.sockets), String(sample.threads), ReportRendering.fixed(sample.cpuSeconds, 2) + " s",
        ]
      }))
    lines.append("")
    lines.append("abusers, over \(report.cycles.count) cycles (what each did; what the server did to it)")
    for abuser in report.abusers {
      lines.append("  \(abuser.name): \(abuser.summary)")
      lines.append("    did: \(describe(abuser.actions))")
      lines.append("    saw: \(abuser.reactions.isEmpty ? "-" : describe(abuser.reactions))")
    }
    lines.append("")
    lines.append(
      "shed        "
        + report.cycles.map { cycle in
          "cycle \(cycle.number): " + (cycle.shedDuration.map { "\(seconds($0)) after the abusers stopped" } ?? "NOT within the timeout")
        }.joined(separator: "; "))
    lines.append("")
    lines.append("criteria")
    for criterion in report.criteria {
      lines.append("  \(criterion.passed ? "PASS" : "FAIL")  \(criterion.name): \(criterion.detail)")
    }
    if let directory = report.keptDirectory { lines.append("files kept in \(directory) (database, server.log)") }
    lines.append("result  \(report.passed ? "PASS" : "FAIL")")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Rows padded to their columns' widths, a header first.
  static func table(_ header: [String], _ rows: [[String]]) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
    return all.map { row in
      row.enumerated().map { column, cell in
        column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
      }.joined()
    }
  }

  /// The report as one JSON object (latencies in microseconds, memory in KiB).
  public static func json(_ report: SoakReport) -> String {
    var object = JSONObject()
    object.add("server_command", .array(report.serverCommand.map { .string($0) }))
    object.add("settings", .string(report.settings))
    object.add("phases", .array(report.phases.map(phase)))
    object.add("samples", .array(report.samples.map(sample)))
    object.add("cycles", .array(report.cycles.map { cycle in
      .object(
        JSONObject([
          ("number", .integer(Int64(cycle.number))),
          ("shed_seconds", cycle.shedDuration.map { .number(secondsValue($0)) } ?? .null),
          ("abusers", .array(cycle.abusers.map(abuser))),
        ]))
    }))
    var invariants = JSONObject()
    invariants.add("passed", .bool(report.invariants.passed))
    invariants.add("accounts_listed", .integer(Int64(report.invariants.accountsListed)))
    invariants.add("transfers_verified", .integer(Int64(report.invariants.transfersVerified)))
    invariants.add("transfers_acknowledged", .integer(Int64(report.invariants.transfersAcknowledged)))
    invariants.add("balance_sums", counts(report.invariants.balanceSums.mapValues { Int($0) }))
    invariants.add("violations", .array(report.invariants.violations.map { .string($0) }))
    invariants.add("check_error", report.invariants.checkError.map { .string($0) } ?? .null)
    object.add("invariants", .object(invariants))
    object.add("alive_throughout", .bool(report.aliveThroughout))
    object.add("exit", .string(report.exitDescription))
    object.add("shutdown_seconds", .number(secondsValue(report.shutdownDuration)))
    object.add("criteria", .array(report.criteria.map { criterion in
      .object(
        JSONObject([
          ("name", .string(criterion.name)), ("passed", .bool(criterion.passed)), ("detail", .string(criterion.detail)),
        ]))
    }))
    object.add("kept_directory", report.keptDirectory.map { .string($0) } ?? .null)
    object.add("passed", .bool(report.passed))
    return JSONValue.object(object).rendered + "\n"
  }

  private static func phase(_ phase: SoakReport.Phase) -> JSONValue {
    let load = phase.load
    var object = JSONObject()
    object.add("name", .string(phase.name))
    object.add("kind", .string(phase.kind.rawValue))
    object.add("cycle", .integer(Int64(phase.cycle)))
    object.add("calls", .integer(Int64(load.calls)))
    object.add("errors", .integer(Int64(load.errors)))
    object.add("elapsed_seconds", .number(load.elapsedSeconds))
    object.add("calls_per_second", .number(load.callsPerSecond))
    object.add("p50_us", .integer(Int64(load.latency.percentile(50))))
    object.add("p99_us", .integer(Int64(load.latency.percentile(99))))
    object.add("max_us", .integer(Int64(load.latency.max)))
    object.add("errors_by_code", counts(load.errorsByCode))
    object.add("calls_per_second_series", .array(load.callsPerSecondSeries.map { .integer(Int64($0)) }))
    object.add("server_cpu_seconds", phase.serverCPUSeconds.map { .number($0) } ?? .null)
    object.add("abandon_reason", load.abandonReason.map { .string($0) } ?? .null)
    if let probes = phase.probes {
      let served = JSONValue.integer(Int64(probes.served))
      object.add("new_connections", .object(JSONObject([("served", served), ("refused", counts(probes.refused))])))
    } else {
      object.add("new_connections", .null)
    }
    return .object(object)
  }

  private static func sample(_ entry: SoakReport.Sample) -> JSONValue {
    var object = JSONObject()
    object.add("label", .string(entry.label))
    if let sample = entry.sample {
      object.add("rss_kib", .integer(Int64(sample.residentKiB)))
      object.add("rss_high_water_kib", .integer(Int64(sample.residentPeakKiB)))
      object.add("fds", .integer(Int64(sample.descriptors)))
      object.add("sockets", .integer(Int64(sample.sockets)))
      object.add("threads", .integer(Int64(sample.threads)))
      object.add("cpu_seconds", .number(sample.cpuSeconds))
    } else {
      object.add("gone", .bool(true))
    }
    return .object(object)
  }

  private static func abuser(_ outcome: AbuserOutcome) -> JSONValue {
    .object(
      JSONObject([
        ("name", .string(outcome.name)), ("summary", .string(outcome.summary)), ("did", counts(outcome.actions)),
        ("saw", counts(outcome.reactions)), ("expected", .string(outcome.expectedReaction)),
        ("reached_the_server", .bool(outcome.reachedTheServer)),
      ]))
  }

  private static func counts(_ counts: [String: Int]) -> JSONValue {
    .object(JSONObject(counts.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) }))
  }

  private static func secondsValue(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
