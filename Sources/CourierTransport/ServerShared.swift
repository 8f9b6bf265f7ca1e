import CourierCore
import Dispatch

/// Hooks through which a server reports what it does not put on the wire.
public struct ServerObserver: Sendable {
  /// A handler threw something other than `RPCError`; the client saw UNKNOWN "handler failed".
  public var handlerFailed: @Sendable (MethodDescriptor, any Error) -> Void
  /// A connection ended with a protocol error (the peer was sent GOAWAY with the reason).
  public var connectionError: @Sendable (_ reason: String, _ peer: String) -> Void

  public init(
    handlerFailed: @escaping @Sendable (MethodDescriptor, any Error) -> Void = { _, _ in },
    connectionError: @escaping @Sendable (_ reason: String, _ peer: String) -> Void = { _, _ in }
  ) {
    self.handlerFailed = handlerFailed
    self.connectionError = connectionError
  }

  func connectionError(_ error: ConnectionError, peer: String) {
    connectionError(error.description, peer)
  }
}

/// What every connection of one server shares.
final class ServerShared: Sendable {
  let router: RPCRouter
  let limits: TransportLimits
  let observer: ServerObserver
  let interceptors: [any ServerInterceptor]
  /// How often each connection checks its timeouts.
  let timerInterval: DispatchTimeInterval
  private let onConnectionClosed: @Sendable (ServerConnection) -> Void

  init(
    router: RPCRouter, limits: TransportLimits, observer: ServerObserver,
    interceptors: [any ServerInterceptor],
    onConnectionClosed: @escaping @Sendable (ServerConnection) -> Void
  ) {
    self.router = router
    self.limits = limits
    self.observer = observer
    self.interceptors = interceptors
    self.onConnectionClosed = onConnectionClosed
    let shortest = [limits.handshakeTimeout, limits.frameTimeout, limits.idleTimeout].min() ?? .seconds(1)
    let milliseconds = max(10, min(1000, Int(shortest.components.seconds * 1000 + shortest.components.attoseconds / 1_000_000_000_000_000) / 4))
    self.timerInterval = .milliseconds(milliseconds)
  }

  func connectionClosed(_ connection: ServerConnection) {
    onConnectionClosed(connection)
  }
}

extension ServerShared {
  /// Whether a handler for `context` may be called directly: no interceptors to run and no
  /// deadline to publish.
  func needsNoWrapping(_ context: ServerContext) -> Bool {
    interceptors.isEmpty && context.deadline == nil
  }

  /// Runs a handler body inside the interceptors, with the call's deadline visible to calls
  /// it makes (`CallDeadline.current`).
  func run<Output: Sendable>(
    _ context: ServerContext, _ body: @escaping @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output {
    if needsNoWrapping(context) { return try await body(context) }
    return try await CallDeadline.$current.withValue(context.deadline) {
      try await interceptors.run(context: context, body)
    }
  }
}
