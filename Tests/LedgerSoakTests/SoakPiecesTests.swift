import Testing

@testable import LedgerLoadKit
@testable import LedgerSoakKit

/// The soak's parts that need no server: the command line, the hand-built frames, the names
/// reactions are counted under, and the memory criteria.
@Suite struct SoakPiecesTests {
  @Test func defaultsAndFlags() throws {
    guard case .run(let defaults, let json) = try SoakCommand.parse([]) else {
      Issue.record("expected a run")
      return
    }
    #expect(!json)
    #expect(defaults.phaseDuration == .seconds(10) && defaults.cycles == 2 && defaults.serverMallocArenas == 1)
    #expect(defaults.abusers == SoakRunner.abuserNames)
    guard
      case .run(let options, true) = try SoakCommand.parse([
        "--seconds", "20", "--cycles", "3", "--connections", "2", "--concurrency", "8", "--max-connections", "32",
        "--abusers", "slowloris,garbage", "--malloc-arenas", "default", "--server-binary", "/x/ledger-server", "--json",
      ])
    else {
      Issue.record("expected a run with JSON")
      return
    }
    #expect(options.phaseDuration == .seconds(20) && options.cycles == 3)
    #expect(options.connections == 2 && options.concurrency == 8 && options.serverConnectionsMax == 32)
    #expect(options.abusers == ["slowloris", "garbage"] && options.serverMallocArenas == nil)
    #expect(options.serverBinary == "/x/ledger-server")
    #expect(try SoakCommand.parse(["--abusers", "none"]) != .help)
    #expect(try SoakCommand.parse(["--seconds", "5", "-h"]) == .help)
  }

  @Test(arguments: [
    ["--bogus"], ["--seconds"], ["--seconds", "0.1"], ["--cycles", "1"], ["--abusers", "idle-flood,nope"],
    ["--max-connections", "4"], ["--malloc-arenas", "lots"], ["--connections", "70"],
  ])
  func badCommandLinesAreUsageErrors(_ arguments: [String]) {
    #expect(throws: SoakUsageError.self) { try SoakCommand.parse(arguments) }
  }

  /// docs/PROTOCOL.md section 10: the HEADERS of `/bench.v1.Bench/Transfer` with a 1 s timeout
  /// (without the example's metadata), and the bad-preface GOAWAY.
  @Test func framesMatchThePage() {
    let path = Array("/bench.v1.Bench/Transfer".utf8)
    #expect(
      SoakWire.headers(streamID: 1, path: "/bench.v1.Bench/Transfer", timeoutMicroseconds: 1_000_000)
        == [0, 0, 0, 0x1e, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x0a, 0x18] + path + [0x10, 0xc0, 0x84, 0x3d])
    #expect(SoakWire.handshake == [0x43, 0x4f, 0x55, 0x52, 0x49, 0x45, 0x52, 0x01] + [UInt8](repeating: 0, count: 12))
    let goAway: [UInt8] = [0x10, 0x01, 0x1a, 0x0b] + Array("bad preface".utf8)
    let fields = ProtobufBytes.scan(goAway[...])
    #expect(fields?.varints[2] == 1)
    #expect(fields.flatMap { $0.strings[3] }.map { String(decoding: $0, as: UTF8.self) } == "bad preface")
    #expect(ProtobufBytes.scan([0x0a, 0x05, 0x01][...]) == nil)
  }

  @Test func reactionsAreCountedByKind() {
    #expect(
      AbuseTally.name(of: .goAway(code: 4, message: "frame of 4294967295 bytes exceeds the 16 MiB limit"))
        == "GOAWAY FRAME_TOO_LARGE: frame of N bytes exceeds the N MiB limit")
    #expect(
      AbuseTally.name(of: .goAway(code: 1, message: "malformed courier.v1.Settings: invalid wire type 7"))
        == "GOAWAY PROTOCOL_ERROR: malformed courier.vN.Settings")
    #expect(AbuseTally.name(of: .trailers(streamID: 3, code: 8)) == "TRAILERS RESOURCE_EXHAUSTED")
    #expect(AbuseTally.name(of: .control(type: 0)) == nil)
  }

  @Test func memoryIsJudgedAgainstTheLevelBeforeAndTheFirstCycle() {
    let criteria = SoakCriteria()
    // 25 % or 32 MiB over the level before the abuse, whichever is larger.
    #expect(criteria.residentKiBMax(beforeAbuse: 20 * 1_024) == 52 * 1_024)
    #expect(criteria.residentKiBMax(beforeAbuse: 200 * 1_024) == 250 * 1_024)
    // 10 % or 8 MiB over the first cycle's high-water mark.
    #expect(criteria.residentKiBMax(firstCycleHighWater: 30 * 1_024) == 38 * 1_024)
    #expect(criteria.residentKiBMax(firstCycleHighWater: 200 * 1_024) == 220 * 1_024)
  }

  @Test func aReportWithALeakFails() {
    func sample(_ residentMiB: Int, _ descriptors: Int = 22) -> ProcessSample {
      ProcessSample(
        residentKiB: residentMiB * 1_024, residentPeakKiB: residentMiB * 1_024, descriptors: descriptors, sockets: 5,
        threads: 20, cpuSeconds: 1)
    }
    var report = Self.passingReport(sample: sample)
    let failing = SoakCriteria().evaluate(report).filter { !$0.passed }
    #expect(failing.isEmpty, "\(failing)")
    report.cycles[1].afterRecovery = sample(45, 22)
    report.cycles[0].afterRecovery = sample(30, 40)
    let failed = SoakCriteria().evaluate(report).filter { !$0.passed }.map(\.name)
    #expect(failed == ["no descriptor leak", "no memory leak"])
  }

  static func passingReport(sample: (Int, Int) -> ProcessSample) -> SoakReport {
    var load = LoadReport(
      settings: "", targets: [], mode: "unary", runTag: "t", calls: 1_000, errors: 0, elapsedSeconds: 1,
      latency: LatencyHistogram(), errorsByCode: [:], callsByOperation: [:], callsPerSecondSeries: [],
      errorsPerSecondSeries: [], acknowledgedTransfers: 0, abandonReason: nil, invariants: nil)
    load.latency.record(microseconds: 1_000)
    var probes = ProbeTally()
    probes.served = 2
    let abuser = AbuserOutcome(
      name: "garbage", summary: "", actions: [:], reactions: ["GOAWAY PROTOCOL_ERROR: x": 1],
      expectedReaction: "GOAWAY PROTOCOL_ERROR")
    let cycles = (1...2).map { number in
      SoakReport.Cycle(
        number: number, abusers: [abuser], abusePeak: sample(40, 80), endOfAbuse: sample(40, 40), shedDuration: .zero,
        afterShed: sample(30, 22), afterRecovery: sample(30, 22))
    }
    var invariants = InvariantReport()
    invariants.balanceSums = ["USD": 0]
    return SoakReport(
      serverCommand: [], settings: "",
      phases: [SoakReport.Phase(kind: .baseline, cycle: 0, load: load, probes: nil, serverCPUSeconds: 1)]
        + (1...2).flatMap { cycle in
          [
            SoakReport.Phase(kind: .abuse, cycle: cycle, load: load, probes: probes, serverCPUSeconds: 1),
            SoakReport.Phase(kind: .recovery, cycle: cycle, load: load, probes: probes, serverCPUSeconds: 1),
          ]
        },
      start: sample(20, 22), beforeAbuse: sample(20, 22), cycles: cycles, idle: sample(30, 22), invariants: invariants,
      aliveThroughout: true, exitDescription: "exit 0", exitedCleanly: true, shutdownDuration: .zero, keptDirectory: nil,
      criteria: [])
  }
}
