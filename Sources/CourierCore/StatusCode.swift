/// The outcome of a call: the 17 gRPC status codes, with the same numbers and names.
///
/// A small struct rather than an enum so that a code received from a newer peer survives
/// (`StatusCode(rawValue: 42)` is kept, and reads as "CODE_42").
public struct StatusCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public let rawValue: Int

  public init(rawValue: Int) { self.rawValue = rawValue }

  /// Not an error; returned on success.
  public static let ok = StatusCode(rawValue: 0)
  /// The operation was cancelled, typically by the caller.
  public static let cancelled = StatusCode(rawValue: 1)
  /// An error that fits no other code.
  public static let unknown = StatusCode(rawValue: 2)
  /// The caller specified an invalid argument, whatever the system's state.
  public static let invalidArgument = StatusCode(rawValue: 3)
  /// The deadline expired before the operation could complete.
  public static let deadlineExceeded = StatusCode(rawValue: 4)
  /// Some requested entity was not found.
  public static let notFound = StatusCode(rawValue: 5)
  /// The entity that a client attempted to create already exists.
  public static let alreadyExists = StatusCode(rawValue: 6)
  /// The caller does not have permission to execute the operation.
  public static let permissionDenied = StatusCode(rawValue: 7)
  /// Some resource has been exhausted (a quota, a limit, memory).
  public static let resourceExhausted = StatusCode(rawValue: 8)
  /// The system is not in a state required for the operation.
  public static let failedPrecondition = StatusCode(rawValue: 9)
  /// The operation was aborted, typically by a concurrency conflict.
  public static let aborted = StatusCode(rawValue: 10)
  /// The operation was attempted past the valid range.
  public static let outOfRange = StatusCode(rawValue: 11)
  /// The operation is not implemented or not supported.
  public static let unimplemented = StatusCode(rawValue: 12)
  /// An invariant the system relies on is broken.
  public static let `internal` = StatusCode(rawValue: 13)
  /// The service is currently unavailable; retrying with backoff may succeed.
  public static let unavailable = StatusCode(rawValue: 14)
  /// Unrecoverable data loss or corruption.
  public static let dataLoss = StatusCode(rawValue: 15)
  /// The request does not have valid authentication credentials.
  public static let unauthenticated = StatusCode(rawValue: 16)

  /// Every code gRPC defines, in numeric order.
  public static let allDefined: [StatusCode] = (0...16).map(StatusCode.init(rawValue:))

  /// The gRPC name, e.g. `DEADLINE_EXCEEDED`.
  public var name: String {
    switch rawValue {
    case 0: return "OK"
    case 1: return "CANCELLED"
    case 2: return "UNKNOWN"
    case 3: return "INVALID_ARGUMENT"
    case 4: return "DEADLINE_EXCEEDED"
    case 5: return "NOT_FOUND"
    case 6: return "ALREADY_EXISTS"
    case 7: return "PERMISSION_DENIED"
    case 8: return "RESOURCE_EXHAUSTED"
    case 9: return "FAILED_PRECONDITION"
    case 10: return "ABORTED"
    case 11: return "OUT_OF_RANGE"
    case 12: return "UNIMPLEMENTED"
    case 13: return "INTERNAL"
    case 14: return "UNAVAILABLE"
    case 15: return "DATA_LOSS"
    case 16: return "UNAUTHENTICATED"
    default: return "CODE_\(rawValue)"
    }
  }

  public var description: String { name }
}
