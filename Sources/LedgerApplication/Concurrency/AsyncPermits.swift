/// A counting semaphore for async code: at most `count` permits out at once.
///
/// Bounds a pipeline's window (transfers submitted but not yet delivered). Waiting is
/// cancellation-aware, so a task group that unwinds never hangs on a waiter.
package final class AsyncPermits: Sendable {
  private struct State {
    var available: Int
    var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    var lastWaiterID: UInt64 = 0
  }

  private let state: Locked<State>

  /// A semaphore with `count` permits (`count >= 1`).
  package init(count: Int) {
    precondition(count >= 1, "AsyncPermits needs at least one permit, got \(count)")
    state = Locked(State(available: count))
  }

  /// Takes a permit, waiting in arrival order until one is free.
  /// - Throws: `CancellationError` when the task is cancelled before it gets one.
  package func acquire() async throws {
    let id = state.withLock { state in
      state.lastWaiterID += 1
      return state.lastWaiterID
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        // Decide under the lock, resume outside it. Checking cancellation in the same critical
        // section as the append means the cancel handler either sees the waiter or we see the
        // cancellation: never neither.
        let immediate: Result<Void, any Error>? = state.withLock { state in
          if Task.isCancelled { return .failure(CancellationError()) }
          if state.available > 0 {
            state.available -= 1
            return .success(())
          }
          state.waiters.append((id, continuation))
          return nil
        }
        if let immediate { continuation.resume(with: immediate) }
      }
    } onCancel: {
      let cancelled = state.withLock { state -> CheckedContinuation<Void, any Error>? in
        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return state.waiters.remove(at: index).continuation
      }
      cancelled?.resume(throwing: CancellationError())
    }
  }

  /// Returns a permit, handing it straight to the oldest waiter if there is one.
  package func release() {
    let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
      if state.waiters.isEmpty {
        state.available += 1
        return nil
      }
      return state.waiters.removeFirst().continuation
    }
    next?.resume()
  }
}
