/// A failed Ledger call, in the terms a caller decides on: the status, the machine-readable
/// reason and the correlation id to quote when asking the service's operators.
///
/// ```swift
/// do {
///   _ = try await client.transfers.createTransfer(id: "t-1", debit: "a", credit: "b", amount: 100, currency: "USD")
/// } catch let error as RPCError {
///   switch error.ledgerErrorCode {
///   case .insufficientFunds?: print("top up first")
///   case .accountNotFound?: print("no such account")
///   default: throw error
///   }
/// }
/// ```
public struct LedgerServiceError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The call's status; never `.ok`.
  public var code: StatusCode
  /// The reason from the `ledger-error-code` trailer; `nil` when the server sent none (a
  /// transport failure such as UNAVAILABLE or DEADLINE_EXCEEDED, or an INTERNAL error).
  public var ledgerCode: Ledger_V1_ErrorCode?
  /// The server's message, for developers.
  public var message: String
  /// The id the server logged the call under (`x-correlation-id` in the trailers), when the
  /// call reached it.
  public var correlationID: String?
  /// Every trailing metadata entry that came with the status.
  public var metadata: Metadata

  /// The error `rpcError` describes.
  public init(_ rpcError: RPCError) {
    code = rpcError.code
    ledgerCode = rpcError.ledgerErrorCode
    message = rpcError.message
    correlationID = rpcError.correlationID
    metadata = rpcError.metadata
  }

  /// The error `error` describes when it is an `RPCError` (what every Ledger call throws,
  /// cancellation aside); `nil` for any other error.
  public init?(_ error: any Error) {
    guard let rpcError = error as? RPCError else { return nil }
    self.init(rpcError)
  }

  /// `STATUS [CODE]: message (correlation id X)`.
  public var description: String {
    var text = code.name
    if let ledgerCode { text += " [\(ledgerCode.protoName)]" }
    if !message.isEmpty { text += ": \(message)" }
    if let correlationID { text += " (correlation id \(correlationID))" }
    return text
  }
}

extension RPCError {
  /// The Ledger's machine-readable reason, parsed from the `ledger-error-code` trailer; `nil`
  /// when the trailer is absent. A name this SDK does not know yet (a newer server) becomes
  /// `nil` too, so `switch` over it with a `default`.
  public var ledgerErrorCode: Ledger_V1_ErrorCode? {
    metadata.firstString(forKey: LedgerMetadataKeys.errorCode).flatMap(Ledger_V1_ErrorCode.init(protoName:))
  }

  /// The correlation id the server returned in the trailers, if any.
  public var correlationID: String? {
    metadata.firstString(forKey: LedgerMetadataKeys.correlationID)
  }
}
