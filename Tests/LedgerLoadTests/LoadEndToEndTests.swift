import CourierAuth
import CourierTestSupport
import LedgerClient
import Foundation
import LedgerRPC
import LedgerServerKit
import Testing

@testable import LedgerLoadKit

/// The real stack in-process (SQLite in a temporary directory, port 0), loaded by the
/// harness as a library and as the built binary.
@Suite struct LoadEndToEndTests {
  struct DiscardingSink: LogSink {
    func write(line: String) {}
  }

  /// Starts a stack, runs `body` against its port, and shuts it down.
  static func withStack(
    authentication: Authentication = .disabled, _ body: (Int) async throws -> Void
  ) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-load-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var configuration = LedgerServerConfiguration()
    configuration.port = 0
    configuration.authentication = authentication
    configuration.databasePath = directory.appendingPathComponent("ledger.sqlite").path
    configuration.logLevel = .warning
    let stack = try await LedgerStack.start(configuration, logger: Logger(minimumLevel: .warning, sink: DiscardingSink()))
    do {
      try await body(stack.port)
    } catch {
      await stack.shutdown()
      throw error
    }
    await stack.shutdown()
  }

  @Test func closedLoopRunAsALibraryCall() async throws {
    try await Self.withStack { port in
      var options = LoadOptions()
      options.targets = ["127.0.0.1:\(port)"]
      options.pacing = .closed(workers: 8)
      options.stop = .duration(.seconds(2))
      options.accounts = 20
      options.hotShare = 0.5
      options.hotAccounts = 2
      options.mix = WorkloadMix(create: 1, transfer: 6, read: 2, list: 1)
      let progressCount = LockedCounter()
      let report = try await LoadRunner(options: options).run { _ in progressCount.increment() }
      #expect(report.calls > 0)
      #expect(report.acknowledgedTransfers > 0)
      #expect(report.abandonReason == nil)
      let invariants = try #require(report.invariants)
      #expect(invariants.violations == [])
      #expect(invariants.checkError == nil)
      #expect(invariants.balanceSums["USD"] == 0)
      // 20 accounts: every acknowledged transfer is found by listing, none sampled away.
      #expect(invariants.transfersVerified == invariants.transfersAcknowledged)
      #expect(report.succeeded)
      #expect(progressCount.value >= 1)
      let json = try JSONSerialization.jsonObject(with: Data(ReportRendering.json(report).utf8)) as? [String: Any]
      #expect(json?["calls"] as? Int == report.calls)
    }
  }

  @Test func openLoopAndSessionRuns() async throws {
    try await Self.withStack { port in
      var open = LoadOptions()
      open.targets = ["127.0.0.1:\(port)"]
      open.pacing = .open(callsPerSecond: 200, inFlightMax: 1_000)
      open.stop = .calls(300)
      open.accounts = 10
      let openReport = try await LoadRunner(options: open).run()
      #expect(openReport.calls == 300)
      #expect(openReport.succeeded)
      // 300 calls at 200/s take about 1.5 s: the schedule paced them.
      #expect(openReport.elapsedSeconds >= 1.4)

      var session = LoadOptions()
      session.targets = ["127.0.0.1:\(port)"]
      session.mode = .session
      session.pacing = .closed(workers: 2)
      session.stop = .calls(2_000)
      session.accounts = 10
      let sessionReport = try await LoadRunner(options: session).run()
      #expect(sessionReport.calls == 2_000)
      #expect(sessionReport.acknowledgedTransfers == 2_000)
      #expect(sessionReport.succeeded)
    }
  }

  @Test func invariantCheckReportsAMissingAcknowledgedTransfer() async throws {
    try await Self.withStack { port in
      var options = LoadOptions()
      options.targets = ["127.0.0.1:\(port)"]
      options.accounts = 3
      let channel = CourierChannel(configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)]))
      defer { channel.close() }
      let clients = LedgerClients(channel)
      let workload = LoadWorkload(options: options, runTag: "checktest")
      try await workload.prepare(clients, options: .defaults)
      var generator = SystemRandomNumberGenerator()
      let real = workload.transferRequest(id: "ld-checktest-real", using: &generator)
      _ = try await clients.transfers.createTransfer(real)
      let check = InvariantCheck(clients: clients, options: .defaults)
      let acknowledged = ["ld-checktest-real": real.amount, "ld-checktest-ghost": 7]

      let listed = await check.run(
        acknowledged: acknowledged, acknowledgedCount: 2, accountIDs: workload.accountIDs, verifyMax: 10)
      #expect(listed.violations == ["acknowledged transfer ld-checktest-ghost is missing"])
      #expect(listed.balanceSums["USD"] == 0)
      #expect(!listed.passed)

      let wrongAmount = await check.run(
        acknowledged: ["ld-checktest-real": real.amount + 1], acknowledgedCount: 1, accountIDs: workload.accountIDs,
        verifyMax: 10)
      #expect(wrongAmount.violations.count == 1)

      // Past the listing limit, the check reads a sample back one by one.
      let manyAccounts = (0...InvariantCheck.listedAccountsMax).map { "unused-\($0)" }
      let sampled = await check.run(acknowledged: acknowledged, acknowledgedCount: 2, accountIDs: manyAccounts, verifyMax: 10)
      #expect(sampled.violations == ["acknowledged transfer ld-checktest-ghost is missing"])
      #expect(sampled.transfersVerified == 2)
    }
  }

  @Test func unreachableTargetFailsFast() async throws {
    var options = LoadOptions()
    options.targets = ["127.0.0.1:1"]
    options.stop = .duration(.seconds(1))
    let started = ContinuousClock.now
    await #expect(throws: LoadRunError.self) { try await LoadRunner(options: options).run() }
    #expect(ContinuousClock.now - started < .seconds(5))
  }

  @Test func serverThatDiesMidRunEndsTheRunWithAReport() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-load-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var configuration = LedgerServerConfiguration()
    configuration.port = 0
    configuration.authentication = .disabled
    configuration.databasePath = directory.appendingPathComponent("ledger.sqlite").path
    configuration.shutdownGraceSeconds = 0.5
    let stack = try await LedgerStack.start(configuration, logger: Logger(minimumLevel: .error, sink: DiscardingSink()))
    var options = LoadOptions()
    options.targets = ["127.0.0.1:\(stack.port)"]
    options.pacing = .closed(workers: 4)
    options.stop = .duration(.seconds(20))
    options.accounts = 10
    let started = ContinuousClock.now
    // The server goes away once calls are flowing: after the run's setup, however long that
    // takes on a busy machine (a fixed 1 s was sometimes still during setup).
    let (flowing, flowingSink) = AsyncStream<Void>.makeStream()
    let running = Task {
      defer { flowingSink.finish() }
      return try await LoadRunner(options: options).run { progress in
        if progress.calls > 0 { flowingSink.yield() }
      }
    }
    var iterator = flowing.makeAsyncIterator()
    _ = await iterator.next()
    await stack.shutdown()
    let report = try await running.value
    #expect(ContinuousClock.now - started < .seconds(15), "the run ended early instead of running on")
    #expect(report.calls > 0)
    #expect(report.abandonReason != nil)
    #expect(report.errorsByCode["UNAVAILABLE", default: 0] > 0)
    #expect(!report.succeeded)
    #expect(ReportRendering.text(report).contains("RUN ABANDONED"))
  }

  // MARK: - The built binary

  static let executable: String? = {
    let directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    let candidate = directory.appendingPathComponent("ledger-load").path
    return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
  }()

  @Test func binaryRunsAndPrintsAJSONReport() async throws {
    let executable = try #require(Self.executable, "ledger-load is not built next to the tests; run swift build --build-tests")
    try await Self.withStack { port in
      let result = try await Subprocess.run(
        executable, ["--target", "127.0.0.1:\(port)", "--concurrency", "4", "--duration", "2s", "--accounts", "10", "--format", "json"])
      #expect(result.status == 0, "\(result.errorText)")
      let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput)) as? [String: Any])
      #expect((object["calls"] as? Int ?? 0) > 0)
      let invariants = try #require(object["invariants"] as? [String: Any])
      #expect(invariants["violations"] as? [String] == [])
      #expect(object["passed"] as? Bool == true)
      // Not a terminal: no progress line on standard output.
      #expect(!result.outputText.contains("\r"))
    }
  }

  @Test func binaryUsageErrorsAndRefusedTargets() async throws {
    let executable = try #require(Self.executable, "ledger-load is not built next to the tests")
    let unknown = try await Subprocess.run(executable, ["--target", "127.0.0.1:1", "--frobnicate"])
    #expect(unknown.status == 64)
    #expect(unknown.errorText.contains("unknown argument '--frobnicate'"))
    #expect(unknown.errorText.contains("USAGE: ledger-load"))
    let help = try await Subprocess.run(executable, ["--help"])
    #expect(help.status == 0)
    #expect(help.outputText.contains("--hot-share"))
    let refused = try await Subprocess.run(executable, ["--target", "127.0.0.1:1", "--duration", "1s"])
    #expect(refused.status == 1)
    #expect(refused.errorText.contains("cannot set up the run on 127.0.0.1:1"))
  }

  @Test func binaryAuthenticatesWithATokenAndIsTurnedAwayWithout() async throws {
    let executable = try #require(Self.executable, "ledger-load is not built next to the tests")
    let key = try TokenKey.generate(id: "load")
    let token = try TokenSigner(key: key).mint(
      subject: "load-test", scopes: ["ledger.read", "ledger.write"], lifetime: .seconds(300))
    try await Self.withStack(authentication: .keys(try TokenKeyRing([key]))) { port in
      let arguments = ["--target", "127.0.0.1:\(port)", "--concurrency", "2", "--calls", "50", "--accounts", "5"]
      let authenticated = try await Subprocess.run(executable, arguments + ["--token", token])
      #expect(authenticated.status == 0, "\(authenticated.errorText)")
      #expect(authenticated.outputText.contains("PASS"))
      let anonymous = try await Subprocess.run(executable, arguments)
      #expect(anonymous.status == 1)
      #expect(anonymous.errorText.contains("UNAUTHENTICATED"), "\(anonymous.errorText)")
    }
  }
}

/// A counter the progress callback can bump from any thread.
final class LockedCounter: @unchecked Sendable {
  // @unchecked: every access goes through `lock`.
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.withLock { count += 1 } }
  var value: Int { lock.withLock { count } }
}
