import Foundation
import Testing

@testable import LedgerLoadKit

@Suite struct ReportFormatTests {
  static func sampleReport(violations: [String] = []) -> LoadReport {
    var latency = LatencyHistogram()
    for value in stride(from: UInt64(100), through: 50_000, by: 37) { latency.record(microseconds: value) }
    var invariants = InvariantReport()
    invariants.accountsListed = 101
    invariants.transfersVerified = 40
    invariants.transfersAcknowledged = 40
    invariants.balanceSums = ["USD": 0]
    invariants.violations = violations
    return LoadReport(
      settings: "closed loop, \"quoted\" <settings>", targets: ["127.0.0.1:7070"], mode: "unary", runTag: "0badc0de",
      calls: 1_234, errors: 3, elapsedSeconds: 2.5, latency: latency,
      errorsByCode: ["UNAVAILABLE": 2, "FAILED_PRECONDITION/INSUFFICIENT_FUNDS": 1],
      callsByOperation: ["transfer": 1_000, "read": 234], callsPerSecondSeries: [500, 600, 134],
      errorsPerSecondSeries: [0, 2, 1], acknowledgedTransfers: 40, abandonReason: nil, invariants: invariants)
  }

  @Test func jsonParsesAndHasTheFields() throws {
    let text = ReportRendering.json(Self.sampleReport())
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["calls"] as? Int == 1_234)
    #expect(object["errors"] as? Int == 3)
    #expect((object["calls_per_second"] as? Double).map { abs($0 - 493.6) < 0.01 } == true)
    let latency = try #require(object["latency"] as? [String: Any])
    for key in ["p50_us", "p90_us", "p99_us", "p99_9_us", "max_us", "mean_us", "curve"] {
      #expect(latency[key] != nil, "latency.\(key)")
    }
    #expect(latency["max_us"] as? Int == 49_976)
    let errors = try #require(object["errors_by_code"] as? [String: Int])
    #expect(errors == ["UNAVAILABLE": 2, "FAILED_PRECONDITION/INSUFFICIENT_FUNDS": 1])
    #expect(object["calls_per_second_series"] as? [Int] == [500, 600, 134])
    let invariants = try #require(object["invariants"] as? [String: Any])
    #expect(invariants["passed"] as? Bool == true)
    #expect(object["passed"] as? Bool == true)
    #expect(object["settings"] as? String == "closed loop, \"quoted\" <settings>")
  }

  @Test func jsonEscapesControlCharacters() throws {
    let text = JSONValue.string("a\u{1}b\n\"\\").rendered
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? String
    #expect(parsed == "a\u{1}b\n\"\\")
  }

  @Test func htmlHasBothChartsAndNoScripts() {
    let html = HTMLReport.render(Self.sampleReport())
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.components(separatedBy: "<svg").count - 1 == 2)
    #expect(html.contains("aria-label=\"latency by percentile\""))
    #expect(html.contains("aria-label=\"throughput over time\""))
    #expect(html.contains("<polyline"))
    #expect(html.components(separatedBy: "<rect class=\"bar\"").count - 1 == 3)
    #expect(!html.contains("<script"))
    #expect(!html.contains("<settings>"), "text is escaped")
  }

  @Test func textShowsFiguresAndVerdict() {
    let passing = ReportRendering.text(Self.sampleReport())
    for fragment in ["calls       1234", "p50", "p90", "p99", "p99.9", "max", "UNAVAILABLE: 2", "invariants  OK", "result      PASS"] {
      #expect(passing.contains(fragment), "\(fragment)")
    }
    let failing = ReportRendering.text(Self.sampleReport(violations: ["USD balances sum to 5, not 0"]))
    #expect(failing.contains("invariants  VIOLATED"))
    #expect(failing.contains("result      FAIL"))
    #expect(!Self.sampleReport(violations: ["x"]).succeeded)
  }

  @Test func longSeriesAreSummarizedInText() {
    #expect(ReportRendering.seriesSummary([3, 1, 2]) == "3 1 2")
    #expect(ReportRendering.seriesSummary(Array(1...100)) == "min 1, median 51, max 100 over 100 s")
    #expect(ReportRendering.seriesSummary([]) == "-")
  }

  @Test func numberFormatting() {
    #expect(ReportRendering.milliseconds(1_234) == "1.234 ms")
    #expect(ReportRendering.milliseconds(5) == "0.005 ms")
    #expect(ReportRendering.fixed(2.345, 1) == "2.3")
    #expect(ReportRendering.fixed(-0.04, 1) == "0.0")
  }
}
