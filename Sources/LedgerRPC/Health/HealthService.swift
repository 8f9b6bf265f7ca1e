public import CourierCore
public import LedgerAPI

/// The standard `grpc.health.v1.Health` service: SERVING while the server runs, NOT_SERVING
/// from the moment shutdown starts, so load balancers stop sending calls before the listener
/// closes.
///
/// Knows the server as a whole (the empty service name) and the services it was given.
/// Shutdown is terminal: after ``beginShutdown()`` every status stays NOT_SERVING.
public final class HealthService: Grpc_Health_V1_Health.ServiceProtocol, Sendable {
  /// A health status.
  public typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus
  private typealias Watcher = (service: String, continuation: AsyncStream<Status>.Continuation)

  private struct State {
    var statuses: [String: Status]
    var watchers: [UInt64: Watcher] = [:]
    var lastWatcherID: UInt64 = 0
    var isShuttingDown = false
  }

  private let state: LockedValue<State>

  /// A health service reporting SERVING for the server (`""`) and for each of `serviceNames`
  /// (fully qualified, e.g. `ledger.v1.Transfers`).
  public init(serviceNames: [String]) {
    var statuses: [String: Status] = ["": .serving]
    for name in serviceNames { statuses[name] = .serving }
    state = LockedValue(State(statuses: statuses))
  }

  /// The status of `service`, or nil when it is unknown.
  public func status(of service: String) -> Status? {
    state.withLock { $0.statuses[service] }
  }

  /// Reports NOT_SERVING for everything, tells every watcher, and ends their streams (a watch
  /// would otherwise hold the server's graceful shutdown for its whole grace period).
  public func beginShutdown() {
    let watchers = state.withLock { state -> [Watcher] in
      state.isShuttingDown = true
      for name in state.statuses.keys { state.statuses[name] = .notServing }
      defer { state.watchers = [:] }
      return Array(state.watchers.values)
    }
    // Outside the lock: finishing runs `onTermination`, which takes it.
    for watcher in watchers {
      watcher.continuation.yield(.notServing)
      watcher.continuation.finish()
    }
  }

  /// The current status of the requested service.
  /// - Throws: `RPCError(.notFound)` for a service this server does not know.
  public func check(
    request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext
  ) async throws -> Grpc_Health_V1_HealthCheckResponse {
    guard let status = status(of: request.service) else {
      throw RPCError(code: .notFound, message: "unknown service \"\(request.service.prefix(128))\"")
    }
    return Self.response(status)
  }

  /// The current status, then every change, until the caller cancels or shutdown starts (then
  /// NOT_SERVING is the last message and the call ends OK). An unknown service is reported as
  /// SERVICE_UNKNOWN, as the protocol asks.
  public func watch(
    request: Grpc_Health_V1_HealthCheckRequest, response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
    context: ServerContext
  ) async throws {
    // Only the latest status matters to a watcher, so a slow one cannot make the buffer grow.
    let (updates, continuation) = AsyncStream.makeStream(of: Status.self, bufferingPolicy: .bufferingNewest(1))
    let (current, id) = state.withLock { state -> (Status, UInt64?) in
      let current = state.statuses[request.service] ?? .serviceUnknown
      guard !state.isShuttingDown else { return (current, nil) }
      state.lastWatcherID += 1
      state.watchers[state.lastWatcherID] = (request.service, continuation)
      return (current, state.lastWatcherID)
    }
    guard let id else {
      try await response.write(Self.response(current))
      return
    }
    continuation.onTermination = { [weak self] _ in
      _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
    }
    defer { continuation.finish() }
    var last = current
    try await response.write(Self.response(current))
    for await status in updates where status != last {
      try await response.write(Self.response(status))
      last = status
    }
  }

  private static func response(_ status: Status) -> Grpc_Health_V1_HealthCheckResponse {
    var response = Grpc_Health_V1_HealthCheckResponse()
    response.status = status
    return response
  }
}
