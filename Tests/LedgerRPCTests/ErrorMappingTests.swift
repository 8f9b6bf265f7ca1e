import CourierCore
import LedgerAPI
import LedgerDomain
import LedgerRPC
import Testing

/// The one table from domain errors to statuses and wire codes.
@Suite("ErrorMapping")
struct ErrorMappingTests {
  @Test(arguments: LedgerErrorCode.allCases)
  func everyCodeMapsToTheWireCodeOfTheSameName(_ code: LedgerErrorCode) {
    let entry = ErrorMapping.entry(for: code)
    #expect(entry.wireCode != .unspecified)
    // The wire enum's case of the same name: ledger.proto's ErrorCode names equal the domain codes.
    let index = Ledger_V1_ErrorCode.allCases.firstIndex(of: entry.wireCode)
    let names = [
      "ERROR_CODE_UNSPECIFIED", "INVALID_ARGUMENT", "ACCOUNT_NOT_FOUND", "TRANSFER_NOT_FOUND", "ACCOUNT_ID_CONFLICT",
      "TRANSFER_ID_CONFLICT", "INSUFFICIENT_FUNDS", "ACCOUNT_CLOSED", "CURRENCY_MISMATCH", "SAME_ACCOUNT",
      "AMOUNT_OVERFLOW", "ACCOUNT_BALANCE_NOT_ZERO", "LINKED_TRANSFER_FAILED", "UNKNOWN_CURRENCY",
    ]
    #expect(index.map { names[$0] } == code.rawValue)
  }

  @Test func statusesFollowTheTable() throws {
    let account = try AccountID("a")
    let expectations: [(LedgerError, StatusCode)] = [
      (.invalidArgument(field: "amount", reason: "must be positive, got 0"), .invalidArgument),
      (.unknownCurrency("UDS"), .invalidArgument),
      (.sameAccount(account), .invalidArgument),
      (.accountNotFound(account), .notFound),
      (.transferNotFound(try TransferID("t")), .notFound),
      (.accountIDConflict(account), .alreadyExists),
      (.transferIDConflict(try TransferID("t")), .alreadyExists),
      (.insufficientFunds(account, balance: 0, amount: 1), .failedPrecondition),
      (.accountClosed(account), .failedPrecondition),
      (.currencyMismatch(account, accountCurrency: .usd, transferCurrency: .eur), .failedPrecondition),
      (.accountBalanceNotZero(account, balance: 5), .failedPrecondition),
      (.amountOverflow(account), .failedPrecondition),
      (.linkedTransferFailed(failedIndex: 0, failedTransferID: "t"), .aborted),
    ]
    #expect(Set(expectations.map(\.0.errorCode)) == Set(LedgerErrorCode.allCases))
    for (error, status) in expectations {
      let rpcError = ErrorMapping.rpcError(for: error)
      #expect(rpcError.code == status, "\(error)")
      #expect(rpcError.message == error.message)
      #expect(rpcError.metadata.firstString(forKey: "ledger-error-code") == error.code)
    }
  }

  @Test func internalErrorsSayNothingButTheCorrelationID() {
    let error = ErrorMapping.internalError(correlationID: "abc-1")
    #expect(error.code == .internal)
    #expect(error.message == "internal error (correlation id abc-1)")
    #expect(error.metadata.isEmpty)
  }
}
