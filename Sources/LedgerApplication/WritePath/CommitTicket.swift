import LedgerDomain

/// A claim on the outcome of a group handed to the ``GroupCommitter``: resolved once, after the
/// write transaction holding the group has committed (or failed).
///
/// Waiting does not respond to cancellation on purpose: once submitted, the group may commit,
/// and a caller that stopped waiting could not tell. The wait is bounded by one commit.
final class CommitTicket: Sendable {
  private enum State {
    case pending([CheckedContinuation<[TransferOutcome], any Error>])
    case resolved(Result<[TransferOutcome], any Error>)
  }

  private let state = Locked(State.pending([]))

  /// The group's outcomes, one per item.
  /// - Throws: the error that failed the whole write transaction (nothing of it committed).
  func outcomes() async throws -> [TransferOutcome] {
    try await withCheckedThrowingContinuation { continuation in
      let resolved = state.withLock { state -> Result<[TransferOutcome], any Error>? in
        switch state {
        case .pending(var waiters):
          waiters.append(continuation)
          state = .pending(waiters)
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
    let waiters = state.withLock { state in
      guard case .pending(let waiters) = state else { preconditionFailure("commit ticket resolved twice") }
      state = .resolved(result)
      return waiters
    }
    for waiter in waiters { waiter.resume(with: result) }
  }
}
