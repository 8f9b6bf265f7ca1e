import LedgerClient

/// A new legitimate client, now and then: a fresh connection and one health check on it. While
/// the connection limit is saturated it may be refused; once the abusers are gone it must be
/// served.
struct ConnectionProbe: Sendable {
  let endpoint: Endpoint
  let interval: Duration

  /// Probes every `interval` until the task is cancelled, then returns the tally.
  func run() async -> ProbeTally {
    var tally = ProbeTally()
    while !Task.isCancelled {
      let started = ContinuousClock.now
      let failure = await probeOnce()
      // A probe cut short because the phase ended says nothing about the server.
      if Task.isCancelled { break }
      if let failure {
        tally.refused[failure, default: 0] += 1
      } else {
        tally.served += 1
      }
      try? await Task.sleep(until: started + interval, clock: .continuous)
    }
    return tally
  }

  /// One probe: nil when served, else the status it failed with.
  func probeOnce() async -> String? {
    let channel = CourierChannel(
      configuration: .init(endpoints: [endpoint], connectTimeout: .seconds(2), retry: RetryPolicy(attemptsMax: 1)))
    defer { channel.close() }
    let health = Grpc_Health_V1_Health.Client(wrapping: channel)
    do {
      let response = try await health.check(Grpc_Health_V1_HealthCheckRequest(), options: CallOptions(timeout: .seconds(3)))
      return response.status == .serving ? nil : "health \(response.status)"
    } catch let error as RPCError {
      return error.code.name
    } catch {
      return "\(error)"
    }
  }
}

/// What the connection probes of one phase found.
public struct ProbeTally: Sendable, Hashable {
  /// Probes whose call was answered.
  public var served = 0
  /// Probes that failed, by status name (UNAVAILABLE while the connection limit is saturated).
  public var refused: [String: Int] = [:]

  public init() {}

  /// Probes made.
  public var attempts: Int { served + refused.values.reduce(0, +) }
}
