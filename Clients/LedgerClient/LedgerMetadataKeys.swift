/// The metadata keys the Ledger service reads and writes, spelled once.
public enum LedgerMetadataKeys {
  /// Trailing metadata of a failed call: the machine-readable reason, an `ErrorCode` name such
  /// as `INSUFFICIENT_FUNDS`.
  public static let errorCode = "ledger-error-code"
  /// Request and trailing metadata: the id that ties the caller's logs to the server's. The
  /// server keeps a valid one (1 to 64 characters of `A-Z a-z 0-9 . - _`), else makes its own,
  /// and returns it in the trailers either way.
  public static let correlationID = "x-correlation-id"
  /// Request metadata: `Bearer <token>` when the client has a token provider.
  public static let authorization = "authorization"
}
