import LedgerDomain

/// A claim on the outcome of a group handed to the ``GroupCommitter``: resolved once, after the
/// write transaction holding the group has committed (or failed).
///
/// Waiting does not respond to cancellation on purpose: once submitted, the group may commit,
/// and a caller that stopped waiting could not tell. The wait is bounded by one commit.
final class CommitTicket: Sendable {
  private typealias Waiter = UnsafeContinuation<[TransferOutcome], any Error>

  /// One waiter is the rule (the caller that submitted the group), so it has its own case and
  /// costs no array.
  private enum State {
    case pending(first: Waiter?, others: [Waiter])
    case resolved(Result<[TransferOutcome], any Error>)
  }

  private let state = Locked(State.pending(first: nil, others: []))

  /// The group's outcomes, one per item.
  /// - Throws: the error that failed the whole write transaction (nothing of it committed).
  func outcomes() async throws -> [TransferOutcome] {
    // Unsafe rather than checked continuations: one is made per transfer, and the checked kind
    // allocates a canary object each time. Each is resumed exactly once: either here, when the
    // ticket is already resolved, or by `resolve`, which takes every waiter out of the state in
    // the one transition from pending to resolved (a second `resolve` traps).
    try await withUnsafeThrowingContinuation { (continuation: Waiter) in
      let resolved = state.withLock { state -> Result<[TransferOutcome], any Error>? in
        switch state {
        case .pending(nil, let others):
          state = .pending(first: continuation, others: others)
          return nil
        case .pending(let first?, var others):
          others.append(continuation)
          state = .pending(first: first, others: others)
          return nil
        case .resolved(let result):
          return result
        }
      }
      if let resolved { continuation.resume(with: resolved) }
    }
  }

  /// Resolves the ticket and wakes every waiter. Resolving twice is a programmer error.
  func resolve(_ result: Result<[TransferOutcome], any Error>) {
    let (first, others) = state.withLock { state -> (Waiter?, [Waiter]) in
      guard case .pending(let first, let others) = state else { preconditionFailure("commit ticket resolved twice") }
      state = .resolved(result)
      return (first, others)
    }
    first?.resume(with: result)
    for waiter in others { waiter.resume(with: result) }
  }
}
