import Dispatch
import LedgerClient
import LedgerLoadKit

/// Runs a soak: the real `ledger-server` as a child process under steady legitimate load, then
/// the same load while abusive clients attack it, then the load alone again; measures the
/// server from /proc between phases and judges the run against ``SoakCriteria``.
///
/// ```
/// start server ─▶ prepare accounts ─▶ warm-up ─▶ sample "start"
///   BASELINE   legitimate load                              ─▶ sample "before abuse"
///   for each cycle (2 by default):
///     ABUSE      legitimate load + abusers + connection probes ─▶ sample "end of abuse" (and the peak)
///     shed       abusers close everything; wait until the server's descriptors are back
///     RECOVERY   legitimate load + connection probes          ─▶ sample "after recovery"
/// 1 s with the clients silent ─▶ sample "idle" ─▶ invariant check ─▶ SIGTERM, expect exit 0
/// ─▶ criteria
/// ```
public struct SoakRunner: Sendable {
  public let options: SoakOptions

  /// A runner for `options`, which must be valid (``SoakOptions/validate()``).
  public init(options: SoakOptions) {
    self.options = options
  }

  /// Runs the soak and returns the report; `progress` gets a line at each step.
  /// - Throws: `SoakError` when the soak cannot run (no server binary, the server does not
  ///   start, the accounts cannot be set up); a failing criterion is in the report instead.
  public func run(progress: (@Sendable (String) -> Void)? = nil) async throws -> SoakReport {
    try options.validate()
    let binary = try locateServerBinary(options.serverBinary)
    let credentials = try SoakCredentials.make()
    let directory = try ScratchDirectory.make()
    let keyFile = directory.file("keys")
    do {
      try credentials.writeKeyFile(to: keyFile)
    } catch {
      directory.remove()
      throw error
    }
    let arguments = serverArguments(database: directory.file("ledger.sqlite"), keyFile: keyFile)
    let environment = serverEnvironment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    progress?("starting \((environment + [binary] + arguments).joined(separator: " "))")
    let server: ServerProcess
    do {
      server = try await ServerProcess.start(
        executable: binary, arguments: arguments, environment: serverEnvironment, logPath: directory.file("server.log"),
        readyTimeout: .seconds(60))
    } catch {
      directory.remove()
      throw error
    }
    var report: SoakReport
    do {
      report = try await soak(
        server, command: environment + [binary] + arguments + ["--port", String(server.port)], credentials: credentials,
        progress: progress)
    } catch {
      server.kill()
      progress?("server log kept in \(directory.path)")
      throw error
    }
    server.kill()
    if report.passed && !options.keepFiles {
      directory.remove()
    } else {
      report.keptDirectory = directory.path
    }
    return report
  }

  /// `MALLOC_ARENA_MAX` unless the options leave the allocator alone (docs/SOAK.md).
  private var serverEnvironment: [String: String] {
    options.serverMallocArenas.map { ["MALLOC_ARENA_MAX": String($0)] } ?? [:]
  }

  private func serverArguments(database: String, keyFile: String) -> [String] {
    [
      "--database", database, "--auth-keys", keyFile, "--log-level", "warning",
      "--max-connections", String(options.serverConnectionsMax),
      "--max-message-bytes", String(options.serverMessageBytesMax),
      "--handshake-timeout-seconds", secondsArgument(options.serverHandshakeTimeout),
      "--frame-timeout-seconds", secondsArgument(options.serverFrameTimeout),
      "--shutdown-grace-seconds", "2",
      // SQLite's page caches fill as the database grows, up to their bounds (96 MiB by
      // default): RSS cannot tell that from a leak, so the soak keeps them small (docs/SOAK.md).
      "--writer-cache-mib", "2", "--reader-cache-mib", "2",
    ]
  }

  private func soak(
    _ server: ServerProcess, command: [String], credentials: SoakCredentials, progress: (@Sendable (String) -> Void)?
  ) async throws -> SoakReport {
    let target = "127.0.0.1:\(server.port)"
    var loadOptions = options.loadOptions(target: target)
    loadOptions.token = credentials.valid
    let load = PhasedLoad(options: loadOptions)
    defer { load.close() }
    progress?("setting up \(options.accounts) funded accounts on \(target)")
    try await load.prepare()
    var alive = true
    func sample() async -> ProcessSample? {
      let taken = await Self.sample(server)
      alive = alive && taken != nil && server.isRunning
      return taken
    }

    progress?("warm-up: \(seconds(options.warmupDuration)) of legitimate load")
    if options.warmupDuration > .zero { _ = await load.run(for: options.warmupDuration) }
    let start = await sample()

    progress?("baseline: \(seconds(options.phaseDuration)) of legitimate load")
    let baseline = await load.run(for: options.phaseDuration)
    let before = await sample()
    var phases = [
      SoakReport.Phase(
        kind: .baseline, cycle: 0, load: baseline, probes: nil, serverCPUSeconds: cpuSeconds(from: start, to: before))
    ]
    var cycles: [SoakReport.Cycle] = []
    for number in 1...options.cycles {
      let phaseStart = number == 1 ? before : await sample()
      let (abuse, cycle) = await abuseAndShed(
        number, server: server, load: load, credentials: credentials, before: before, phaseStart: phaseStart,
        progress: progress)
      phases.append(abuse)
      cycles.append(cycle)
      alive = alive && cycle.endOfAbuse != nil && cycle.afterShed != nil

      progress?("recovery \(number): \(seconds(options.phaseDuration)) of legitimate load")
      let probes = startProbes(port: server.port)
      let recovery = await load.run(for: options.phaseDuration)
      probes.cancel()
      let probeTally = await probes.value
      // The probes' connections close as the server reads their FIN: wait for that, briefly.
      _ = await waitForDescriptors(server, atMost: before?.descriptors, timeout: .seconds(5))
      let after = await sample()
      cycles[cycles.count - 1].afterRecovery = after
      phases.append(
        SoakReport.Phase(
          kind: .recovery, cycle: number, load: recovery, probes: probeTally,
          serverCPUSeconds: cpuSeconds(from: cycle.afterShed, to: after)))
    }
    // Connected clients, no calls: whatever CPU the server uses now is work nobody asked for.
    try? await Task.sleep(for: Self.idleSampleDuration)
    let idle = await sample()

    progress?("checking the ledger's invariants")
    let invariants = await load.checkInvariants()
    load.close()
    alive = alive && server.isRunning
    progress?("stopping the server with SIGTERM")
    let (exit, shutdownDuration) = await server.terminate(timeout: .seconds(15))

    var report = SoakReport(
      serverCommand: command,
      settings: "\(options.connections) legitimate connection(s), concurrency \(options.concurrency), "
        + "transfers and reads among \(options.accounts) accounts; \(seconds(options.phaseDuration)) per phase, "
        + "\(options.cycles) abuse cycles; --max-connections \(options.serverConnectionsMax)",
      phases: phases, start: start, beforeAbuse: before, cycles: cycles, idle: idle, invariants: invariants,
      aliveThroughout: alive, exitDescription: exit.description, exitedCleanly: exit == .init(code: 0, signal: nil),
      shutdownDuration: shutdownDuration, keptDirectory: nil, criteria: [])
    report.criteria = options.criteria.evaluate(report)
    return report
  }

  /// One ABUSE phase (legitimate load, abusers, connection probes, a peak sampler), then the
  /// wait until the server has closed every abusive connection.
  private func abuseAndShed(
    _ number: Int, server: ServerProcess, load: PhasedLoad, credentials: SoakCredentials, before: ProcessSample?,
    phaseStart: ProcessSample?, progress: (@Sendable (String) -> Void)?
  ) async -> (SoakReport.Phase, SoakReport.Cycle) {
    progress?("abuse \(number): \(seconds(options.phaseDuration)) of legitimate load with \(abusers.count) abuser(s)")
    let campaign = AbuseCampaign(
      abusers: abusers, port: server.port, settings: options.abuseSettings, accountIDs: load.accountIDs,
      currency: load.options.currency, runTag: "\(load.runTag)-\(number)", credentials: credentials)
    campaign.start()
    let probes = startProbes(port: server.port)
    let peakSampler = Task { await Self.samplePeak(server) }
    let abuse = await load.run(for: options.phaseDuration)
    let endOfAbuse = await Self.sample(server)
    probes.cancel()
    peakSampler.cancel()
    let probeTally = await probes.value
    let peak = await peakSampler.value
    let outcomes = await campaign.stop()

    progress?("abusers stopped; waiting for the server to shed their connections")
    let shedDuration = await waitForDescriptors(server, atMost: before?.descriptors, timeout: options.shedTimeout)
    let afterShed = await Self.sample(server)
    return (
      SoakReport.Phase(
        kind: .abuse, cycle: number, load: abuse, probes: probeTally,
        serverCPUSeconds: cpuSeconds(from: phaseStart, to: endOfAbuse)),
      SoakReport.Cycle(
        number: number, abusers: outcomes, abusePeak: peak, endOfAbuse: endOfAbuse, shedDuration: shedDuration,
        afterShed: afterShed, afterRecovery: nil)
    )
  }

  private func cpuSeconds(from first: ProcessSample?, to last: ProcessSample?) -> Double? {
    guard let first, let last else { return nil }
    return last.cpuSeconds - first.cpuSeconds
  }

  /// How long the server is watched with no calls after RECOVERY.
  static let idleSampleDuration = Duration.seconds(1)

  /// Every abuser there is, in report order.
  static let allAbusers: [any Abuser] = [
    IdleFlood(), Slowloris(), OversizedFrames(), StreamFlood(), GarbageAfterPreface(), MidStreamDisconnects(),
    NonReader(), BadTokens(),
  ]

  /// The names ``SoakOptions/abusers`` chooses from.
  public static let abuserNames = allAbusers.map(\.name)

  /// The abusers the options choose.
  private var abusers: [any Abuser] { Self.allAbusers.filter { options.abusers.contains($0.name) } }

  private func startProbes(port: Int) -> Task<ProbeTally, Never> {
    let probe = ConnectionProbe(endpoint: Endpoint(host: "127.0.0.1", port: port), interval: options.probeInterval)
    return Task { await probe.run() }
  }

  /// Waits until the server holds at most `descriptors` descriptors; returns how long that
  /// took, or nil at the timeout (or with no level to wait for).
  private func waitForDescriptors(_ server: ServerProcess, atMost descriptors: Int?, timeout: Duration) async -> Duration? {
    guard let descriptors else { return nil }
    let start = ContinuousClock.now
    while ContinuousClock.now - start < timeout {
      guard let sample = await Self.sample(server) else { return nil }
      if sample.descriptors <= descriptors { return .now - start }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return nil
  }

  /// Reads /proc off the cooperative pool.
  private static func sample(_ server: ServerProcess) async -> ProcessSample? {
    let pid = server.pid
    return await withCheckedContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(returning: ProcessSample.read(pid: pid)) }
    }
  }

  /// Samples every 250 ms until cancelled; returns the largest value seen of each figure.
  private static func samplePeak(_ server: ServerProcess) async -> ProcessSample? {
    var peak: ProcessSample?
    while !Task.isCancelled {
      if let sample = await sample(server) {
        peak = ProcessSample(
          residentKiB: max(peak?.residentKiB ?? 0, sample.residentKiB),
          residentPeakKiB: max(peak?.residentPeakKiB ?? 0, sample.residentPeakKiB),
          descriptors: max(peak?.descriptors ?? 0, sample.descriptors), sockets: max(peak?.sockets ?? 0, sample.sockets),
          threads: max(peak?.threads ?? 0, sample.threads), cpuSeconds: max(peak?.cpuSeconds ?? 0, sample.cpuSeconds))
      }
      try? await Task.sleep(for: .milliseconds(250))
    }
    return peak
  }
}

/// `2`, `0.5`: seconds for a command-line flag.
func secondsArgument(_ duration: Duration) -> String {
  let (whole, attoseconds) = duration.components
  if attoseconds == 0 { return String(whole) }
  return String(Double(whole) + Double(attoseconds) / 1e18)
}
