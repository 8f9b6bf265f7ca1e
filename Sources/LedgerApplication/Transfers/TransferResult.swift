import LedgerDomain

/// What became of one submitted transfer.
public enum TransferOutcome: Sendable, Hashable {
  /// Committed by this request.
  case created(Transfer)
  /// A retry: the transfer was already stored (or created earlier in the same commit) with the
  /// same fields, and is returned as it was; nothing was applied twice.
  case alreadyExisted(Transfer)
  /// Not applied, for this reason.
  case failed(LedgerError)

  /// The committed transfer, unless it failed.
  public var transfer: Transfer? {
    switch self {
    case .created(let transfer), .alreadyExisted(let transfer): transfer
    case .failed: nil
    }
  }

  /// The reason it failed, if it did.
  public var error: LedgerError? {
    if case .failed(let error) = self { error } else { nil }
  }
}

/// The outcome of one transfer of a batch, an import or a session, with the id as the caller
/// sent it (which may be malformed, when that is why it failed).
public struct TransferResult: Sendable, Hashable {
  /// The `transfer_id` from the request.
  public let transferID: String
  /// What became of it.
  public let outcome: TransferOutcome

  /// Pairs an id as sent with its outcome.
  public init(transferID: String, outcome: TransferOutcome) {
    self.transferID = transferID
    self.outcome = outcome
  }
}

/// ImportTransfers' summary.
public struct ImportSummary: Sendable, Hashable {
  /// Transfers received.
  public var received: Int64 = 0
  /// Transfers this import created.
  public var created: Int64 = 0
  /// Transfers that already existed with the same fields (retries), left as they were.
  public var alreadyExisted: Int64 = 0
  /// Transfers that failed.
  public var failed: Int64 = 0
  /// The first failures, in request order, up to ``TransferService/Configuration/importFailuresReportedMax``.
  public var firstFailures: [TransferResult] = []

  /// An empty summary.
  public init() {}

  mutating func record(_ result: TransferResult, failuresReportedMax: Int) {
    received += 1
    switch result.outcome {
    case .created: created += 1
    case .alreadyExisted: alreadyExisted += 1
    case .failed:
      failed += 1
      if firstFailures.count < failuresReportedMax { firstFailures.append(result) }
    }
    assert(received == created + alreadyExisted + failed, "import summary counts disagree: \(self)")
  }
}
