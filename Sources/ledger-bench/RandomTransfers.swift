import LedgerAPI
import LedgerClient

/// How the benchmark's transfer ids are made. They are the idempotency key, so the ledger keeps
/// a unique index on them, and where a new id falls in that index decides how many of its pages
/// each commit rewrites.
enum TransferIDScheme: String, CaseIterable, Sendable {
  /// `<prefix>-1`, `<prefix>-2`, ... per worker: as many insertion points as workers.
  case lanes
  /// `LedgerClient.newTransferID()`'s ULIDs (milliseconds first, then random bits, like a
  /// UUIDv7): every insertion lands at the end of the index.
  case ordered
  /// 128 random bits in hex (like a UUIDv4): every insertion lands anywhere in the index.
  case random
}

/// The transfers one lane sends: each between two different random funded accounts, for a
/// random amount, with ids made by a ``TransferIDScheme`` from `idPrefix` (unique as long as
/// prefixes are; random ids are unique with overwhelming probability).
struct RandomTransfers {
  private let accounts: [String]
  private let idPrefix: String
  private let idScheme: TransferIDScheme
  private var sent = 0
  // Not SystemRandomNumberGenerator: that is a getrandom system call per number, which
  // showed up as ~1.5 µs of the benchmark's own CPU per transfer.
  private var generator = SplitMix64(seed: .random(in: 0...UInt64.max))

  /// - Precondition: at least two accounts (``BenchOptions/parse(_:)`` checks `--accounts`).
  init(accounts: [String], idPrefix: String, idScheme: TransferIDScheme) {
    precondition(accounts.count >= 2, "transfers need two accounts, got \(accounts.count)")
    self.accounts = accounts
    self.idPrefix = idPrefix
    self.idScheme = idScheme
  }

  /// The next transfer request.
  mutating func next() -> Ledger_V1_CreateTransferRequest {
    sent += 1
    let debit = Int.random(in: 0..<accounts.count, using: &generator)
    var credit = Int.random(in: 0..<(accounts.count - 1), using: &generator)
    if credit >= debit { credit += 1 }
    return Self.transfer(
      nextID(), from: accounts[debit], to: accounts[credit], amount: .random(in: 1...100, using: &generator))
  }

  private mutating func nextID() -> String {
    switch idScheme {
    case .lanes:
      return "\(idPrefix)-\(sent)"
    case .ordered:
      return LedgerClient.newTransferID(using: &generator)
    case .random:
      let high = String(generator.next(), radix: 16)
      let low = String(generator.next(), radix: 16)
      return String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
    }
  }

  /// A USD transfer request.
  static func transfer(_ id: String, from debit: String, to credit: String, amount: Int64)
    -> Ledger_V1_CreateTransferRequest
  {
    var request = Ledger_V1_CreateTransferRequest()
    request.transferID = id
    request.debitAccountID = debit
    request.creditAccountID = credit
    request.amount = amount
    request.currency = "USD"
    return request
  }
}

/// A small, fast pseudo-random generator (SplitMix64) for choosing accounts and amounts: the
/// benchmark needs spread, not unpredictability.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
