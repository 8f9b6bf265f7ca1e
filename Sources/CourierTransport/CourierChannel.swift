import CourierCore
import CourierWire

/// A client of one or more Courier servers: multiplexes concurrent calls over one connection per
/// endpoint, connects lazily, reconnects with exponential backoff and jitter, balances calls
/// round-robin across endpoints, and retries calls that failed with UNAVAILABLE when their
/// method's `idempotency_level` allows it. Generated clients call it as a `ClientCallInvoker`.
///
/// ```swift
/// let channel = CourierChannel(configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: 7070)]))
/// let client = Bench_V1_Bench.Client(wrapping: channel)
/// let reply = try await client.transfer(request, options: CallOptions(timeout: .seconds(1)))
/// ```
public final class CourierChannel: ClientCallInvoker {
  public let configuration: Configuration

  private struct EndpointState {
    let endpoint: Endpoint
    var connection: ClientConnection?
    var connecting: Task<ClientConnection, any Error>?
    var consecutiveFailures = 0
    var retryAt: ContinuousClock.Instant?
    var lastError: String?
  }

  private struct State {
    var endpoints: [EndpointState]
    var nextEndpoint = 0
    var isClosed = false
    var retryTokens: Double
  }

  private let state: LockedValue<State>

  public init(configuration: Configuration) {
    self.configuration = configuration
    self.state = LockedValue(
      State(endpoints: configuration.endpoints.map { EndpointState(endpoint: $0) },
        retryTokens: configuration.retry.budgetTokens))
  }

  /// Closes every connection; calls in flight fail with UNAVAILABLE, new calls too.
  public func close() {
    let connections = state.withLock { state -> [ClientConnection] in
      state.isClosed = true
      defer {
        for index in state.endpoints.indices {
          state.endpoints[index].connection = nil
          state.endpoints[index].connecting?.cancel()
        }
      }
      return state.endpoints.compactMap(\.connection)
    }
    for connection in connections { connection.close() }
  }

  // MARK: - Connections

  private enum Pick {
    case ready(ClientConnection)
    case connecting(Task<ClientConnection, any Error>)
    case unavailable(String)
  }

  /// A usable connection: the next endpoint round-robin that is connected or may connect now.
  /// Endpoints in backoff are skipped; if all are, the call fails fast with UNAVAILABLE.
  func connection() async throws -> ClientConnection {
    let pick = state.withLock { state -> Pick in
      guard !state.isClosed else { return .unavailable("the channel is closed") }
      let count = state.endpoints.count
      let now = ContinuousClock.now
      var reasons: [String] = []
      for offset in 0..<count {
        let index = (state.nextEndpoint + offset) % count
        var endpoint = state.endpoints[index]
        if let connection = endpoint.connection {
          if connection.isUsable {
            state.nextEndpoint = (index + 1) % count
            return .ready(connection)
          }
          endpoint.connection = nil
        }
        if let connecting = endpoint.connecting {
          state.endpoints[index] = endpoint
          state.nextEndpoint = (index + 1) % count
          return .connecting(connecting)
        }
        if let retryAt = endpoint.retryAt, retryAt > now {
          reasons.append("\(endpoint.endpoint): \(endpoint.lastError ?? "unreachable") (retrying in \(retryAt - now))")
          state.endpoints[index] = endpoint
          continue
        }
        let target = endpoint.endpoint
        let task = Task { [self] in try await connect(index: index, target) }
        endpoint.connecting = task
        state.endpoints[index] = endpoint
        state.nextEndpoint = (index + 1) % count
        return .connecting(task)
      }
      return .unavailable(reasons.joined(separator: "; "))
    }
    switch pick {
    case .ready(let connection):
      return connection
    case .connecting(let task):
      do {
        return try await task.value
      } catch let error as RPCError {
        throw CallNotProcessed(error: error)
      }
    case .unavailable(let reason):
      throw RPCError(code: .unavailable, message: "no endpoint available: \(reason)")
    }
  }

  private func connect(index: Int, _ endpoint: Endpoint) async throws -> ClientConnection {
    do {
      let fd = try await Connector.connect(host: endpoint.host, port: endpoint.port, timeout: configuration.connectTimeout)
      let connection = ClientConnection(
        fd: fd, peer: endpoint.description, limits: configuration.limits,
        onUnusable: { [weak self] connection in self?.connectionUnusable(connection, index: index) })
      connection.start()
      let closed = state.withLock { state -> Bool in
        state.endpoints[index].connecting = nil
        guard !state.isClosed else { return true }
        state.endpoints[index].connection = connection
        state.endpoints[index].consecutiveFailures = 0
        state.endpoints[index].retryAt = nil
        return false
      }
      if closed {
        connection.close()
        throw RPCError(code: .unavailable, message: "the channel is closed")
      }
      return connection
    } catch {
      let message = "\(error)"
      state.withLock { state in
        var endpointState = state.endpoints[index]
        endpointState.connecting = nil
        endpointState.consecutiveFailures += 1
        endpointState.lastError = message
        endpointState.retryAt = .now + configuration.reconnectBackoff.delay(attempt: endpointState.consecutiveFailures)
        state.endpoints[index] = endpointState
      }
      throw RPCError(code: .unavailable, message: "cannot connect to \(endpoint): \(message)")
    }
  }

  private func connectionUnusable(_ connection: ClientConnection, index: Int) {
    state.withLock { state in
      if state.endpoints[index].connection === connection { state.endpoints[index].connection = nil }
    }
  }

  // MARK: - Retries

  /// Whether a failed attempt may be sent again, spending a retry token.
  private func mayRetry(_ error: RPCError, descriptor: MethodDescriptor, options: CallOptions, attempt: Int) -> Bool {
    guard error.code == .unavailable, options.retryable ?? descriptor.idempotency.allowsRetry,
      attempt < configuration.retry.attemptsMax
    else { return false }
    return state.withLock { state in
      guard state.retryTokens > configuration.retry.budgetTokens / 2 else { return false }
      state.retryTokens -= 1
      return true
    }
  }

  private func recordSuccess() {
    state.withLock { state in
      state.retryTokens = min(configuration.retry.budgetTokens, state.retryTokens + configuration.retry.refillPerSuccess)
    }
  }

  /// Runs one call with the interceptors, the deadline, transparent retries of calls the
  /// server never processed, and policy retries of UNAVAILABLE.
  func perform<Output: Sendable>(
    descriptor: MethodDescriptor, metadata: Metadata, options: CallOptions,
    _ attempt: @escaping @Sendable (ClientConnection, Metadata, Duration?) async throws -> Output
  ) async throws -> Output {
    let call = ClientCallContext(descriptor: descriptor, metadata: metadata, options: options)
    // Without interceptors the attempts run directly: no closure to allocate per call.
    if configuration.interceptors.isEmpty { return try await attempts(call, attempt) }
    return try await configuration.interceptors.run(call: call) { [self] call in
      try await attempts(call, attempt)
    }
  }

  /// Sends `call` until an attempt succeeds or may not be retried (see `perform`).
  private func attempts<Output: Sendable>(
    _ call: ClientCallContext,
    _ attempt: @Sendable (ClientConnection, Metadata, Duration?) async throws -> Output
  ) async throws -> Output {
    let deadline = Self.deadline(call.options.timeout)
    var attemptNumber = 1
    var transparentRetries = 0
    while true {
      let timeout = deadline.map { $0 - .now }
      if let timeout, timeout <= .zero {
        throw RPCError(code: .deadlineExceeded, message: "deadline exceeded before the call could be sent")
      }
      do {
        let connection = try await connection()
        let output = try await attempt(connection, call.metadata, timeout)
        recordSuccess()
        return output
      } catch let notProcessed as CallNotProcessed {
        transparentRetries += 1
        guard transparentRetries <= 5 else { throw notProcessed.error }
      } catch let error as RPCError {
        guard mayRetry(error, descriptor: call.descriptor, options: call.options, attempt: attemptNumber) else { throw error }
        let delay = configuration.retry.backoff.delay(attempt: attemptNumber)
        attemptNumber += 1
        if let deadline, ContinuousClock.now + delay >= deadline { throw error }
        try await Task.sleep(for: delay)
      }
    }
  }

  /// The earlier of the call's own timeout and the deadline of the handler making it.
  static func deadline(_ timeout: Duration?) -> ContinuousClock.Instant? {
    let own = timeout.map { ContinuousClock.now + $0 }
    switch (own, CallDeadline.current) {
    case (let own?, let inherited?): return min(own, inherited)
    case (let own?, nil): return own
    case (nil, let inherited): return inherited
    }
  }
}
