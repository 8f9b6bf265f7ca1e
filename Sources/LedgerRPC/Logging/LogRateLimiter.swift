import CourierCore

/// A token bucket for log lines whose number a client controls: a rejected call, a connection
/// that broke the protocol. Without it, a client sending bad tokens as fast as it can makes
/// the server write a warning per call (the soak saw 108,750 lines, 21 MB, in two minutes of
/// abuse) until the disk is full.
///
/// Lets `burst` lines through at once and `perSecond` on average after that. The lines it holds
/// back are counted, and the next line it lets through reports the count (`Logger`'s
/// `log(_:_:_:limitedBy:)` adds it as the field `suppressed`), so nothing goes unnoticed: an
/// operator sees that it happened, how often, and one example per interval.
public final class LogRateLimiter: Sendable {
  private struct Bucket {
    var tokens: Double
    var refilled: ContinuousClock.Instant
    var suppressed = 0
  }

  /// Lines let through per second on average.
  public let perSecond: Double
  /// Lines let through at once after a quiet period.
  public let burst: Int
  private let now: @Sendable () -> ContinuousClock.Instant
  private let bucket: LockedValue<Bucket>

  /// A limiter starting full. `now` is the clock (tests pass their own).
  /// - Precondition: `perSecond` > 0 and `burst` ≥ 1.
  public init(
    perSecond: Double, burst: Int, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
  ) {
    precondition(perSecond > 0 && burst >= 1, "a log rate limit of \(perSecond)/s, burst \(burst)")
    self.perSecond = perSecond
    self.burst = burst
    self.now = now
    bucket = LockedValue(Bucket(tokens: Double(burst), refilled: now()))
  }

  /// Takes a token if there is one.
  /// - Returns: nil when the line must be dropped (it is counted); otherwise how many lines were
  ///   dropped since the last one let through (usually 0).
  public func admit() -> Int? {
    let instant = now()
    return bucket.withLock { bucket in
      let seconds = (instant - bucket.refilled) / .seconds(1)
      if seconds > 0 {
        bucket.tokens = min(Double(burst), bucket.tokens + seconds * perSecond)
        bucket.refilled = instant
      }
      guard bucket.tokens >= 1 else {
        bucket.suppressed += 1
        return nil
      }
      bucket.tokens -= 1
      defer { bucket.suppressed = 0 }
      return bucket.suppressed
    }
  }
}

extension Logger {
  /// Writes the line like ``log(_:_:_:)`` if `limiter` lets it through, with the field
  /// `suppressed` (the lines `limiter` dropped since its last one) when that is not 0. A line
  /// below the minimum level takes no token.
  public func log(
    _ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, LogValue> = [:],
    limitedBy limiter: LogRateLimiter
  ) {
    guard isEnabled(level), let suppressed = limiter.admit() else { return }
    write(level, message, fields, extra: suppressed > 0 ? ("suppressed", .integer(Int64(suppressed))) : nil)
  }
}
