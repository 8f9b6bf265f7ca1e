import LedgerDomain

/// The accounts and transfers one write transaction touches, held in memory while the batch is
/// validated in arrival order: each transfer sees the effects of the ones before it.
///
/// A value type on purpose: a linked group is applied to a copy and the copy replaces the
/// original only if every item succeeds, which is all "all or nothing" takes.
struct WorkingSet {
  /// Every account the batch names that exists, as of the latest applied transfer.
  private(set) var accounts: [AccountID: Account]
  /// Every transfer the batch names that is stored, plus the ones created so far.
  private(set) var transfers: [TransferID: Transfer]
  /// The sequence the next created transfer gets.
  private(set) var nextSequence: Int64
  /// Transfers created so far, in sequence order.
  private(set) var created: [Transfer] = []
  /// Ids of the accounts changed so far, in the order they first changed.
  private(set) var changedAccountIDs: [AccountID] = []
  private var changedAccountIDSet: Set<AccountID> = []
  /// The commit time every transfer of this batch is stamped with.
  let createdAt: Timestamp

  /// - Parameter expectedTransfers: how many transfers the batch holds, so the collections that
  ///   grow with it are sized once.
  init(
    accounts: [AccountID: Account], transfers: [TransferID: Transfer], lastSequence: Int64, createdAt: Timestamp,
    expectedTransfers: Int = 0
  ) {
    precondition(lastSequence >= 0, "last sequence \(lastSequence) < 0")
    precondition(lastSequence < Int64.max, "the ledger's sequence \(lastSequence) cannot grow")
    self.accounts = accounts
    self.transfers = transfers
    self.transfers.reserveCapacity(transfers.count + expectedTransfers)
    created.reserveCapacity(expectedTransfers)
    changedAccountIDs.reserveCapacity(accounts.count)
    changedAccountIDSet.reserveCapacity(accounts.count)
    nextSequence = lastSequence + 1
    self.createdAt = createdAt
  }

  /// The accounts changed so far, for one `update` call.
  var changedAccounts: [Account] {
    changedAccountIDs.map { id in
      guard let account = accounts[id] else { preconditionFailure("changed account \(id) left the working set") }
      return account
    }
  }

  /// Applies one transfer, or throws without changing anything.
  ///
  /// Order of checks: idempotency first (a retry of a stored transfer succeeds even if its
  /// accounts have since closed), then existence, currency, and the accounts' own rules.
  /// - Returns: `.created` or `.alreadyExisted`.
  /// - Throws: the `LedgerError` the transfer fails with.
  mutating func apply(_ command: TransferCommand) throws(LedgerError) -> TransferOutcome {
    if let existing = transfers[command.id] {
      guard command.matches(existing) else { throw .transferIDConflict(command.id) }
      return .alreadyExisted(existing)
    }
    guard let debit = accounts[command.debitAccountID] else { throw .accountNotFound(command.debitAccountID) }
    guard let credit = accounts[command.creditAccountID] else { throw .accountNotFound(command.creditAccountID) }
    // Debit first, then credit; spelled out so no array is built per transfer.
    if debit.currency != command.currency { throw Self.currencyMismatch(debit, command) }
    if credit.currency != command.currency { throw Self.currencyMismatch(credit, command) }
    let debited = try debit.debited(by: command.amount)
    let credited = try credit.credited(by: command.amount)

    let transfer = command.transfer(sequence: nextSequence, createdAt: createdAt)
    nextSequence += 1
    transfers[transfer.id] = transfer
    created.append(transfer)
    store(debited)
    store(credited)
    assert(debited.balance + credited.balance == debit.balance + credit.balance, "transfer \(command.id) made money")
    return .created(transfer)
  }

  /// Applies a linked group: every item, or none.
  /// - Returns: one outcome per item. When an item fails, it carries its own error, every other
  ///   item `.linkedTransferFailed`, and the working set is as before.
  mutating func applyLinked(_ commands: [TransferCommand]) -> [TransferOutcome] {
    var scratch = self
    var outcomes: [TransferOutcome] = []
    outcomes.reserveCapacity(commands.count)
    for (index, command) in commands.enumerated() {
      do {
        outcomes.append(try scratch.apply(command))
      } catch {
        return Self.linkedFailure(commands, failedIndex: index, error: error)
      }
    }
    self = scratch
    return outcomes
  }

  /// The outcomes of a linked group whose item `failedIndex` failed with `error`.
  static func linkedFailure(_ commands: [TransferCommand], failedIndex: Int, error: LedgerError) -> [TransferOutcome] {
    linkedFailure(transferIDs: commands.map(\.id.rawValue), failedIndex: failedIndex, error: error)
  }

  /// The outcomes of a linked group, by the ids as sent, whose item `failedIndex` failed.
  static func linkedFailure(transferIDs: [String], failedIndex: Int, error: LedgerError) -> [TransferOutcome] {
    precondition(transferIDs.indices.contains(failedIndex), "failed index \(failedIndex) of \(transferIDs.count)")
    let linked = LedgerError.linkedTransferFailed(failedIndex: failedIndex, failedTransferID: transferIDs[failedIndex])
    return transferIDs.indices.map { $0 == failedIndex ? .failed(error) : .failed(linked) }
  }

  private static func currencyMismatch(_ account: Account, _ command: TransferCommand) -> LedgerError {
    .currencyMismatch(account.id, accountCurrency: account.currency, transferCurrency: command.currency)
  }

  private mutating func store(_ account: Account) {
    accounts[account.id] = account
    if changedAccountIDSet.insert(account.id).inserted { changedAccountIDs.append(account.id) }
  }
}
