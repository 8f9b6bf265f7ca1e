import LedgerDomain

/// Fans committed transfers out to the subscribers of their two accounts, inside one process.
///
/// Bounded: each subscriber has a buffer of `bufferedTransfersMax` transfers. A subscriber that
/// falls further behind than that is ended (its stream finishes after the buffered transfers)
/// instead of holding memory without limit or silently skipping transfers. `TransferService`'s
/// watch treats such an end as "catch up from storage": it subscribes again and reads history
/// after the last sequence it delivered, so its caller sees no gap and no duplicate.
///
/// Only this process's commits are seen: with several server instances sharing one database,
/// a publisher fed by the database is needed instead.
public final class InProcessTransferEventPublisher: TransferEventPublisher {
  private typealias Continuation = AsyncStream<Transfer>.Continuation

  private struct State {
    var subscribersByAccount: [AccountID: [UInt64: Continuation]] = [:]
    var lastSubscriberID: UInt64 = 0
  }

  /// The most transfers buffered for one subscriber before it is ended.
  public let bufferedTransfersMax: Int
  private let state = Locked(State())
  /// Held for the whole of a `publish` (never by anything else), so publishes do not interleave.
  private let publishing = Locked(())

  /// A publisher buffering at most `bufferedTransfersMax` (`>= 1`) transfers per subscriber.
  public init(bufferedTransfersMax: Int = 1_024) {
    precondition(bufferedTransfersMax >= 1, "bufferedTransfersMax \(bufferedTransfersMax) < 1")
    self.bufferedTransfersMax = bufferedTransfersMax
  }

  /// The number of live subscriptions, for tests and metrics.
  public var subscriberCount: Int {
    state.withLock { state in state.subscribersByAccount.values.reduce(0) { $0 + $1.count } }
  }

  /// Delivers each transfer to the subscribers of its debit and its credit account, in order.
  /// Never blocks: a subscriber whose buffer is full is ended.
  ///
  /// Lock order: `yield` resumes the subscriber's task, which takes that task's status lock,
  /// while cancelling a task holds its status lock and runs `onTermination`, which takes
  /// `state`'s lock. So nothing is yielded under `state`'s lock (doing so deadlocked a server
  /// whose watchers disconnected while it published: see docs/SOAK.md). Publish order is kept
  /// by `publishing` instead, which only `publish` takes, so a cancelling thread never waits
  /// for it.
  public func publish(_ transfers: [Transfer]) {
    publishing.withLock { _ in
      // The subscribers of the batch's accounts, as they are now. One that subscribes later
      // misses the batch here but reads it from storage: it was committed before publishing.
      let accountIDs = Set(transfers.flatMap { [$0.debitAccountID, $0.creditAccountID] })
      let subscribers = state.withLock { state in
        accountIDs.reduce(into: [AccountID: [UInt64: Continuation]]()) { subscribers, accountID in
          subscribers[accountID] = state.subscribersByAccount[accountID]
        }
      }
      guard !subscribers.isEmpty else { return }
      var ended: [(accountID: AccountID, id: UInt64, continuation: Continuation)] = []
      for transfer in transfers {
        for accountID in [transfer.debitAccountID, transfer.creditAccountID] {
          for (id, continuation) in subscribers[accountID] ?? [:] where !ended.contains(where: { $0.id == id }) {
            if case .enqueued = continuation.yield(transfer) { continue }
            // Full (dropped) or already terminated: this subscriber gets nothing more.
            ended.append((accountID, id, continuation))
          }
        }
      }
      guard !ended.isEmpty else { return }
      for subscriber in ended { remove(subscriber.id, of: subscriber.accountID) }
      // Finishing runs `onTermination`, which takes `state`'s lock: not held here.
      for subscriber in ended { subscriber.continuation.finish() }
    }
  }

  /// Live transfers touching `accountID` from now on; ends when the subscriber stops iterating,
  /// or early when it falls more than ``bufferedTransfersMax`` transfers behind.
  public func subscribe(accountID: AccountID) -> AsyncStream<Transfer> {
    let (stream, continuation) = AsyncStream.makeStream(
      of: Transfer.self, bufferingPolicy: .bufferingOldest(bufferedTransfersMax))
    let id = state.withLock { state in
      state.lastSubscriberID += 1
      state.subscribersByAccount[accountID, default: [:]][state.lastSubscriberID] = continuation
      return state.lastSubscriberID
    }
    continuation.onTermination = { [weak self] _ in self?.remove(id, of: accountID) }
    return stream
  }

  private func remove(_ id: UInt64, of accountID: AccountID) {
    state.withLock { state in
      state.subscribersByAccount[accountID]?[id] = nil
      if state.subscribersByAccount[accountID]?.isEmpty == true { state.subscribersByAccount[accountID] = nil }
    }
  }
}
