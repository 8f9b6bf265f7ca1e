/// The `ErrorCode` names as they travel in the `ledger-error-code` trailer.
extension Ledger_V1_ErrorCode {
  /// The code whose schema name is `name` (e.g. `"INSUFFICIENT_FUNDS"`), or `nil` for a name
  /// this version of the schema does not know.
  public init?(protoName name: String) {
    guard let code = Self.allCases.first(where: { $0.protoName == name }) else { return nil }
    self = code
  }

  /// The name in `ledger.proto`, e.g. `INSUFFICIENT_FUNDS`; for a number this version of the
  /// schema does not name, the number as text.
  public var protoName: String {
    switch self {
    case .unspecified: "ERROR_CODE_UNSPECIFIED"
    case .invalidArgument: "INVALID_ARGUMENT"
    case .accountNotFound: "ACCOUNT_NOT_FOUND"
    case .transferNotFound: "TRANSFER_NOT_FOUND"
    case .accountIDConflict: "ACCOUNT_ID_CONFLICT"
    case .transferIDConflict: "TRANSFER_ID_CONFLICT"
    case .insufficientFunds: "INSUFFICIENT_FUNDS"
    case .accountClosed: "ACCOUNT_CLOSED"
    case .currencyMismatch: "CURRENCY_MISMATCH"
    case .sameAccount: "SAME_ACCOUNT"
    case .amountOverflow: "AMOUNT_OVERFLOW"
    case .accountBalanceNotZero: "ACCOUNT_BALANCE_NOT_ZERO"
    case .linkedTransferFailed: "LINKED_TRANSFER_FAILED"
    case .unknownCurrency: "UNKNOWN_CURRENCY"
    case .unrecognized(let number): String(number)
    }
  }
}
