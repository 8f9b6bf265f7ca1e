/// The four shapes of a call.
public enum RPCKind: String, Sendable, Hashable {
  /// One request, one response.
  case unary
  /// One request, a stream of responses.
  case serverStreaming
  /// A stream of requests, one response.
  case clientStreaming
  /// Streams both ways.
  case bidirectionalStreaming
}

/// Whether repeating a call is safe, from the schema's `idempotency_level` option.
public enum Idempotency: String, Sendable, Hashable {
  /// Not stated: never retried automatically.
  case unknown
  /// Changes nothing (reads): may be retried.
  case noSideEffects
  /// Repeating has the effect of one call: may be retried.
  case idempotent

  /// Whether a client may retry the call after UNAVAILABLE.
  public var allowsRetry: Bool { self != .unknown }
}

/// A method of a service, as generated from the schema.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
  /// The service's fully qualified name, e.g. `bench.v1.Bench`.
  public let service: String
  /// The method's name, e.g. `Transfer`.
  public let method: String
  public let kind: RPCKind
  public let idempotency: Idempotency
  /// The scope a caller's credentials must grant to call the method, from the schema's
  /// `(courier.v1.required_scope)` method option, e.g. `ledger.write`; `nil` when the method
  /// names none (an authenticating server then asks only for valid credentials).
  public let requiredScope: String?
  /// The path that names the method on the wire: `/bench.v1.Bench/Transfer`. Stored, not
  /// computed, because every call sends it: built once per descriptor instead of once per call.
  public let path: String

  public init(
    service: String, method: String, kind: RPCKind, idempotency: Idempotency = .unknown,
    requiredScope: String? = nil
  ) {
    self.service = service
    self.method = method
    self.kind = kind
    self.idempotency = idempotency
    self.requiredScope = requiredScope
    self.path = "/\(service)/\(method)"
  }

  public var description: String { path }
}
