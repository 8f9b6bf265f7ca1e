/// Per-call settings on the client side.
public struct CallOptions: Sendable, Hashable {
  /// How long the call may take; it travels to the server, which cancels the handler when it
  /// passes. `nil` means no deadline (not recommended between services).
  public var timeout: Duration?
  /// Whether the call may be retried after UNAVAILABLE; `nil` follows the method's
  /// `idempotency_level`.
  public var retryable: Bool?
  /// The largest response message accepted, in bytes.
  public var responseMessageBytesMax: Int?

  public init(timeout: Duration? = nil, retryable: Bool? = nil, responseMessageBytesMax: Int? = nil) {
    self.timeout = timeout
    self.retryable = retryable
    self.responseMessageBytesMax = responseMessageBytesMax
  }

  /// No timeout, retries as the schema allows, the transport's default limits.
  public static let defaults = CallOptions()
}
