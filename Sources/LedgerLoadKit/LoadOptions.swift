/// Everything a load run needs to know, with its defaults and limits in one place.
public struct LoadOptions: Sendable, Hashable {
  /// How calls are paced.
  public enum Pacing: Sendable, Hashable {
    /// `workers` loops, each sending its next call when the previous one has answered.
    case closed(workers: Int)
    /// `callsPerSecond` calls on a fixed schedule, at most `inFlightMax` outstanding.
    case open(callsPerSecond: Double, inFlightMax: Int)
  }

  /// When the run stops.
  public enum Stop: Sendable, Hashable {
    /// After this long.
    case duration(Duration)
    /// After this many calls have been started.
    case calls(Int)
  }

  /// How transfers travel.
  public enum Mode: String, Sendable, Hashable {
    /// One CreateTransfer call per transfer (with the rest of the mix).
    case unary
    /// Transfers pipelined over TransferSession streams, one per worker.
    case session
  }

  /// The servers, `host:port` each; calls are balanced round-robin across them.
  public var targets: [String] = []
  /// Channels opened (each holds one connection per target); workers share them round-robin.
  public var connections = 1
  public var pacing = Pacing.closed(workers: 16)
  public var stop = Stop.duration(.seconds(10))
  public var mix = WorkloadMix()
  /// Share of transfers (0...1) that touch one of the hot accounts.
  public var hotShare = 0.0
  /// How many of the funded accounts are hot.
  public var hotAccounts = 3
  public var mode = Mode.unary
  /// Funded no-overdraft accounts the transfers move money between.
  public var accounts = 100
  /// The currency of every account and transfer of the run.
  public var currency = "USD"
  /// Requests in flight per TransferSession stream in session mode.
  public var sessionWindow = 32
  /// Acknowledged transfers remembered for the post-run check (beyond it, a count only).
  public var acknowledgedTransfersMax = 200_000
  /// With more than 1,000 accounts, the acknowledged transfers read back one by one after the
  /// run (a random sample beyond it); with fewer, all are found by listing.
  public var transfersVerifiedMax = 5_000
  /// Whether to check the ledger's invariants after the run.
  public var checkInvariants = true
  /// Per-call deadline.
  public var callTimeout = Duration.seconds(10)
  /// Sent as `authorization: Bearer <token>` with every call, for servers that authenticate.
  public var token: String?
  /// Consecutive UNAVAILABLE failures after which the run is abandoned (the server is gone).
  public var unavailableFailuresMax = 64

  /// The defaults.
  public init() {}

  /// The limits and relations between options that a run relies on.
  /// - Throws: `LoadUsageError` naming the first option out of range.
  public func validate() throws(LoadUsageError) {
    if targets.isEmpty { throw LoadUsageError("at least one --target HOST:PORT is required") }
    if !(1...1_024).contains(connections) { throw LoadUsageError("--connections must be 1...1024") }
    switch pacing {
    case .closed(let workers):
      if !(1...10_000).contains(workers) { throw LoadUsageError("--concurrency must be 1...10000") }
    case .open(let rate, let inFlightMax):
      if !(rate > 0 && rate <= 1_000_000) { throw LoadUsageError("--rate must be in (0, 1000000]") }
      if !(1...100_000).contains(inFlightMax) { throw LoadUsageError("--max-in-flight must be 1...100000") }
      if mode == .session { throw LoadUsageError("--mode session runs closed loop only (use --concurrency)") }
    }
    switch stop {
    case .duration(let duration):
      if duration <= .zero || duration > .seconds(86_400) { throw LoadUsageError("--duration must be in (0, 24h]") }
    case .calls(let calls):
      if calls < 1 { throw LoadUsageError("--calls must be at least 1") }
    }
    if mix.total == 0 { throw LoadUsageError("--mix needs at least one positive weight") }
    if !(0...1).contains(hotShare) { throw LoadUsageError("--hot-share must be 0...1") }
    if !(2...1_000_000).contains(accounts) { throw LoadUsageError("--accounts must be 2...1000000") }
    if hotShare > 0 && !(1..<accounts).contains(hotAccounts) {
      throw LoadUsageError("--hot-accounts must be 1...\(accounts - 1) (fewer than --accounts)")
    }
    if currency.utf8.count != 3 || !currency.utf8.allSatisfy({ (65...90).contains($0) }) {
      throw LoadUsageError("--currency must be three capital letters, e.g. USD")
    }
    if !(1...10_000).contains(sessionWindow) { throw LoadUsageError("--session-window must be 1...10000") }
  }
}

/// The relative weights of the operations a unary run draws from.
public struct WorkloadMix: Sendable, Hashable {
  public var create = 1
  public var transfer = 8
  public var read = 1
  public var list = 0

  /// The default mix: create=1, transfer=8, read=1, list=0.
  public init() {}

  public init(create: Int, transfer: Int, read: Int, list: Int) {
    self.create = create
    self.transfer = transfer
    self.read = read
    self.list = list
  }

  /// The sum of the weights.
  public var total: Int { create + transfer + read + list }

  /// The operation drawn by `roll` in `0..<total`.
  public func operation(forRoll roll: Int) -> Operation {
    precondition(roll >= 0 && roll < total, "roll \(roll) is outside 0..<\(total)")
    if roll < create { return .createAccount }
    if roll < create + transfer { return .transfer }
    if roll < create + transfer + read { return .read }
    return .list
  }

  /// Parses `create=1,transfer=8,read=1,list=0`; names left out weigh 0.
  /// - Throws: `LoadUsageError` for an unknown name or a weight that is not a non-negative integer.
  public static func parse(_ text: String) throws(LoadUsageError) -> WorkloadMix {
    var mix = WorkloadMix(create: 0, transfer: 0, read: 0, list: 0)
    for part in text.split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
      guard pair.count == 2, let weight = Int(pair[1]), (0...1_000_000).contains(weight) else {
        throw LoadUsageError("--mix entry '\(part)' is not NAME=WEIGHT")
      }
      switch pair[0] {
      case "create": mix.create = weight
      case "transfer": mix.transfer = weight
      case "read": mix.read = weight
      case "list": mix.list = weight
      default: throw LoadUsageError("--mix name '\(pair[0])' is not one of create, transfer, read, list")
      }
    }
    return mix
  }

  /// `create=1,transfer=8,read=1,list=0`.
  public var description: String { "create=\(create),transfer=\(transfer),read=\(read),list=\(list)" }
}

/// One kind of call the harness makes.
public enum Operation: String, Sendable, Hashable, CaseIterable {
  /// CreateAccount of a fresh account.
  case createAccount = "create"
  /// CreateTransfer (or one TransferSession item).
  case transfer
  /// GetAccount or GetTransfer.
  case read
  /// ListAccounts or ListTransfers.
  case list
}

/// Bad input to the harness: the message is printed with the usage, and the exit code is 64.
public struct LoadUsageError: Error, Sendable, Hashable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
