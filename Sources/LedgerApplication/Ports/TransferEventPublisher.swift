import LedgerDomain

/// Committed transfers, for WatchAccount.
public protocol TransferEventPublisher: Sendable {
  /// Announces transfers that have just committed, in sequence order. Called by the write path
  /// after each commit, never before, and never concurrently with itself.
  func publish(_ transfers: [Transfer])
  /// Live transfers touching `accountID` from now on; ends when the subscriber stops iterating.
  ///
  /// An implementation may also end the stream early (e.g. when the subscriber falls too far
  /// behind); the subscriber then resumes from storage after the last sequence it saw.
  func subscribe(accountID: AccountID) -> AsyncStream<Transfer>
}
