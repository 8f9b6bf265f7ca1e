extension Ledger_V1_CreateTransferRequest {
  /// A transfer request with its fields set: for `createTransfer`, a batch, an import or a
  /// `transferSession` stream.
  ///
  /// - Parameters:
  ///   - id: the transfer id, which is also the idempotency key (resending it is safe).
  ///   - debit: the account debited.
  ///   - credit: the account credited.
  ///   - amount: positive, in minor units of `currency` (cents for USD).
  ///   - currency: the ISO 4217 code both accounts have.
  ///   - reference: an optional caller's reference, up to 256 characters.
  public init(id: String, debit: String, credit: String, amount: Int64, currency: String, reference: String = "") {
    self.init()
    transferID = id
    debitAccountID = debit
    creditAccountID = credit
    self.amount = amount
    self.currency = currency
    self.reference = reference
  }
}

extension Ledger_V1_Accounts.Client {
  /// Opens an account and returns it. With the same `id` and fields, a retry returns the
  /// account created first.
  ///
  /// - Parameters:
  ///   - id: the account id; empty lets the server generate one.
  ///   - currency: its ISO 4217 code.
  ///   - noOverdraft: whether its balance may not go below zero.
  ///   - label: an optional label, up to 256 characters.
  /// - Throws: `RPCError`: INVALID_ARGUMENT (`INVALID_ARGUMENT`, `UNKNOWN_CURRENCY`),
  ///   ALREADY_EXISTS (`ACCOUNT_ID_CONFLICT`), or a transport status.
  public func createAccount(
    id: String, currency: String, noOverdraft: Bool = false, label: String = "", metadata: Metadata = [:],
    options: CallOptions = .defaults
  ) async throws -> Ledger_V1_Account {
    var request = Ledger_V1_CreateAccountRequest()
    request.accountID = id
    request.currency = currency
    request.noOverdraft = noOverdraft
    request.label = label
    return try await createAccount(request, metadata: metadata, options: options).account
  }

  /// Reads one account.
  /// - Throws: `RPCError`: NOT_FOUND (`ACCOUNT_NOT_FOUND`), INVALID_ARGUMENT, or a transport status.
  public func getAccount(
    id: String, metadata: Metadata = [:], options: CallOptions = .defaults
  ) async throws -> Ledger_V1_Account {
    var request = Ledger_V1_GetAccountRequest()
    request.accountID = id
    return try await getAccount(request, metadata: metadata, options: options).account
  }
}

extension Ledger_V1_Transfers.Client {
  /// Moves `amount` from `debit` to `credit` and returns the committed transfer, once it is on
  /// disk. Idempotent by `id`: a retry with the same fields returns the original transfer.
  ///
  /// - Throws: `RPCError`, with ``RPCError/ledgerErrorCode`` e.g. `INSUFFICIENT_FUNDS`,
  ///   `ACCOUNT_NOT_FOUND`, `CURRENCY_MISMATCH`, `TRANSFER_ID_CONFLICT`; or a transport status.
  public func createTransfer(
    id: String, debit: String, credit: String, amount: Int64, currency: String, reference: String = "",
    metadata: Metadata = [:], options: CallOptions = .defaults
  ) async throws -> Ledger_V1_Transfer {
    let request = Ledger_V1_CreateTransferRequest(
      id: id, debit: debit, credit: credit, amount: amount, currency: currency, reference: reference)
    return try await createTransfer(request, metadata: metadata, options: options).transfer
  }

  /// Reads one transfer.
  /// - Throws: `RPCError`: NOT_FOUND (`TRANSFER_NOT_FOUND`), INVALID_ARGUMENT, or a transport status.
  public func getTransfer(
    id: String, metadata: Metadata = [:], options: CallOptions = .defaults
  ) async throws -> Ledger_V1_Transfer {
    var request = Ledger_V1_GetTransferRequest()
    request.transferID = id
    return try await getTransfer(request, metadata: metadata, options: options).transfer
  }
}

extension Ledger_V1_Transfers.Client {
  /// Calls `body` with each of the account's transfers in commit order, from `afterSequence`
  /// onward and then live as they commit, until `body` returns `false` (the call is then
  /// cancelled and this returns), the call's deadline passes, or the server ends the stream.
  ///
  /// Resume after a disconnection by passing the last `sequence` seen as `afterSequence`: no
  /// transfer is skipped or repeated.
  /// - Throws: `RPCError`: NOT_FOUND (`ACCOUNT_NOT_FOUND`), DEADLINE_EXCEEDED, a transport
  ///   status; or what `body` throws.
  public func watchAccount(
    id: String, afterSequence: Int64 = 0, metadata: Metadata = [:], options: CallOptions = .defaults,
    _ body: @escaping @Sendable (Ledger_V1_Transfer) async throws -> Bool
  ) async throws {
    var request = Ledger_V1_WatchAccountRequest()
    request.accountID = id
    request.afterSequence = afterSequence
    do {
      try await watchAccount(request, metadata: metadata, options: options) { response in
        for try await message in response.messages where try await !body(message.transfer) {
          // Thrown out of the response handler, it abandons the call: the server gets CANCEL.
          throw StopWatching()
        }
      }
    } catch is StopWatching {}
  }
}

/// `watchAccount(id:)`'s way out of a stream the caller no longer wants.
private struct StopWatching: Error {}
