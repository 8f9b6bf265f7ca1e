import LedgerDomain

/// Moves money and reads it back: creates transfers (one, a linked batch, an import, a
/// session) through the group-commit write path, and reads through snapshot reads that never
/// wait for the writer.
public struct TransferService: Sendable {
  /// The limits the service works within, with their defaults.
  public struct Configuration: Sendable, Hashable {
    /// The most transfers one write transaction holds. Default 1,000.
    public var batchTransfersMax: Int = 1_000
    /// The most transfers in one linked batch. Default 1,000; at most `batchTransfersMax`,
    /// because a linked batch must fit in one transaction.
    public var linkedBatchTransfersMax: Int = 1_000
    /// The most transfers an import or a session keeps submitted but not yet delivered; what
    /// lets one stream fill a group commit. Default 256.
    public var pipelineWindow: Int = 256
    /// Transfers read per history query while a watch catches up. Default 500.
    public var watchHistoryPageSize: Int = 500
    /// Failures an import reports in full. Default 100.
    public var importFailuresReportedMax: Int = 100

    /// The defaults.
    public init() {}

    func checked() -> Configuration {
      precondition(batchTransfersMax >= 1, "batchTransfersMax \(batchTransfersMax) < 1")
      precondition(
        linkedBatchTransfersMax >= 1 && linkedBatchTransfersMax <= batchTransfersMax,
        "linkedBatchTransfersMax \(linkedBatchTransfersMax) must be in 1...batchTransfersMax (\(batchTransfersMax))")
      precondition(pipelineWindow >= 1, "pipelineWindow \(pipelineWindow) < 1")
      precondition(watchHistoryPageSize >= 1, "watchHistoryPageSize \(watchHistoryPageSize) < 1")
      precondition(importFailuresReportedMax >= 0, "importFailuresReportedMax \(importFailuresReportedMax) < 0")
      return self
    }
  }

  let unitOfWork: any UnitOfWork
  let publisher: any TransferEventPublisher
  let committer: GroupCommitter
  let configuration: Configuration

  /// A service reading and writing through `unitOfWork`, stamping transfers with `clock`, and
  /// announcing committed transfers to `publisher` (which also feeds watches).
  public init(
    unitOfWork: any UnitOfWork, clock: any LedgerClock, publisher: any TransferEventPublisher,
    configuration: Configuration = Configuration()
  ) {
    self.configuration = configuration.checked()
    self.unitOfWork = unitOfWork
    self.publisher = publisher
    committer = GroupCommitter(
      unitOfWork: unitOfWork, clock: clock, publisher: publisher,
      batchTransfersMax: configuration.batchTransfersMax)
  }

  /// Moves money, atomically and durably: returns after the commit that holds the transfer.
  ///
  /// Idempotent by transfer id: a retry with the same fields returns the original transfer.
  /// - Throws: the `LedgerError` it failed with (invalid argument, not found, conflict,
  ///   insufficient funds, closed, currency mismatch, same account, overflow); the
  ///   `StorageError` that failed its commit.
  public func create(_ request: TransferRequest) async throws -> Transfer {
    let outcome = try await submitSingle(request)
    switch outcome {
    case .created(let transfer), .alreadyExisted(let transfer): return transfer
    case .failed(let error): throw error
    }
  }

  /// Like ``create(_:)``, but tells a new transfer from a retry and returns failures as values.
  /// - Throws: only the `StorageError` that failed its commit.
  public func submit(_ request: TransferRequest) async throws -> TransferOutcome {
    try await submitSingle(request)
  }

  /// Applies a linked batch, all or nothing, in one commit.
  ///
  /// - Returns: one result per request, in order. If any item fails, it carries its own error
  ///   and every other item `LINKED_TRANSFER_FAILED`, and nothing is applied. Retries of stored
  ///   transfers succeed as `.alreadyExisted`.
  /// - Throws: `LedgerError.invalidArgument` (field `transfers`) unless there are 1 to
  ///   ``Configuration/linkedBatchTransfersMax`` requests; the `StorageError` that failed the commit.
  public func createLinked(_ requests: [TransferRequest]) async throws -> [TransferResult] {
    let max = configuration.linkedBatchTransfersMax
    guard !requests.isEmpty && requests.count <= max else {
      throw LedgerError.invalidArgument(field: "transfers", reason: "must hold 1 to \(max) transfers, got \(requests.count)")
    }
    let ids = requests.map(\.transferID)
    var commands: [TransferCommand] = []
    commands.reserveCapacity(requests.count)
    for (index, request) in requests.enumerated() {
      do {
        commands.append(try request.validated())
      } catch {
        // Malformed input fails the batch before it reaches the write path.
        return results(ids, WorkingSet.linkedFailure(transferIDs: ids, failedIndex: index, error: error))
      }
    }
    return results(ids, try await committer.submit(.linked(commands)))
  }

  /// The transfer with `id`.
  /// - Throws: `LedgerError.transferNotFound`; `StorageError`.
  public func get(_ id: TransferID) async throws -> Transfer {
    try await unitOfWork.read { context in
      guard let transfer = try context.transfers.transfers(withIDs: [id])[id] else {
        throw LedgerError.transferNotFound(id)
      }
      return transfer
    }
  }

  /// One page of an account's transfers (debits and credits) in commit order, optionally within
  /// `fromTime..<toTime`.
  /// - Throws: `LedgerError.accountNotFound`; `.invalidArgument` for a page size outside
  ///   `0...1000` (`page_size`), a foreign or malformed token (`page_token`), or an empty time
  ///   range (`to_unix_nanos`); `StorageError`.
  public func list(_ request: TransferListRequest) async throws -> TransferPage {
    let pageSize = try PageSize.resolve(request.pageSize)
    let afterSequence = try PageToken.transferCursor(request.pageToken, accountID: request.accountID)
    if let from = request.fromTime, let to = request.toTime, to <= from {
      throw LedgerError.invalidArgument(
        field: "to_unix_nanos",
        reason: "must be after from_unix_nanos (\(from.nanosecondsSinceEpoch)), got \(to.nanosecondsSinceEpoch)")
    }
    let query = TransferQuery(
      accountID: request.accountID, afterSequence: afterSequence, fromTime: request.fromTime,
      toTime: request.toTime, limit: pageSize + 1)
    let found = try await unitOfWork.read { context in
      guard try context.accounts.accounts(withIDs: [query.accountID])[query.accountID] != nil else {
        throw LedgerError.accountNotFound(query.accountID)
      }
      return try context.transfers.list(query)
    }
    guard found.count > pageSize else { return TransferPage(transfers: found, nextPageToken: "") }
    let page = Array(found.prefix(pageSize))
    let token = PageToken.transfers(of: request.accountID, after: page[page.count - 1].sequence)
    return TransferPage(transfers: page, nextPageToken: token)
  }

  /// Validates `request` and submits it alone; a malformed request fails without a commit.
  func submitSingle(_ request: TransferRequest) async throws -> TransferOutcome {
    let command: TransferCommand
    do {
      command = try request.validated()
    } catch {
      return .failed(error)
    }
    let outcomes = try await committer.submit(.single(command))
    precondition(outcomes.count == 1, "one outcome for one transfer, got \(outcomes.count)")
    return outcomes[0]
  }

  private func results(_ ids: [String], _ outcomes: [TransferOutcome]) -> [TransferResult] {
    precondition(ids.count == outcomes.count, "\(outcomes.count) outcomes for \(ids.count) transfers")
    return zip(ids, outcomes).map { TransferResult(transferID: $0, outcome: $1) }
  }
}

/// What ``TransferService/list(_:)`` should return.
public struct TransferListRequest: Sendable, Hashable {
  /// The account whose debits and credits to list.
  public var accountID: AccountID
  /// Transfers per page, 1 to 1000; 0 means 100.
  public var pageSize: Int
  /// A previous page's ``TransferPage/nextPageToken``; empty for the first page.
  public var pageToken: String
  /// Only transfers committed at or after this time, if set.
  public var fromTime: Timestamp?
  /// Only transfers committed before this time, if set.
  public var toTime: Timestamp?

  /// A request for one page of `accountID`'s transfers.
  public init(
    accountID: AccountID, pageSize: Int = 0, pageToken: String = "", fromTime: Timestamp? = nil,
    toTime: Timestamp? = nil
  ) {
    self.accountID = accountID
    self.pageSize = pageSize
    self.pageToken = pageToken
    self.fromTime = fromTime
    self.toTime = toTime
  }
}

/// One page of transfers.
public struct TransferPage: Sendable, Hashable {
  /// The transfers, in commit (sequence) order.
  public let transfers: [Transfer]
  /// Pass it back for the next page; empty on the last page.
  public let nextPageToken: String

  /// A page of `transfers`, followed by the page `nextPageToken` names.
  public init(transfers: [Transfer], nextPageToken: String) {
    self.transfers = transfers
    self.nextPageToken = nextPageToken
  }
}
