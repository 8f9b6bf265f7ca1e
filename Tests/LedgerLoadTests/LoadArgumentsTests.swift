import Testing

@testable import LedgerLoadKit

@Suite struct LoadArgumentsTests {
  func parse(_ arguments: [String]) throws -> LoadArguments {
    guard case .run(let parsed) = try LoadArguments.parse(arguments) else {
      Issue.record("expected a run")
      return LoadArguments()
    }
    return parsed
  }

  @Test func everyFlag() throws {
    let parsed = try parse([
      "--target", "a:1", "--target", "b:2", "--connections", "2", "--rate", "500", "--duration", "1500ms",
      "--mix", "create=1,transfer=2,read=3,list=4", "--hot-share", "0.3", "--hot-accounts", "2", "--accounts", "10",
      "--currency", "EUR", "--format", "json", "--html", "/tmp/r.html",
    ])
    #expect(parsed.options.targets == ["a:1", "b:2"])
    #expect(parsed.options.connections == 2)
    #expect(parsed.options.pacing == .open(callsPerSecond: 500, inFlightMax: 10_000))
    #expect(parsed.options.stop == .duration(.milliseconds(1_500)))
    #expect(parsed.options.mix == WorkloadMix(create: 1, transfer: 2, read: 3, list: 4))
    #expect(parsed.options.hotShare == 0.3)
    #expect(parsed.options.currency == "EUR")
    #expect(parsed.format == .json)
    #expect(parsed.htmlPath == "/tmp/r.html")
  }

  @Test func defaultsToClosedLoopOfSixteen() throws {
    let parsed = try parse(["--target", "127.0.0.1:7070", "--calls", "5"])
    #expect(parsed.options.pacing == .closed(workers: 16))
    #expect(parsed.options.stop == .calls(5))
  }

  @Test func helpAndUsageErrors() throws {
    #expect(try LoadArguments.parse(["-h"]) == .help)
    #expect(try LoadArguments.parse(["--target", "x:1", "--help"]) == .help)
    for bad in [
      ["--target", "x:1", "--bogus"], [], ["--target", "nocolon"], ["--target", "x:1", "--concurrency", "2", "--rate", "3"],
      ["--target", "x:1", "--mix", "steal=1"], ["--target", "x:1", "--duration", "soon"],
      ["--target", "x:1", "--mode", "session", "--rate", "10"], ["--target"],
    ] {
      #expect(throws: LoadUsageError.self, "\(bad)") { try LoadArguments.parse(bad) }
    }
  }

  @Test func durations() {
    #expect(LoadArguments.parseDuration("10s") == .seconds(10))
    #expect(LoadArguments.parseDuration("2m") == .seconds(120))
    #expect(LoadArguments.parseDuration("250ms") == .milliseconds(250))
    #expect(LoadArguments.parseDuration("3") == .seconds(3))
    #expect(LoadArguments.parseDuration("x") == nil)
  }

  @Test func mixDrawsInProportion() {
    let mix = WorkloadMix(create: 1, transfer: 2, read: 0, list: 1)
    #expect((0..<mix.total).map(mix.operation(forRoll:)) == [.createAccount, .transfer, .transfer, .list])
  }

  @Test func theTokenComesFromTheFlagElseTheEnvironment() throws {
    #expect(try parse(["--target", "a:1"]).options.token == nil)
    #expect(try parse(["--target", "a:1", "--token", "v1.k.c.m"]).options.token == "v1.k.c.m")
    guard case .run(let fromEnvironment) = try LoadArguments.parse(["--target", "a:1"], environment: ["LEDGER_TOKEN": "env"]),
      case .run(let flagWins) = try LoadArguments.parse(
        ["--target", "a:1", "--token", "flag"], environment: ["LEDGER_TOKEN": "env"])
    else {
      Issue.record("expected runs")
      return
    }
    #expect(fromEnvironment.options.token == "env")
    #expect(flagWins.options.token == "flag")
    #expect(throws: LoadUsageError.self) { try LoadArguments.parse(["--target", "a:1", "--token", ""]) }
    #expect(throws: LoadUsageError.self) { try LoadArguments.parse(["--target", "a:1", "--token", "bad\ntoken"]) }
  }
}
