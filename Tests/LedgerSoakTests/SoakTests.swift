import LedgerLoadKit
import Testing

@testable import LedgerSoakKit

/// The short soak in the normal suite: a few seconds per phase against the ledger-server built
/// next to the tests. Strict on what does not depend on the machine (no crash, no failed
/// legitimate call, descriptors back, invariants, every abuser reaching the server); generous
/// on throughput and latency, which a busy two-core machine makes noisy.
@Suite("Soak of ledger-server", .serialized, .timeLimit(.minutes(2)))
struct SoakTests {
  static func shortOptions() -> SoakOptions {
    var options = SoakOptions()
    options.phaseDuration = .seconds(2)
    options.warmupDuration = .milliseconds(500)
    options.connections = 2
    options.concurrency = 8
    options.accounts = 40
    options.serverConnectionsMax = 48
    options.serverHandshakeTimeout = .seconds(1)
    options.serverFrameTimeout = .seconds(1)
    options.abuse.floodHold = .milliseconds(1_500)
    options.criteria.abuseThroughputFractionMin = 0.05
    options.criteria.abuseP99FactorMax = 50
    options.criteria.abuseP99SlackMicroseconds = 2_000_000
    options.criteria.recoveryThroughputFractionMin = 0.2
    options.criteria.recoveryP99FactorMax = 20
    options.criteria.recoveryP99SlackMicroseconds = 1_000_000
    return options
  }

  @Test func shortSoakPassesEveryCriterion() async throws {
    let report = try await SoakRunner(options: Self.shortOptions()).run()
    let text = SoakReportRendering.text(report)
    for criterion in report.criteria {
      #expect(criterion.passed, "\(criterion.name): \(criterion.detail)\n\(text)")
    }
    #expect(report.passed)
    #expect(report.abusers.count == SoakRunner.abuserNames.count)
    // Every bad token was refused, and only the valid calls were answered OK.
    let badTokens = try #require(report.abusers.first { $0.name == "bad-tokens" })
    #expect(badTokens.reactions["TRAILERS UNAUTHENTICATED", default: 0] > 0, "\(badTokens.reactions)")
    #expect(badTokens.reactions["TRAILERS PERMISSION_DENIED", default: 0] > 0, "\(badTokens.reactions)")
    let answeredOK = badTokens.reactions["TRAILERS OK", default: 0]
    #expect(answeredOK > 0 && answeredOK <= badTokens.actions["valid call after them", default: 0], "\(badTokens.reactions)")
    #expect(report.phases.map(\.name) == ["baseline", "abuse 1", "recovery 1", "abuse 2", "recovery 2"])
  }
}
