import CourierCore
import LedgerAPI
import LedgerRPC
import Testing

/// Request builders and checks shared by the end-to-end tests.
extension LedgerFixture {
  /// Opens an account through the API and returns it.
  @discardableResult
  func openAccount(
    _ id: String, currency: String = "USD", noOverdraft: Bool = false, label: String = ""
  ) async throws -> Ledger_V1_Account {
    try await accounts.createAccount(.make(id, currency: currency, noOverdraft: noOverdraft, label: label)).account
  }

  /// Moves `amount` and returns the committed transfer.
  @discardableResult
  func move(
    _ id: String, from debit: String, to credit: String, amount: Int64, currency: String = "USD"
  ) async throws -> Ledger_V1_Transfer {
    try await transfers.createTransfer(.make(id, from: debit, to: credit, amount: amount, currency: currency)).transfer
  }

  /// Reads an account.
  func account(_ id: String) async throws -> Ledger_V1_Account {
    var request = Ledger_V1_GetAccountRequest()
    request.accountID = id
    return try await accounts.getAccount(request).account
  }

  /// Every transfer of `accountID`, following page tokens.
  func allTransfers(of accountID: String, pageSize: Int32 = 1_000) async throws -> [Ledger_V1_Transfer] {
    try await Self.allTransfers(of: accountID, client: transfers, pageSize: pageSize)
  }

  /// Every transfer of `accountID` through `client`, following page tokens.
  static func allTransfers(
    of accountID: String, client: Ledger_V1_Transfers.Client, pageSize: Int32 = 1_000
  ) async throws -> [Ledger_V1_Transfer] {
    var all: [Ledger_V1_Transfer] = []
    var request = Ledger_V1_ListTransfersRequest()
    request.accountID = accountID
    request.pageSize = pageSize
    repeat {
      let page = try await client.listTransfers(request)
      all += page.transfers
      request.pageToken = page.nextPageToken
    } while !request.pageToken.isEmpty
    return all
  }
}

extension Ledger_V1_CreateAccountRequest {
  static func make(_ id: String, currency: String = "USD", noOverdraft: Bool = false, label: String = "") -> Self {
    var request = Self()
    request.accountID = id
    request.currency = currency
    request.noOverdraft = noOverdraft
    request.label = label
    return request
  }
}

extension Ledger_V1_CreateTransferRequest {
  static func make(
    _ id: String, from debit: String, to credit: String, amount: Int64, currency: String = "USD",
    reference: String = ""
  ) -> Self {
    var request = Self()
    request.transferID = id
    request.debitAccountID = debit
    request.creditAccountID = credit
    request.amount = amount
    request.currency = currency
    request.reference = reference
    return request
  }
}

/// Runs `body`, expects it to fail with `status` and the `ledger-error-code` trailer `code`,
/// and returns the error for further checks.
@discardableResult
func expectFailure(
  _ status: StatusCode, _ code: String, messageContains fragment: String? = nil,
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> RPCError? {
  do {
    try await body()
    Issue.record("expected \(status) \(code), but the call succeeded", sourceLocation: sourceLocation)
    return nil
  } catch let error as RPCError {
    #expect(error.code == status, "\(error)", sourceLocation: sourceLocation)
    #expect(
      error.metadata.firstString(forKey: ErrorMapping.errorCodeKey) == code, "trailers: \(error.metadata)",
      sourceLocation: sourceLocation)
    if let fragment {
      #expect(error.message.contains(fragment), "message: \(error.message)", sourceLocation: sourceLocation)
    }
    return error
  } catch {
    Issue.record("expected RPCError, got \(error)", sourceLocation: sourceLocation)
    return nil
  }
}
