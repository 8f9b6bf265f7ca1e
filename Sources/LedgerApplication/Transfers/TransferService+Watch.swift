import LedgerDomain

extension TransferService {
  /// Delivers `accountID`'s transfers with a sequence after `afterSequence`, first from storage,
  /// then live as they commit, until the calling task is cancelled (then it returns normally).
  ///
  /// No gap and no duplicate: it subscribes to the publisher *before* reading history, so a
  /// transfer that commits while history is being read is in the subscription; live transfers
  /// with a sequence at or below the last one delivered are skipped. If the publisher ends the
  /// subscription because the caller fell behind, the watch subscribes again and catches up from
  /// storage the same way, so a slow caller is paced by storage reads instead of buffering.
  ///
  /// - Parameter deliver: called once per transfer, in sequence order; throwing ends the watch.
  /// - Throws: `LedgerError.accountNotFound`; `.invalidArgument` (field `after_sequence`) when
  ///   `afterSequence < 0`; what `deliver` throws; `StorageError`.
  public func watch(
    accountID: AccountID, afterSequence: Int64, deliver: (Transfer) async throws -> Void
  ) async throws {
    guard afterSequence >= 0 else {
      throw LedgerError.invalidArgument(field: "after_sequence", reason: "must not be negative, got \(afterSequence)")
    }
    try await requireAccount(accountID)
    var lastDelivered = afterSequence
    while !Task.isCancelled {
      let live = publisher.subscribe(accountID: accountID)
      lastDelivered = try await deliverHistory(of: accountID, after: lastDelivered, deliver: deliver)
      for await transfer in live where transfer.sequence > lastDelivered {
        try await deliver(transfer)
        lastDelivered = transfer.sequence
      }
      // The live stream ended: either this task was cancelled (the loop ends) or the publisher
      // dropped a subscriber that fell behind (catch up from storage and carry on).
    }
  }

  /// Delivers every stored transfer of `accountID` after `sequence`, a page at a time.
  /// - Returns: the sequence of the last transfer delivered (`sequence` if none).
  private func deliverHistory(
    of accountID: AccountID, after sequence: Int64, deliver: (Transfer) async throws -> Void
  ) async throws -> Int64 {
    let pageSize = configuration.watchHistoryPageSize
    var lastDelivered = sequence
    while !Task.isCancelled {
      let query = TransferQuery(accountID: accountID, afterSequence: lastDelivered, limit: pageSize)
      let page = try await unitOfWork.read { context in try context.transfers.list(query) }
      for transfer in page {
        assert(transfer.sequence > lastDelivered, "history out of order: \(transfer.sequence) after \(lastDelivered)")
        try await deliver(transfer)
        lastDelivered = transfer.sequence
      }
      if page.count < pageSize { break }
    }
    return lastDelivered
  }

  private func requireAccount(_ accountID: AccountID) async throws {
    let exists = try await unitOfWork.read { context in
      try context.accounts.accounts(withIDs: [accountID])[accountID] != nil
    }
    guard exists else { throw LedgerError.accountNotFound(accountID) }
  }
}
