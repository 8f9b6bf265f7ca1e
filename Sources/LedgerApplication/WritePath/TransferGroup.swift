import LedgerDomain

/// What one caller submits to the write path: a transfer on its own, or a linked batch that
/// applies all or nothing.
enum TransferGroup: Sendable {
  /// One transfer; if it fails, it fails alone.
  case single(TransferCommand)
  /// A linked batch, in order: every item applies or none does.
  case linked([TransferCommand])

  var commands: [TransferCommand] {
    switch self {
    case .single(let command): [command]
    case .linked(let commands): commands
    }
  }

  var count: Int {
    switch self {
    case .single: 1
    case .linked(let commands): commands.count
    }
  }
}

/// The outcomes of one write transaction: per group, per item, in submission order; and the
/// transfers it created, in sequence order (what gets published once it commits).
struct BatchOutcome: Sendable {
  var outcomesByGroup: [[TransferOutcome]]
  var created: [Transfer]
}
