/// Every way a ledger operation can fail for a reason the caller can act on.
///
/// Each case has a stable machine-readable ``code`` equal to a name of `ledger.v1.ErrorCode` in
/// Schemas/ledger/v1/ledger.proto, and a ``message`` for developers. The RPC layer maps the code to
/// a status code in one table; nothing else interprets the cases.
public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A field is missing or malformed; `field` is its wire name (e.g. `amount`), `reason` finishes
  /// the sentence (e.g. "must be positive, got 0").
  case invalidArgument(field: String, reason: String)
  /// The account does not exist.
  case accountNotFound(AccountID)
  /// The transfer does not exist.
  case transferNotFound(TransferID)
  /// An account with this id exists with other fields.
  case accountIDConflict(AccountID)
  /// A transfer with this id exists with other fields.
  case transferIDConflict(TransferID)
  /// The debit would take a no-overdraft account below zero.
  case insufficientFunds(AccountID, balance: Int64, amount: Int64)
  /// The account is closed and takes no transfer.
  case accountClosed(AccountID)
  /// The account's currency differs from the transfer's.
  case currencyMismatch(AccountID, accountCurrency: Currency, transferCurrency: Currency)
  /// The debit and credit accounts are the same.
  case sameAccount(AccountID)
  /// The account's posted debits or credits would overflow `Int64`.
  case amountOverflow(AccountID)
  /// Only an account with a zero balance can be closed.
  case accountBalanceNotZero(AccountID, balance: Int64)
  /// Another item of the same linked batch failed (item `failedIndex`, counted from 0), so this
  /// one was not applied.
  case linkedTransferFailed(failedIndex: Int, failedTransferID: String)
  /// The currency is not an ISO 4217 code the ledger knows.
  case unknownCurrency(String)

  /// The machine-readable code, one of `ledger.v1.ErrorCode`'s names.
  public var code: String { errorCode.rawValue }

  /// The code as a typed value, for exhaustive mapping tables.
  public var errorCode: LedgerErrorCode {
    switch self {
    case .invalidArgument: .invalidArgument
    case .accountNotFound: .accountNotFound
    case .transferNotFound: .transferNotFound
    case .accountIDConflict: .accountIDConflict
    case .transferIDConflict: .transferIDConflict
    case .insufficientFunds: .insufficientFunds
    case .accountClosed: .accountClosed
    case .currencyMismatch: .currencyMismatch
    case .sameAccount: .sameAccount
    case .amountOverflow: .amountOverflow
    case .accountBalanceNotZero: .accountBalanceNotZero
    case .linkedTransferFailed: .linkedTransferFailed
    case .unknownCurrency: .unknownCurrency
    }
  }

  /// A sentence for developers that names the values involved. Safe to send to callers: it only
  /// repeats what they sent or may read.
  public var message: String {
    switch self {
    case .invalidArgument(let field, let reason):
      "\(field) \(reason)"
    case .accountNotFound(let id):
      "account \(id) does not exist"
    case .transferNotFound(let id):
      "transfer \(id) does not exist"
    case .accountIDConflict(let id):
      "account \(id) already exists with other fields"
    case .transferIDConflict(let id):
      "transfer \(id) already exists with other fields"
    case .insufficientFunds(let id, let balance, let amount):
      "account \(id) has balance \(balance) and does not allow overdraft; cannot debit \(amount)"
    case .accountClosed(let id):
      "account \(id) is closed"
    case .currencyMismatch(let id, let accountCurrency, let transferCurrency):
      "account \(id) holds \(accountCurrency), the transfer is in \(transferCurrency)"
    case .sameAccount(let id):
      "debit and credit account are the same: \(id)"
    case .amountOverflow(let id):
      "account \(id): posted totals would overflow a 64-bit integer"
    case .accountBalanceNotZero(let id, let balance):
      "account \(id) has balance \(balance); only a zero balance can be closed"
    case .linkedTransferFailed(let failedIndex, let failedTransferID):
      "not applied: item \(failedIndex) (transfer_id \"\(failedTransferID)\") of the linked batch failed"
    case .unknownCurrency(let code):
      "currency \"\(code)\" is not an ISO 4217 code this ledger knows"
    }
  }

  /// `CODE: message`, for logs.
  public var description: String { "\(code): \(message)" }
}

/// The machine-readable error codes, spelled as the names of `ledger.v1.ErrorCode`.
public enum LedgerErrorCode: String, Sendable, Hashable, CaseIterable {
  /// A field is missing or malformed.
  case invalidArgument = "INVALID_ARGUMENT"
  /// The account does not exist.
  case accountNotFound = "ACCOUNT_NOT_FOUND"
  /// The transfer does not exist.
  case transferNotFound = "TRANSFER_NOT_FOUND"
  /// The account id exists with other fields.
  case accountIDConflict = "ACCOUNT_ID_CONFLICT"
  /// The transfer id exists with other fields.
  case transferIDConflict = "TRANSFER_ID_CONFLICT"
  /// The debit would take a no-overdraft account below zero.
  case insufficientFunds = "INSUFFICIENT_FUNDS"
  /// One of the accounts is closed.
  case accountClosed = "ACCOUNT_CLOSED"
  /// The accounts' currencies differ from each other or from the transfer's.
  case currencyMismatch = "CURRENCY_MISMATCH"
  /// The debit and credit accounts are the same.
  case sameAccount = "SAME_ACCOUNT"
  /// The account's posted totals would overflow `Int64`.
  case amountOverflow = "AMOUNT_OVERFLOW"
  /// Only an account with a zero balance can be closed.
  case accountBalanceNotZero = "ACCOUNT_BALANCE_NOT_ZERO"
  /// Another transfer of the same linked batch failed.
  case linkedTransferFailed = "LINKED_TRANSFER_FAILED"
  /// The currency is not an ISO 4217 code the ledger knows.
  case unknownCurrency = "UNKNOWN_CURRENCY"
}
