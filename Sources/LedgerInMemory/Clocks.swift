#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import LedgerApplication
import LedgerDomain

/// The wall clock (`CLOCK_REALTIME`), with nanosecond resolution.
public struct SystemClock: LedgerClock {
  /// The system's wall clock.
  public init() {}

  /// Now, as nanoseconds since the Unix epoch.
  public func now() -> Timestamp {
    var time = timespec()
    let status = clock_gettime(CLOCK_REALTIME, &time)
    precondition(status == 0, "clock_gettime(CLOCK_REALTIME) failed")
    return Timestamp(nanosecondsSinceEpoch: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
  }
}

/// A clock that always says the same time, for deterministic tests.
public struct FixedClock: LedgerClock {
  /// The time it always says.
  public let time: Timestamp

  /// A clock stopped at `time`.
  public init(_ time: Timestamp) { self.time = time }

  /// ``time``.
  public func now() -> Timestamp { time }
}

/// A clock that moves only when told to, for tests of time ranges.
public final class ManualClock: LedgerClock {
  private let time: Locked<Timestamp>

  /// A clock showing `time` until moved.
  public init(_ time: Timestamp) { self.time = Locked(time) }

  /// The time it currently shows.
  public func now() -> Timestamp { time.withLock { $0 } }

  /// Moves the clock forward by `nanoseconds` (`>= 0`).
  public func advance(byNanoseconds nanoseconds: Int64) {
    precondition(nanoseconds >= 0, "a clock does not go back: advance by \(nanoseconds)")
    time.withLock { $0 = Timestamp(nanosecondsSinceEpoch: $0.nanosecondsSinceEpoch + nanoseconds) }
  }
}

/// Account ids of 16 random characters from `A-Z a-z 0-9` (about 95 bits): collisions are not a
/// practical concern, and the service checks anyway.
public struct RandomAccountIDGenerator: AccountIDGenerator {
  /// The length of a generated id.
  public static let length = 16
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

  /// A generator using the system's cryptographic random source.
  public init() {}

  /// A fresh random id.
  public func newAccountID() -> AccountID {
    var generator = SystemRandomNumberGenerator()
    let raw = String((0..<Self.length).map { _ in Self.alphabet.randomElement(using: &generator) ?? "A" })
    do {
      return try AccountID(raw)
    } catch {
      preconditionFailure("generated account id \(raw) is invalid: \(error)")
    }
  }
}
