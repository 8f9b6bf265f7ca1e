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
  public func publish(_ transfers: [Transfer]) {
    let ended = state.withLock { state -> [Continuation] in
      var ended: [Continuation] = []
      for transfer in transfers {
        for accountID in [transfer.debitAccountID, transfer.creditAccountID] {
          guard let subscribers = state.subscribersByAccount[accountID] else { continue }
          for (id, continuation) in subscribers {
            // Yielding under the lock keeps every subscriber's order equal to publish order.
            switch continuation.yield(transfer) {
            case .enqueued: continue
            case .dropped, .terminated:
              state.subscribersByAccount[accountID]?[id] = nil
              ended.append(continuation)
            @unknown default:
              state.subscribersByAccount[accountID]?[id] = nil
              ended.append(continuation)
            }
          }
          if state.subscribersByAccount[accountID]?.isEmpty == true { state.subscribersByAccount[accountID] = nil }
        }
      }
      return ended
    }
    // Outside the lock: finishing runs `onTermination`, which takes the lock.
    for continuation in ended { continuation.finish() }
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
