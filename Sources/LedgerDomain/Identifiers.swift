/// The rule both id types follow: 1 to 64 characters from `A-Z a-z 0-9 - _`.
///
/// Ids travel in URLs, logs and SQL parameters; a small alphabet keeps them safe everywhere
/// without escaping, and the length limit bounds every index that holds them.
enum IdentifierRule {
  /// The longest id, in characters (which are bytes: the alphabet is ASCII).
  static let lengthMax = 64

  static func isValid(_ raw: String) -> Bool {
    let bytes = raw.utf8
    guard !bytes.isEmpty, bytes.count <= lengthMax else { return false }
    return bytes.allSatisfy(isAllowed)
  }

  static func isAllowed(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
      true
    default:
      false
    }
  }

  static func invalid(field: String) -> LedgerError {
    .invalidArgument(field: field, reason: "must be 1 to \(lengthMax) characters from A-Z a-z 0-9 - _")
  }

  /// Byte order, which is also the order SQLite's BINARY collation gives; both adapters list
  /// accounts in it, so a page token means the same thing everywhere.
  static func precedes(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
  }
}

/// An account's id: 1 to 64 characters from `A-Z a-z 0-9 - _`. Ordered by bytes.
public struct AccountID: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The id as the caller wrote it.
  public let rawValue: String

  /// Validates `raw`.
  /// - Parameter field: the wire name reported when `raw` is invalid (`account_id`,
  ///   `debit_account_id`, ...).
  /// - Throws: `LedgerError.invalidArgument` naming `field`.
  public init(_ raw: String, field: String = "account_id") throws(LedgerError) {
    guard IdentifierRule.isValid(raw) else { throw IdentifierRule.invalid(field: field) }
    rawValue = raw
  }

  /// Byte order of the raw values (SQLite's BINARY collation).
  public static func < (lhs: AccountID, rhs: AccountID) -> Bool {
    IdentifierRule.precedes(lhs.rawValue, rhs.rawValue)
  }

  /// The raw value.
  public var description: String { rawValue }
}

/// A transfer's id, chosen by the caller and used as the idempotency key: 1 to 64 characters
/// from `A-Z a-z 0-9 - _`. Ordered by bytes.
public struct TransferID: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The id as the caller wrote it.
  public let rawValue: String

  /// Validates `raw`.
  /// - Parameter field: the wire name reported when `raw` is invalid.
  /// - Throws: `LedgerError.invalidArgument` naming `field`.
  public init(_ raw: String, field: String = "transfer_id") throws(LedgerError) {
    guard IdentifierRule.isValid(raw) else { throw IdentifierRule.invalid(field: field) }
    rawValue = raw
  }

  /// Byte order of the raw values (SQLite's BINARY collation).
  public static func < (lhs: TransferID, rhs: TransferID) -> Bool {
    IdentifierRule.precedes(lhs.rawValue, rhs.rawValue)
  }

  /// The raw value.
  public var description: String { rawValue }
}
