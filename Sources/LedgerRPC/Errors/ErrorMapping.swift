public import CourierCore
public import LedgerAPI
public import LedgerDomain

/// The one table from domain errors to what goes on the wire: a status code, and the
/// machine-readable code in the trailing metadata key ``ErrorMapping/errorCodeKey``.
///
/// Why each status:
/// - INVALID_ARGUMENT: the request is wrong whatever the ledger holds (a malformed field, a
///   currency no one knows, a transfer whose debit and credit account are the same). Retrying
///   the same request can never succeed. SAME_ACCOUNT is here rather than with the state
///   errors because gRPC defines INVALID_ARGUMENT as "problematic regardless of the state of
///   the system", which is exactly true of `debit == credit`; the domain checks it while
///   validating the request, before any account is read.
/// - NOT_FOUND: the account or transfer named does not exist.
/// - ALREADY_EXISTS: the id is taken by something with other fields; the caller chose the id.
/// - FAILED_PRECONDITION: the request is well-formed but the ledger's current state refuses
///   it (funds, a closed account, currencies, balances, overflow of posted totals). gRPC's
///   guidance fits exactly: do not retry until the state has changed.
/// - LINKED_TRANSFER_FAILED only appears in per-item results, where the call itself is OK; it
///   maps to ABORTED should it ever end a call: the item was fine, another one aborted it.
public enum ErrorMapping {
  /// The trailing metadata key that carries the machine-readable code, e.g. `INSUFFICIENT_FUNDS`.
  public static let errorCodeKey = "ledger-error-code"

  /// What one domain error code becomes on the wire.
  public struct Entry: Sendable, Hashable {
    /// The call's status.
    public let status: StatusCode
    /// The code in per-item results (`ledger.v1.ErrorCode`).
    public let wireCode: Ledger_V1_ErrorCode
  }

  /// The table. A `switch` so that a new domain error fails to compile until it is mapped.
  public static func entry(for code: LedgerErrorCode) -> Entry {
    switch code {
    case .invalidArgument: Entry(status: .invalidArgument, wireCode: .invalidArgument)
    case .unknownCurrency: Entry(status: .invalidArgument, wireCode: .unknownCurrency)
    case .accountNotFound: Entry(status: .notFound, wireCode: .accountNotFound)
    case .transferNotFound: Entry(status: .notFound, wireCode: .transferNotFound)
    case .accountIDConflict: Entry(status: .alreadyExists, wireCode: .accountIDConflict)
    case .transferIDConflict: Entry(status: .alreadyExists, wireCode: .transferIDConflict)
    case .insufficientFunds: Entry(status: .failedPrecondition, wireCode: .insufficientFunds)
    case .accountClosed: Entry(status: .failedPrecondition, wireCode: .accountClosed)
    case .currencyMismatch: Entry(status: .failedPrecondition, wireCode: .currencyMismatch)
    case .sameAccount: Entry(status: .invalidArgument, wireCode: .sameAccount)
    case .accountBalanceNotZero: Entry(status: .failedPrecondition, wireCode: .accountBalanceNotZero)
    case .amountOverflow: Entry(status: .failedPrecondition, wireCode: .amountOverflow)
    case .linkedTransferFailed: Entry(status: .aborted, wireCode: .linkedTransferFailed)
    }
  }

  /// The status error a domain error ends a call with: the table's status, the domain's
  /// message (which only repeats what the caller sent or may read) and the code in the trailers.
  public static func rpcError(for error: LedgerError) -> RPCError {
    var metadata = Metadata()
    metadata.addString(error.code, forKey: errorCodeKey)
    return RPCError(code: entry(for: error.errorCode).status, message: error.message, metadata: metadata)
  }

  /// The error an unexpected failure ends a call with: INTERNAL, and nothing but the
  /// correlation id under which the log keeps the detail.
  public static func internalError(correlationID: String) -> RPCError {
    RPCError(code: .internal, message: "internal error (correlation id \(correlationID))")
  }
}
