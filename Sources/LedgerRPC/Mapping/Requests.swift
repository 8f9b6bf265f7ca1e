import LedgerAPI
import LedgerApplication
import LedgerDomain

// Request messages parsed into domain commands, one parser per message. Every check is the
// domain's own (ids, currencies, amounts, labels), so its invalid-argument errors name the
// wire field; the only checks made here are the ones the wire adds (required vs. empty,
// unknown enum numbers, 0 meaning "not set").

/// Fields the API requires, turned into domain values with a message that says "required"
/// when the caller left them empty (proto3 cannot tell empty from absent).
enum RequiredField {
  /// An account id the request must carry.
  /// - Throws: `.invalidArgument` naming `field`.
  static func accountID(_ raw: String, field: String = "account_id") throws(LedgerError) -> AccountID {
    guard !raw.isEmpty else { throw missing(field) }
    return try AccountID(raw, field: field)
  }

  /// A transfer id the request must carry.
  /// - Throws: `.invalidArgument` naming `field`.
  static func transferID(_ raw: String, field: String = "transfer_id") throws(LedgerError) -> TransferID {
    guard !raw.isEmpty else { throw missing(field) }
    return try TransferID(raw, field: field)
  }

  private static func missing(_ field: String) -> LedgerError {
    .invalidArgument(field: field, reason: "is required")
  }
}

extension NewAccount {
  /// CreateAccount's fields: an optional id (generated when empty), a required currency.
  /// - Throws: `.invalidArgument` (`account_id`, `currency`, `label`), `.unknownCurrency`.
  init(_ message: Ledger_V1_CreateAccountRequest) throws(LedgerError) {
    let id = message.accountID.isEmpty ? nil : try AccountID(message.accountID)
    try self.init(
      id: id, currency: try Currency(message.currency), noOverdraft: message.noOverdraft, label: message.label)
  }
}

extension AccountListRequest {
  /// ListAccounts' paging and filters; an empty currency and an UNSPECIFIED status mean "any".
  /// - Throws: `.invalidArgument` (`status`, `currency`), `.unknownCurrency`. The page size and
  ///   token are checked by the service, which owns their rules.
  init(_ message: Ledger_V1_ListAccountsRequest) throws(LedgerError) {
    let currency = message.currency.isEmpty ? nil : try Currency(message.currency)
    self.init(
      pageSize: Int(message.pageSize), pageToken: message.pageToken, currency: currency,
      status: try AccountStatus.filter(message.status))
  }
}

extension AccountStatus {
  /// The status a filter asks for: nil for UNSPECIFIED (any).
  /// - Throws: `.invalidArgument` (field `status`) for a number the schema does not name, which
  ///   an older or newer client may send; ignoring it would silently list the wrong accounts.
  static func filter(_ status: Ledger_V1_AccountStatus) throws(LedgerError) -> AccountStatus? {
    switch status {
    case .unspecified: return nil
    case .open: return .open
    case .closed: return .closed
    case .unrecognized(let value):
      throw .invalidArgument(
        field: "status",
        reason: "must be ACCOUNT_STATUS_UNSPECIFIED (0), ACCOUNT_STATUS_OPEN (1) or ACCOUNT_STATUS_CLOSED (2), got \(value)")
    }
  }
}

extension TransferRequest {
  /// A transfer as the caller sent it. Kept raw: the service validates it, so that inside a
  /// batch, an import or a session a malformed item fails alone, with its own result.
  init(_ message: Ledger_V1_CreateTransferRequest) {
    self.init(
      transferID: message.transferID, debitAccountID: message.debitAccountID,
      creditAccountID: message.creditAccountID, amount: message.amount, currency: message.currency,
      reference: message.reference)
  }
}

extension TransferListRequest {
  /// ListTransfers' account, paging and time range; a zero bound means "not set".
  /// - Throws: `.invalidArgument` (`account_id`). Page size, token and range order are checked
  ///   by the service.
  init(_ message: Ledger_V1_ListTransfersRequest) throws(LedgerError) {
    self.init(
      accountID: try RequiredField.accountID(message.accountID), pageSize: Int(message.pageSize),
      pageToken: message.pageToken, fromTime: Self.bound(message.fromUnixNanos),
      toTime: Self.bound(message.toUnixNanos))
  }

  private static func bound(_ unixNanos: Int64) -> Timestamp? {
    unixNanos == 0 ? nil : Timestamp(nanosecondsSinceEpoch: unixNanos)
  }
}
