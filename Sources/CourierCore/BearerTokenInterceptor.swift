/// Sends `authorization: Bearer <token>` with every call, the token taken from a provider
/// each time (so a provider can refresh tokens before they expire). A call that already
/// carries `authorization` metadata keeps its own.
///
/// When the provider throws, or returns a token that cannot travel as metadata text, the call
/// fails with UNAUTHENTICATED before anything is sent. A `nil` or empty token sends none.
public struct BearerTokenInterceptor: ClientInterceptor {
  private let provider: @Sendable () async throws -> String?

  /// Asks `provider` for the token before every call.
  public init(provider: @escaping @Sendable () async throws -> String?) {
    self.provider = provider
  }

  /// Sends the same `token` with every call.
  public init(token: String) {
    self.init(provider: { token })
  }

  public func intercept<Output: Sendable>(
    call: ClientCallContext, next: @Sendable (ClientCallContext) async throws -> Output
  ) async throws -> Output {
    var call = call
    try await Self.attachToken(from: provider, to: &call.metadata)
    return try await next(call)
  }

  /// Adds `authorization: Bearer <token>` from `provider` to `metadata` unless it has an
  /// `authorization` entry already: the interceptor's work, for interceptors that combine it
  /// with other defaults.
  /// - Throws: `RPCError` UNAUTHENTICATED when the provider fails or the token is not
  ///   printable ASCII; `CancellationError` when the provider was cancelled.
  public static func attachToken(
    from provider: @Sendable () async throws -> String?, to metadata: inout Metadata
  ) async throws {
    guard metadata["authorization"].isEmpty else { return }
    let token: String?
    do {
      token = try await provider()
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw RPCError(code: .unauthenticated, message: "the authorization token provider failed: \(error)")
    }
    guard let token, !token.isEmpty else { return }
    guard Metadata.isValidTextValue(token) else {
      throw RPCError(code: .unauthenticated, message: "the authorization token is not printable ASCII")
    }
    metadata.addString("Bearer \(token)", forKey: "authorization")
  }
}
