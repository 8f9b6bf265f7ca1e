extension LedgerClient {
  /// How a ``LedgerClient`` connects and what it adds to every call, with the defaults in one
  /// place.
  public struct Configuration: Sendable {
    /// The timeout of a unary or client-streaming call (one response) that sets none in its
    /// `CallOptions`. Default 10 s; `nil` leaves such calls without a deadline.
    public var defaultTimeout: Duration?
    /// The timeout of a server-streaming or bidirectional call (`WatchAccount`,
    /// `TransferSession`, health `Watch`) that sets none. Default `nil`: such streams are meant
    /// to stay open as long as the caller wants, and the caller ends them by cancelling.
    public var defaultStreamingTimeout: Duration?
    /// Whether a call without `x-correlation-id` metadata gets a new id (a random per-client
    /// prefix and a counter). Default `true`; with `false` the server makes one up. Either way
    /// the server returns it in the trailers (``RPCError/correlationID``).
    public var generatesCorrelationIDs: Bool
    /// Called before every call that has no `authorization` metadata; a non-empty token is sent
    /// as `authorization: Bearer <token>`. Return `nil` to send none. Default none.
    ///
    /// When it throws, the call is not sent and fails with UNAUTHENTICATED.
    public var authorizationTokenProvider: (@Sendable () async throws -> String?)?
    /// Metadata added to every call (e.g. a `user-agent`) unless the call sets the same key.
    public var defaultMetadata: Metadata
    /// Run around every call, the first outermost, after the defaults above are applied.
    public var interceptors: [any ClientInterceptor]
    /// Message sizes, flow-control windows, keepalive: the transport's defaults unless set.
    public var limits: TransportLimits
    /// How long connecting to one endpoint may take. Default 5 s.
    public var connectTimeout: Duration
    /// The delay before reconnecting to an endpoint that failed.
    public var reconnectBackoff: Backoff
    /// Retries of calls that failed with UNAVAILABLE, for methods whose `idempotency_level`
    /// allows it (every Ledger method except `ImportTransfers` and `TransferSession`). Calls the
    /// server never saw (refused while it shut down) are resent regardless.
    public var retry: RetryPolicy

    /// A configuration; every argument has the documented default.
    public init(
      defaultTimeout: Duration? = .seconds(10), defaultStreamingTimeout: Duration? = nil, generatesCorrelationIDs: Bool = true,
      authorizationTokenProvider: (@Sendable () async throws -> String?)? = nil, defaultMetadata: Metadata = [:],
      interceptors: [any ClientInterceptor] = [], limits: TransportLimits = TransportLimits(),
      connectTimeout: Duration = .seconds(5), reconnectBackoff: Backoff = Backoff(), retry: RetryPolicy = RetryPolicy()
    ) {
      precondition(defaultTimeout.map { $0 > .zero } ?? true, "defaultTimeout must be positive, got \(defaultTimeout!)")
      precondition(
        defaultStreamingTimeout.map { $0 > .zero } ?? true,
        "defaultStreamingTimeout must be positive, got \(defaultStreamingTimeout!)")
      precondition(connectTimeout > .zero, "connectTimeout must be positive, got \(connectTimeout)")
      self.defaultTimeout = defaultTimeout
      self.defaultStreamingTimeout = defaultStreamingTimeout
      self.generatesCorrelationIDs = generatesCorrelationIDs
      self.authorizationTokenProvider = authorizationTokenProvider
      self.defaultMetadata = defaultMetadata
      self.interceptors = interceptors
      self.limits = limits
      self.connectTimeout = connectTimeout
      self.reconnectBackoff = reconnectBackoff
      self.retry = retry
    }
  }
}
