/// Runs around every call a server handles: sees the method, the request metadata and the
/// outcome; may reject the call by throwing `RPCError` (e.g. authentication) or observe its
/// duration and status (logging, metrics).
///
/// Interceptors run in the order given to the server, the first outermost.
public protocol ServerInterceptor: Sendable {
  /// Calls `next` to continue the chain (eventually the handler) and returns what it returns.
  func intercept<Output: Sendable>(
    context: ServerContext, next: @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output
}

/// What a client interceptor may read and change about a call before it is sent.
public struct ClientCallContext: Sendable {
  public let descriptor: MethodDescriptor
  /// Request metadata; an interceptor may add to it (e.g. `authorization`).
  public var metadata: Metadata
  public var options: CallOptions

  public init(descriptor: MethodDescriptor, metadata: Metadata, options: CallOptions) {
    self.descriptor = descriptor
    self.metadata = metadata
    self.options = options
  }
}

/// Runs around every call a client makes: may change metadata and options, observe the
/// outcome, or fail the call before it is sent.
///
/// Interceptors run in the order given to the channel, the first outermost.
public protocol ClientInterceptor: Sendable {
  func intercept<Output: Sendable>(
    call: ClientCallContext, next: @Sendable (ClientCallContext) async throws -> Output
  ) async throws -> Output
}

/// The deadline of the call whose handler is running, so calls it makes inherit it.
public enum CallDeadline {
  /// Set by the server around each handler; read by clients to cap their timeouts.
  @TaskLocal public static var current: ContinuousClock.Instant?
}

extension Array where Element == any ServerInterceptor {
  /// Runs `body` inside every interceptor, the first outermost.
  public func run<Output: Sendable>(
    context: ServerContext, _ body: @escaping @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output {
    try await Self.run(self[...], context: context, body)
  }

  private static func run<Output: Sendable>(
    _ chain: ArraySlice<any ServerInterceptor>, context: ServerContext,
    _ body: @escaping @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output {
    guard let first = chain.first else { return try await body(context) }
    let rest = chain.dropFirst()
    return try await first.intercept(context: context) { context in
      try await run(rest, context: context, body)
    }
  }
}

extension Array where Element == any ClientInterceptor {
  /// Runs `body` inside every interceptor, the first outermost.
  public func run<Output: Sendable>(
    call: ClientCallContext, _ body: @escaping @Sendable (ClientCallContext) async throws -> Output
  ) async throws -> Output {
    try await Self.run(self[...], call: call, body)
  }

  private static func run<Output: Sendable>(
    _ chain: ArraySlice<any ClientInterceptor>, call: ClientCallContext,
    _ body: @escaping @Sendable (ClientCallContext) async throws -> Output
  ) async throws -> Output {
    guard let first = chain.first else { return try await body(call) }
    let rest = chain.dropFirst()
    return try await first.intercept(call: call) { call in
      try await run(rest, call: call, body)
    }
  }
}
