public import CourierCore
import Synchronization

/// The id that ties a call's log lines, its response and an operator's search together.
///
/// Taken from the request metadata key ``metadataKey`` when the caller sent a valid one (so a
/// chain of services shares one id), generated otherwise; sent back in the trailing metadata
/// under the same key, and visible to code running inside the call as ``current``.
public enum CorrelationID {
  /// The metadata key, in requests and in trailers.
  public static let metadataKey = "x-correlation-id"
  /// The longest id accepted from a caller.
  public static let lengthMax = 64

  /// The id of the call whose handler is running; set by ``LoggingInterceptor``.
  @TaskLocal public static var current: String?

  /// Whether `text` may be used as an id: 1 to 64 characters from `A-Z a-z 0-9 . - _`, so it is
  /// safe in logs, JSON and metadata without escaping.
  public static func isValid(_ text: String) -> Bool {
    let bytes = text.utf8
    guard !bytes.isEmpty, bytes.count <= lengthMax else { return false }
    return bytes.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
        true
      default:
        false
      }
    }
  }
}

/// Makes correlation ids: a random per-generator prefix and a counter, e.g. `9f1c07a2e4b3-1a`.
///
/// Unique within a process without a system call per id (a random id per call would read the
/// kernel's random source at every call), and unlikely to meet another process's ids.
public final class CorrelationIDGenerator: Sendable {
  private let prefix: String
  private let counter = Atomic<UInt64>(0)

  /// A generator with a fresh random prefix.
  public init() {
    var random = SystemRandomNumberGenerator()
    let value = random.next() & 0xFFFF_FFFF_FFFF
    let hex = String(value, radix: 16)
    prefix = String(repeating: "0", count: 12 - hex.count) + hex
  }

  /// The next id.
  public func next() -> String {
    let number = counter.add(1, ordering: .relaxed).newValue
    return "\(prefix)-\(String(number, radix: 16))"
  }

  /// The caller's id from `metadata` if it sent a valid one, else a new one.
  public func resolve(_ metadata: Metadata) -> String {
    if let sent = metadata.firstString(forKey: CorrelationID.metadataKey), CorrelationID.isValid(sent) {
      return sent
    }
    return next()
  }
}
