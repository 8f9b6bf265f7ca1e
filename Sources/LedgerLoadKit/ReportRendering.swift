/// Renders a ``LoadReport`` as text for a terminal, or as JSON for machines.
public enum ReportRendering {
  /// A human-readable report, one figure per line.
  public static func text(_ report: LoadReport) -> String {
    var lines: [String] = []
    lines.append("ledger-load against \(report.targets.joined(separator: ", ")) (run \(report.runTag), \(report.mode))")
    lines.append("  \(report.settings)")
    if let reason = report.abandonReason { lines.append("  RUN ABANDONED: \(reason)") }
    lines.append("")
    lines.append("calls       \(report.calls) in \(fixed(report.elapsedSeconds, 2)) s = \(fixed(report.callsPerSecond, 1)) calls/s")
    let operations = report.callsByOperation.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    lines.append("by kind     \(operations.isEmpty ? "-" : operations.joined(separator: ", "))")
    lines.append("errors      \(report.errors)")
    for (code, count) in report.errorsByCode.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
      lines.append("            \(code): \(count)")
    }
    lines.append("transfers   \(report.acknowledgedTransfers) acknowledged")
    lines.append("latency     (from each call's intended start; µs resolution, ≤ 0.8 % error)")
    for percent in LoadReport.headlinePercentiles {
      lines.append("  p\(label(percent))".paddedRight(to: 12) + milliseconds(report.latency.percentile(percent)))
    }
    lines.append("  max".paddedRight(to: 12) + milliseconds(report.latency.max))
    lines.append("  mean".paddedRight(to: 12) + milliseconds(UInt64(report.latency.mean)))
    lines.append("per second  \(seriesSummary(report.callsPerSecondSeries))")
    lines.append("")
    if let invariants = report.invariants {
      lines.append(contentsOf: invariantLines(invariants))
    } else {
      lines.append("invariants  not checked (--no-check)")
    }
    lines.append("result      \(report.succeeded ? "PASS" : "FAIL")")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Seconds listed one by one up to this many; past it, a summary (the JSON and HTML have all).
  static let seriesListedMax = 60

  /// `3273 3097 2925`, or `min 2925, median 3097, max 3273 over 600 s` for long runs.
  static func seriesSummary(_ series: [Int]) -> String {
    if series.isEmpty { return "-" }
    if series.count <= seriesListedMax { return series.map(String.init).joined(separator: " ") }
    let sorted = series.sorted()
    return "min \(sorted[0]), median \(sorted[sorted.count / 2]), max \(sorted[sorted.count - 1]) over \(series.count) s"
  }

  /// OK, VIOLATED, or UNCHECKED when the check could not finish and found nothing wrong so far.
  package static func verdict(_ invariants: InvariantReport) -> String {
    if invariants.passed { return "OK" }
    return invariants.violations.isEmpty ? "UNCHECKED" : "VIOLATED"
  }

  private static func invariantLines(_ invariants: InvariantReport) -> [String] {
    var lines: [String] = []
    let sums = invariants.balanceSums.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    lines.append(
      "invariants  \(verdict(invariants)): \(invariants.accountsListed) accounts listed, "
        + "balance sums \(sums.isEmpty ? "-" : sums); \(invariants.transfersVerified) of "
        + "\(invariants.transfersAcknowledged) acknowledged transfers read back")
    if let error = invariants.checkError { lines.append("            \(error)") }
    for violation in invariants.violations { lines.append("            violation: \(violation)") }
    return lines
  }

  /// The report as one JSON object (keys in a fixed order; latencies in microseconds).
  public static func json(_ report: LoadReport) -> String {
    var object = JSONObject()
    object.add("targets", .array(report.targets.map { .string($0) }))
    object.add("run_tag", .string(report.runTag))
    object.add("mode", .string(report.mode))
    object.add("settings", .string(report.settings))
    object.add("calls", .integer(Int64(report.calls)))
    object.add("errors", .integer(Int64(report.errors)))
    object.add("elapsed_seconds", .number(report.elapsedSeconds))
    object.add("calls_per_second", .number(report.callsPerSecond))
    var latency = JSONObject()
    for percent in LoadReport.headlinePercentiles {
      latency.add("p\(label(percent).replacingDots())_us", .integer(Int64(report.latency.percentile(percent))))
    }
    latency.add("max_us", .integer(Int64(report.latency.max)))
    latency.add("mean_us", .number(report.latency.mean))
    latency.add("curve", .array(report.percentileCurve.map { point in
      var entry = JSONObject()
      entry.add("percentile", .number(point.percentile))
      entry.add("us", .integer(Int64(point.microseconds)))
      return .object(entry)
    }))
    object.add("latency", .object(latency))
    object.add("errors_by_code", .object(JSONObject(report.errorsByCode.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) })))
    object.add("calls_by_kind", .object(JSONObject(report.callsByOperation.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) })))
    object.add("calls_per_second_series", .array(report.callsPerSecondSeries.map { .integer(Int64($0)) }))
    object.add("errors_per_second_series", .array(report.errorsPerSecondSeries.map { .integer(Int64($0)) }))
    object.add("acknowledged_transfers", .integer(Int64(report.acknowledgedTransfers)))
    object.add("abandon_reason", report.abandonReason.map { .string($0) } ?? .null)
    if let invariants = report.invariants {
      var check = JSONObject()
      check.add("passed", .bool(invariants.passed))
      check.add("accounts_listed", .integer(Int64(invariants.accountsListed)))
      check.add("transfers_verified", .integer(Int64(invariants.transfersVerified)))
      check.add("transfers_acknowledged", .integer(Int64(invariants.transfersAcknowledged)))
      check.add("balance_sums", .object(JSONObject(invariants.balanceSums.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })))
      check.add("violations", .array(invariants.violations.map { .string($0) }))
      check.add("check_error", invariants.checkError.map { .string($0) } ?? .null)
      object.add("invariants", .object(check))
    } else {
      object.add("invariants", .null)
    }
    object.add("passed", .bool(report.succeeded))
    return JSONValue.object(object).rendered + "\n"
  }

  // MARK: - Number formatting

  /// `50`, `99.9`: a percentile without trailing zeros.
  static func label(_ percent: Double) -> String {
    percent == percent.rounded() ? String(Int(percent)) : String(percent)
  }

  /// Microseconds as milliseconds with three decimals, e.g. `1.234 ms`.
  package static func milliseconds(_ microseconds: UInt64) -> String {
    "\(microseconds / 1_000).\(pad(Int(microseconds % 1_000), 3)) ms"
  }

  /// `value` with `digits` decimals, without Foundation.
  package static func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "0" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((abs(value) * scale).rounded())
    let whole = scaled / Int64(scale)
    let fraction = scaled % Int64(scale)
    let sign = value < 0 && scaled != 0 ? "-" : ""
    return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(pad(Int(fraction), digits))"
  }

  static func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }
}

extension String {
  /// `99.9` → `99_9`, for JSON keys.
  fileprivate func replacingDots() -> String { String(map { $0 == "." ? "_" : $0 }) }
}

extension String {
  /// The string followed by spaces up to `width` characters.
  fileprivate func paddedRight(to width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - count))
  }
}
