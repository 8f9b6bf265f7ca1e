import LedgerClient

/// Figures for the live progress line.
public struct LoadProgress: Sendable, Hashable {
  public var elapsedSeconds: Int
  /// Calls finished in the last second.
  public var callsLastSecond: Int
  public var calls: Int
  public var errors: Int
  public var p99Microseconds: UInt64
}

/// The run could not start: no target answered, or the accounts could not be set up.
public struct LoadRunError: Error, Sendable, Hashable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// Runs a load against Ledger servers: sets up the run's accounts, drives calls closed or open
/// loop until the stop condition (or until the server is gone), then checks the invariants.
public struct LoadRunner: Sendable {
  public let options: LoadOptions

  /// A runner for `options`, which must be valid (see ``LoadOptions/validate()``).
  public init(options: LoadOptions) {
    self.options = options
  }

  /// Runs the load and returns the report; `progress` is called about once a second.
  /// - Throws: `LoadRunError` when the setup fails (target unreachable); once calls have
  ///   started, failures are counted in the report instead.
  public func run(progress: (@Sendable (LoadProgress) -> Void)? = nil) async throws -> LoadReport {
    try options.validate()
    let endpoints = options.targets.compactMap(Endpoint.init)
    precondition(endpoints.count == options.targets.count, "targets \(options.targets) were validated")
    let channels = (0..<options.connections).map { _ in
      CourierChannel(
        configuration: .init(
          endpoints: endpoints, connectTimeout: .seconds(3),
          reconnectBackoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500)),
          interceptors: options.token.map { [BearerTokenInterceptor(token: $0)] } ?? []))
    }
    defer { for channel in channels { channel.close() } }
    let clients = channels.map(LedgerClients.init)
    let callOptions = CallOptions(timeout: options.callTimeout)
    let workload = LoadWorkload(options: options, runTag: LoadWorkload.newRunTag())
    do {
      try await workload.prepare(clients[0], options: callOptions)
    } catch {
      throw LoadRunError("cannot set up the run on \(options.targets.joined(separator: ", ")): \(error)")
    }

    let recorder = LoadRecorder(
      start: .now, acknowledgedTransfersMax: options.acknowledgedTransfersMax,
      unavailableFailuresMax: options.unavailableFailuresMax)
    let calls = LoadCalls(workload: workload, recorder: recorder, options: callOptions)
    await withTaskGroup(of: Void.self) { group in
      if let progress {
        group.addTask { await Self.reportProgress(recorder, progress) }
      }
      switch (options.pacing, options.mode) {
      case (.closed(let workers), .unary):
        await runClosedLoop(workers: workers, clients: clients, calls: calls, recorder: recorder)
      case (.closed(let workers), .session):
        await runSessions(workers: workers, clients: clients, workload: workload, recorder: recorder, options: callOptions)
      case (.open(let rate, let inFlightMax), _):
        await runOpenLoop(
          schedule: OpenLoopSchedule(callsPerSecond: rate), inFlightMax: inFlightMax, clients: clients, calls: calls,
          recorder: recorder)
      }
      group.cancelAll()
    }
    let elapsed = ContinuousClock.now - recorder.start
    let tally = recorder.snapshot()

    var report = LoadReport(
      settings: describeSettings(), targets: options.targets, mode: options.mode.rawValue, runTag: workload.runTag,
      calls: tally.calls, errors: tally.errors,
      elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
      latency: tally.latency, errorsByCode: tally.errorsByCode, callsByOperation: tally.callsByOperation,
      callsPerSecondSeries: tally.callsPerSecond, errorsPerSecondSeries: tally.errorsPerSecond,
      acknowledgedTransfers: tally.acknowledgedCount, abandonReason: tally.abandonReason, invariants: nil)
    if options.checkInvariants {
      report.invariants = await InvariantCheck(clients: clients[0], options: callOptions).run(
        acknowledged: tally.acknowledged, acknowledgedCount: tally.acknowledgedCount,
        accountIDs: workload.accountIDs, verifyMax: options.transfersVerifiedMax)
    }
    return report
  }

  // MARK: - Pacing

  /// Hands out call numbers until the stop condition; nil means stop.
  final class Tickets: Sendable {
    private let next = LockedValue(0)
    private let stop: LoadOptions.Stop
    private let recorder: LoadRecorder
    private let end: ContinuousClock.Instant?

    init(stop: LoadOptions.Stop, recorder: LoadRecorder) {
      self.stop = stop
      self.recorder = recorder
      if case .duration(let duration) = stop { end = recorder.start + duration } else { end = nil }
    }

    func take() -> Int? {
      if recorder.isAbandoned { return nil }
      if let end, ContinuousClock.now >= end { return nil }
      return next.withLock { next -> Int? in
        if case .calls(let callsMax) = stop, next >= callsMax { return nil }
        defer { next += 1 }
        return next
      }
    }
  }

  private func runClosedLoop(workers: Int, clients: [LedgerClients], calls: LoadCalls, recorder: LoadRecorder) async {
    let tickets = Tickets(stop: options.stop, recorder: recorder)
    let tag = calls.workload.runTag
    await withTaskGroup(of: Void.self) { group in
      for worker in 0..<workers {
        let client = clients[worker % clients.count]
        group.addTask {
          var generator = SystemRandomNumberGenerator()
          while let ticket = tickets.take(), !Task.isCancelled {
            await calls.perform(client, callID: "ld-\(tag)-c\(ticket)", intended: .now, using: &generator)
          }
        }
      }
    }
  }

  private func runOpenLoop(
    schedule: OpenLoopSchedule, inFlightMax: Int, clients: [LedgerClients], calls: LoadCalls, recorder: LoadRecorder
  ) async {
    let tag = calls.workload.runTag
    await withTaskGroup(of: Void.self) { group in
      var inFlight = 0
      var index = 0
      while !recorder.isAbandoned && !Task.isCancelled {
        switch options.stop {
        case .duration(let duration): if schedule.offset(ofCall: index) >= duration { return }
        case .calls(let callsMax): if index >= callsMax { return }
        }
        let intended = schedule.intendedStart(ofCall: index, runStart: recorder.start)
        if intended > .now {
          try? await Task.sleep(until: intended, tolerance: .microseconds(100), clock: .continuous)
        }
        // Past the cap, wait for a call to finish; the waiting shows in the next call's latency.
        if inFlight >= inFlightMax {
          await group.next()
          inFlight -= 1
        }
        let client = clients[index % clients.count]
        let callID = "ld-\(tag)-o\(index)"
        group.addTask {
          var generator = SystemRandomNumberGenerator()
          await calls.perform(client, callID: callID, intended: intended, using: &generator)
        }
        inFlight += 1
        index += 1
      }
    }
  }

  private func runSessions(
    workers: Int, clients: [LedgerClients], workload: LoadWorkload, recorder: LoadRecorder, options callOptions: CallOptions
  ) async {
    let tickets = Tickets(stop: options.stop, recorder: recorder)
    let window = options.sessionWindow
    await withTaskGroup(of: Void.self) { group in
      for worker in 0..<workers {
        let session = TransferSessionWorker(
          client: clients[worker % clients.count].transfers, workload: workload, recorder: recorder, tickets: tickets,
          window: window, options: callOptions)
        group.addTask { await session.run() }
      }
    }
  }

  private static func reportProgress(_ recorder: LoadRecorder, _ progress: @Sendable (LoadProgress) -> Void) async {
    var previousCalls = 0
    var second = 0
    while !Task.isCancelled {
      second += 1
      do { try await Task.sleep(until: recorder.start + .seconds(second), clock: .continuous) } catch { return }
      let now = recorder.progress()
      progress(
        LoadProgress(
          elapsedSeconds: second, callsLastSecond: now.calls - previousCalls, calls: now.calls, errors: now.errors,
          p99Microseconds: now.p99Microseconds))
      previousCalls = now.calls
    }
  }

  private func describeSettings() -> String {
    let pacing: String
    switch options.pacing {
    case .closed(let workers): pacing = "closed loop, concurrency \(workers)"
    case .open(let rate, let inFlightMax): pacing = "open loop, rate \(rate) calls/s (at most \(inFlightMax) in flight)"
    }
    let stop: String
    switch options.stop {
    case .duration(let duration): stop = "for \(duration)"
    case .calls(let calls): stop = "for \(calls) calls"
    }
    let mix = options.mode == .session ? "transfers over TransferSession (window \(options.sessionWindow))" : "mix \(options.mix.description)"
    return "\(pacing), \(stop), \(options.connections) connection(s) per target, \(mix), "
      + "\(options.accounts) \(options.currency) accounts, hot share \(options.hotShare) over \(options.hotShare > 0 ? options.hotAccounts : 0) account(s)"
  }
}
