import LedgerDomain

/// One write transaction of the group commit: loads what the groups name with one query per
/// kind of row, applies the groups in arrival order, and writes the result back with one
/// insert and one update.
enum TransferBatch {
  /// Runs inside `UnitOfWork.write`; the unit of work commits after it returns.
  ///
  /// - Returns: per group, one outcome per item; domain failures are outcomes, not errors.
  /// - Throws: only what the repositories throw (the whole batch then fails and rolls back).
  static func apply(_ groups: [TransferGroup], in context: any RepositoryContext, createdAt: Timestamp) throws
    -> BatchOutcome
  {
    // The ids each kind of row is looked up by, without duplicates. Not sorted: the
    // repositories answer with dictionaries, and sorting strings on every commit showed up in
    // the writer's profile.
    var accountIDs = Set<AccountID>(minimumCapacity: 2 * groups.count)
    var transferIDs = Set<TransferID>(minimumCapacity: groups.count)
    func collect(_ command: TransferCommand) {
      accountIDs.insert(command.debitAccountID)
      accountIDs.insert(command.creditAccountID)
      transferIDs.insert(command.id)
    }
    for group in groups {
      switch group {
      case .single(let command): collect(command)
      case .linked(let commands): for command in commands { collect(command) }
      }
    }
    var working = WorkingSet(
      accounts: try context.accounts.accounts(withIDs: Array(accountIDs)),
      transfers: try context.transfers.transfers(withIDs: Array(transferIDs)),
      lastSequence: try context.transfers.lastSequence(),
      createdAt: createdAt, expectedTransfers: transferIDs.count)

    var outcomesByGroup: [[TransferOutcome]] = []
    outcomesByGroup.reserveCapacity(groups.count)
    for group in groups {
      switch group {
      case .single(let command):
        do {
          outcomesByGroup.append([try working.apply(command)])
        } catch {
          outcomesByGroup.append([.failed(error)])
        }
      case .linked(let commands):
        outcomesByGroup.append(working.applyLinked(commands))
      }
    }

    if !working.created.isEmpty { try context.transfers.insert(working.created) }
    let changed = working.changedAccounts
    if !changed.isEmpty { try context.accounts.update(changed) }
    assert(zip(groups, outcomesByGroup).allSatisfy { $0.count == $1.count }, "an outcome per item")
    return BatchOutcome(outcomesByGroup: outcomesByGroup, created: working.created)
  }
}
