/// A positive amount of money in minor units of some currency (cents for USD).
///
/// Never floating point: minor units are exact, and `Int64` holds 92 quadrillion of them.
public struct Amount: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The amount in minor units; always greater than zero.
  public let minorUnits: Int64

  /// - Throws: `LedgerError.invalidArgument` (field `amount`) unless `minorUnits > 0`.
  public init(minorUnits: Int64) throws(LedgerError) {
    guard minorUnits > 0 else {
      throw .invalidArgument(field: "amount", reason: "must be positive, got \(minorUnits)")
    }
    self.minorUnits = minorUnits
  }

  /// Numeric order.
  public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.minorUnits < rhs.minorUnits }

  /// The minor units, in decimal.
  public var description: String { String(minorUnits) }
}

/// A point in time: nanoseconds since the Unix epoch (1970-01-01T00:00:00Z).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Nanoseconds since the Unix epoch; negative before it.
  public let nanosecondsSinceEpoch: Int64

  /// Wraps a count of nanoseconds since the Unix epoch.
  public init(nanosecondsSinceEpoch: Int64) {
    self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
  }

  /// Earlier first.
  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
  }

  /// The nanoseconds since the epoch, suffixed `ns`.
  public var description: String { "\(nanosecondsSinceEpoch)ns" }
}

/// Limits on free text the caller stores with accounts and transfers.
public enum TextLimits {
  /// The longest label or reference, in Unicode scalars (what other languages call code points,
  /// so a client in any language counts the same).
  public static let labelScalarsMax = 256

  static func check(_ text: String, field: String) throws(LedgerError) {
    let count = text.unicodeScalars.count
    guard count <= labelScalarsMax else {
      throw .invalidArgument(field: field, reason: "must be at most \(labelScalarsMax) characters, got \(count)")
    }
  }
}
