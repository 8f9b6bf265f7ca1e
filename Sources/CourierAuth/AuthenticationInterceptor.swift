public import CourierCore

/// Authenticates every call from its `authorization: Bearer <token>` metadata and authorizes
/// it against the scope its method requires (``MethodDescriptor/requiredScope``, from the
/// schema's `(courier.v1.required_scope)` option).
///
/// - Missing, malformed, forged, expired or unknown-key credentials: UNAUTHENTICATED.
/// - A valid token without the method's scope: PERMISSION_DENIED.
///
/// Either way the handler never runs, and the caller gets a fixed message
/// (``unauthenticatedMessage``, ``permissionDeniedMessage``); the reason goes to
/// `onRejection`, for the server's log. A method with no required scope needs only a valid
/// token. Services in `publicServices` (a health check, say) are served without credentials.
///
/// Inside the handler, ``AuthenticatedCaller/current`` holds the verified token.
public struct AuthenticationInterceptor: ServerInterceptor {
  /// The message of every UNAUTHENTICATED rejection.
  public static let unauthenticatedMessage = "missing or invalid credentials"
  /// The message of every PERMISSION_DENIED rejection.
  public static let permissionDeniedMessage = "the credentials do not grant access to this method"

  private let verifier: TokenVerifier
  private let publicServices: Set<String>
  private let onRejection: @Sendable (ServerContext, AuthenticationFailure) -> Void

  /// - Parameters:
  ///   - publicServices: fully qualified service names served without credentials, e.g.
  ///     `grpc.health.v1.Health`.
  ///   - onRejection: told why each rejected call was rejected.
  public init(
    verifier: TokenVerifier, publicServices: Set<String> = [],
    onRejection: @escaping @Sendable (ServerContext, AuthenticationFailure) -> Void = { _, _ in }
  ) {
    self.verifier = verifier
    self.publicServices = publicServices
    self.onRejection = onRejection
  }

  public func intercept<Output: Sendable>(
    context: ServerContext, next: @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output {
    if publicServices.contains(context.descriptor.service) { return try await next(context) }
    let token: AccessToken
    do throws(AuthenticationFailure) {
      let values = context.requestMetadata["authorization"]
      guard values.count <= 1 else { throw AuthenticationFailure.notBearer }
      guard case .string(let authorization)? = values.first ?? nil else {
        throw values.isEmpty ? AuthenticationFailure.missingCredentials : .notBearer
      }
      token = try verifier.verify(authorization: authorization)
    } catch {
      onRejection(context, error)
      throw RPCError(code: .unauthenticated, message: Self.unauthenticatedMessage)
    }
    if let scope = context.descriptor.requiredScope, !token.grants(scope) {
      onRejection(context, .missingScope(scope))
      throw RPCError(code: .permissionDenied, message: Self.permissionDeniedMessage)
    }
    return try await AuthenticatedCaller.$current.withValue(token) { try await next(context) }
  }
}

/// The verified token of the call whose handler is running.
public enum AuthenticatedCaller {
  /// Set by ``AuthenticationInterceptor`` around each handler; `nil` when the call was not
  /// authenticated (a public service, or a server without authentication).
  @TaskLocal public static var current: AccessToken?
}
