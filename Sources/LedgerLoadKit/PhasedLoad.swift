import LedgerClient

/// A closed-loop load run in phases over connections that stay open between them, for
/// harnesses that change the conditions around the load (a soak adds abusive clients in one
/// phase) and compare the phases.
///
/// ```swift
/// let load = PhasedLoad(options: options)     // connects lazily
/// defer { load.close() }
/// try await load.prepare()                    // the run's accounts, funded
/// let baseline = await load.run(for: .seconds(10))
/// let stressed = await load.run(for: .seconds(10))
/// let invariants = await load.checkInvariants()   // over every phase's transfers
/// ```
///
/// Each phase gets its own tally (throughput, latency, errors) in a ``LoadReport`` whose
/// `invariants` is nil; the transfers acknowledged in every phase are remembered together (up
/// to ``LoadOptions/acknowledgedTransfersMax``) for ``checkInvariants()``. Only closed-loop
/// unary pacing is supported: ``LoadOptions/pacing`` gives the workers, ``LoadOptions/stop``
/// is ignored (each phase says how long it runs).
public final class PhasedLoad: Sendable {
  /// What every phase shares: the transfers acknowledged so far and how many phases ran.
  private struct Totals {
    var acknowledged: [String: Int64] = [:]
    var acknowledgedCount = 0
    var phases = 0
  }

  public let options: LoadOptions
  /// The random tag in every account and transfer id of the run.
  public let runTag: String
  private let channels: [CourierChannel]
  private let clients: [LedgerClients]
  private let workload: LoadWorkload
  private let workers: Int
  private let totals = LockedValue(Totals())

  /// A load with `options`, which must be valid (``LoadOptions/validate()``) and closed loop
  /// (a programmer error otherwise: it traps). Nothing connects until the first call.
  public init(options: LoadOptions) {
    guard case .closed(let workers) = options.pacing, options.mode == .unary else {
      preconditionFailure("PhasedLoad runs closed-loop unary load, not \(options.pacing) in \(options.mode) mode")
    }
    let endpoints = options.targets.compactMap(Endpoint.init)
    precondition(
      !endpoints.isEmpty && endpoints.count == options.targets.count, "targets \(options.targets) must be host:port")
    self.options = options
    self.workers = workers
    runTag = LoadWorkload.newRunTag()
    channels = (0..<options.connections).map { _ in
      CourierChannel(
        configuration: .init(
          endpoints: endpoints, connectTimeout: .seconds(3),
          reconnectBackoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500)),
          interceptors: options.token.map { [BearerTokenInterceptor(token: $0)] } ?? []))
    }
    clients = channels.map(LedgerClients.init)
    workload = LoadWorkload(options: options, runTag: runTag)
  }

  /// The funded accounts the transfers move money between.
  public var accountIDs: [String] { workload.accountIDs }

  /// Opens and funds the run's accounts, then makes one call on every connection, so each is
  /// established before the first phase.
  /// - Throws: `LoadRunError` when a call fails (the target is unreachable or refuses).
  public func prepare() async throws {
    let callOptions = CallOptions(timeout: options.callTimeout)
    do {
      try await workload.prepare(clients[0], options: callOptions)
      for client in clients {
        var request = Ledger_V1_GetAccountRequest()
        request.accountID = workload.bankAccountID
        _ = try await client.accounts.getAccount(request, options: callOptions)
      }
    } catch {
      throw LoadRunError("cannot set up the run on \(options.targets.joined(separator: ", ")): \(error)")
    }
  }

  /// Runs the closed loop for `duration` (or until the server is gone) and returns the phase's
  /// tally. Calls in flight when the time is up finish and are counted.
  public func run(for duration: Duration) async -> LoadReport {
    let phase = totals.withLock { totals -> Int in
      defer { totals.phases += 1 }
      return totals.phases
    }
    let recorder = LoadRecorder(
      start: .now, acknowledgedTransfersMax: options.acknowledgedTransfersMax,
      unavailableFailuresMax: options.unavailableFailuresMax)
    let calls = LoadCalls(workload: workload, recorder: recorder, options: CallOptions(timeout: options.callTimeout))
    let tickets = LoadRunner.Tickets(stop: .duration(duration), recorder: recorder)
    let prefix = "ld-\(runTag)-p\(phase)c"
    await withTaskGroup(of: Void.self) { group in
      for worker in 0..<workers {
        let client = clients[worker % clients.count]
        group.addTask {
          var generator = SystemRandomNumberGenerator()
          while let ticket = tickets.take(), !Task.isCancelled {
            await calls.perform(client, callID: prefix + String(ticket), intended: .now, using: &generator)
          }
        }
      }
    }
    let elapsed = ContinuousClock.now - recorder.start
    let tally = recorder.snapshot()
    let acknowledgedMax = options.acknowledgedTransfersMax
    totals.withLock { totals in
      totals.acknowledgedCount += tally.acknowledgedCount
      for (id, amount) in tally.acknowledged where totals.acknowledged.count < acknowledgedMax {
        totals.acknowledged[id] = amount
      }
    }
    return LoadReport(
      settings: "phase \(phase): closed loop, concurrency \(workers), \(options.connections) connection(s), "
        + "mix \(options.mix.description), \(options.accounts) \(options.currency) accounts",
      targets: options.targets, mode: options.mode.rawValue, runTag: runTag, calls: tally.calls, errors: tally.errors,
      elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
      latency: tally.latency, errorsByCode: tally.errorsByCode, callsByOperation: tally.callsByOperation,
      callsPerSecondSeries: tally.callsPerSecond, errorsPerSecondSeries: tally.errorsPerSecond,
      acknowledgedTransfers: tally.acknowledgedCount, abandonReason: tally.abandonReason, invariants: nil)
  }

  /// Checks the ledger's invariants (``InvariantReport``) over the transfers acknowledged in
  /// every phase so far.
  public func checkInvariants() async -> InvariantReport {
    let acknowledged = totals.withLock { ($0.acknowledged, $0.acknowledgedCount) }
    return await InvariantCheck(clients: clients[0], options: CallOptions(timeout: options.callTimeout)).run(
      acknowledged: acknowledged.0, acknowledgedCount: acknowledged.1, accountIDs: workload.accountIDs,
      verifyMax: options.transfersVerifiedMax)
  }

  /// Closes every connection; calls made afterwards fail.
  public func close() {
    for channel in channels { channel.close() }
  }
}
