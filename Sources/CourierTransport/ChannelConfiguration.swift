import CourierCore

/// A server address.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// Parses "host:port".
  public init?(_ text: String) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (1...65535).contains(port), colon > text.startIndex
    else { return nil }
    self.init(host: String(text[..<colon]), port: port)
  }

  public var description: String { "\(host):\(port)" }
}

/// Exponential backoff with jitter between reconnection attempts and retries.
public struct Backoff: Sendable, Hashable {
  public var initial: Duration
  public var maximum: Duration
  public var multiplier: Double
  /// The delay is multiplied by a random factor in `1 - jitter ... 1 + jitter`.
  public var jitter: Double

  public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5), multiplier: Double = 1.6, jitter: Double = 0.2) {
    precondition(initial > .zero && maximum >= initial, "backoff needs 0 < initial <= maximum")
    precondition(multiplier >= 1 && (0...1).contains(jitter), "backoff needs multiplier >= 1 and jitter in 0...1")
    self.initial = initial
    self.maximum = maximum
    self.multiplier = multiplier
    self.jitter = jitter
  }

  /// The delay before attempt number `attempt` (1 for the first retry).
  public func delay(attempt: Int) -> Duration {
    var seconds = Double(initial.components.seconds) + Double(initial.components.attoseconds) / 1e18
    let cap = Double(maximum.components.seconds) + Double(maximum.components.attoseconds) / 1e18
    for _ in 1..<max(1, attempt) { seconds = min(cap, seconds * multiplier) }
    seconds *= Double.random(in: (1 - jitter)...(1 + jitter))
    return .nanoseconds(Int64(min(cap, seconds) * 1e9))
  }
}

/// When a failed call is sent again.
public struct RetryPolicy: Sendable, Hashable {
  /// Attempts in all, the first included. 1 turns retries off.
  public var attemptsMax: Int
  public var backoff: Backoff
  /// Retries spend tokens from a bucket of this size; each success refills `refillPerSuccess`.
  /// When it is at or below half, retries stop (gRPC's retry throttling), so a failing
  /// backend is not hit with a multiple of the normal load.
  public var budgetTokens: Double
  public var refillPerSuccess: Double

  public init(attemptsMax: Int = 3, backoff: Backoff = Backoff(initial: .milliseconds(50), maximum: .seconds(1)), budgetTokens: Double = 10, refillPerSuccess: Double = 0.1) {
    precondition(attemptsMax >= 1, "attemptsMax must be at least 1")
    self.attemptsMax = attemptsMax
    self.backoff = backoff
    self.budgetTokens = budgetTokens
    self.refillPerSuccess = refillPerSuccess
  }
}

extension CourierChannel {
  /// Where to connect and how to behave.
  public struct Configuration: Sendable {
    /// Servers to balance calls across, round-robin. At least one.
    public var endpoints: [Endpoint]
    public var limits: TransportLimits
    public var connectTimeout: Duration
    /// Delay before reconnecting to an endpoint that failed.
    public var reconnectBackoff: Backoff
    /// Retries of calls that failed with UNAVAILABLE, for methods whose idempotency allows it.
    public var retry: RetryPolicy
    /// Run around every call, the first outermost.
    public var interceptors: [any ClientInterceptor]

    public init(
      endpoints: [Endpoint], limits: TransportLimits = TransportLimits(), connectTimeout: Duration = .seconds(5),
      reconnectBackoff: Backoff = Backoff(), retry: RetryPolicy = RetryPolicy(),
      interceptors: [any ClientInterceptor] = []
    ) {
      precondition(!endpoints.isEmpty, "a channel needs at least one endpoint")
      self.endpoints = endpoints
      self.limits = limits
      self.connectTimeout = connectTimeout
      self.reconnectBackoff = reconnectBackoff
      self.retry = retry
      self.interceptors = interceptors
    }
  }
}
