import LedgerDomain

/// The time transfers and accounts are stamped with. Injected so tests can fix it.
public protocol LedgerClock: Sendable {
  /// The current wall-clock time.
  func now() -> Timestamp
}

/// Makes ids for accounts whose creator did not choose one.
public protocol AccountIDGenerator: Sendable {
  /// A fresh id, unlikely to collide with any other (services still check and retry).
  func newAccountID() -> AccountID
}
