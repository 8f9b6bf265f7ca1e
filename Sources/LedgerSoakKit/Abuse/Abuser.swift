import Dispatch

#if canImport(Glibc)
  import Glibc
#endif
import LedgerClient

/// One kind of abusive client. It runs on a thread of its own (its sockets block in `poll`,
/// never on Swift's cooperative pool) until the campaign tells it to stop, closing every
/// connection it holds before it returns, and counts what it did and what the server did to
/// it in the context's tally.
protocol Abuser: Sendable {
  /// A short name for the report, e.g. `idle-flood`.
  var name: String { get }
  /// What it does, in one line.
  var summary: String { get }
  /// The reaction (a prefix of a tally key) that proves the abuse reached the server: if it
  /// never appears, the abuser tested nothing and the soak fails.
  var expectedReaction: String { get }
  /// Abuses the server at `context.port` until `context.stop` is set.
  func run(_ context: AbuseContext)
}

/// What an abuser knows: where the server is, its limits, and the legitimate run's accounts
/// (so watches and transfers name accounts that exist).
struct AbuseContext: Sendable {
  let port: Int
  let settings: AbuseSettings
  let accountIDs: [String]
  /// The currency of those accounts.
  let currency: String
  /// Unique per run, for the ids of the transfers abusers send.
  let runTag: String
  /// The tokens of the run: abusers send the valid one with every call (so their calls reach
  /// the handlers, as a compromised client's would), `bad-tokens` the others.
  let credentials: SoakCredentials
  let tally: AbuseTally
  let stop: StopSignal

  /// One unit between two of the run's accounts (chosen by `index`), with an id no legitimate
  /// call uses.
  func transfer(id: String, index: Int) -> Ledger_V1_CreateTransferRequest {
    var request = Ledger_V1_CreateTransferRequest()
    request.transferID = "soak-\(runTag)-\(id)"
    request.debitAccountID = accountIDs[index % accountIDs.count]
    request.creditAccountID = accountIDs[(index + 1) % accountIDs.count]
    request.amount = 1
    request.currency = currency
    return request
  }

  /// HEADERS opening `streamID` for `path` with the run's valid token.
  func headers(streamID: UInt32, path: String, timeoutMicroseconds: UInt64 = 0, endStream: Bool = false) -> [UInt8] {
    SoakWire.headers(
      streamID: streamID, path: path, timeoutMicroseconds: timeoutMicroseconds,
      authorization: "Bearer \(credentials.valid)", endStream: endStream)
  }

  /// Sleeps for `duration` in short steps; returns early (false) when asked to stop.
  @discardableResult
  func pause(_ duration: Duration) -> Bool {
    let end = ContinuousClock.now + duration
    while !stop.isSet {
      let left = end - .now
      if left <= .zero { return true }
      usleep(useconds_t(min(left, .milliseconds(20)).milliseconds * 1_000))
    }
    return false
  }

  /// Opens a connection, counting it (or the failure).
  func connect(receiveBufferBytes: Int32? = nil) -> RawConnection? {
    switch RawConnection.open(port: port, receiveBufferBytes: receiveBufferBytes) {
    case .success(let connection):
      tally.did("connections opened")
      return connection
    case .failure(let failure):
      tally.saw(failure.name)
      return nil
    }
  }

  /// Reads whatever the given connections have, for at most `duration`, counting every event.
  func drain(_ connections: [RawConnection], for duration: Duration) {
    let end = ContinuousClock.now + duration
    while !stop.isSet {
      let left = end - .now
      guard left > .zero else { return }
      let ready = RawConnection.readable(connections, timeoutMilliseconds: Int32(min(left, .milliseconds(50)).milliseconds))
      for index in ready {
        for event in connections[index].receive() { tally.saw(event) }
      }
    }
  }

  /// Waits on one connection until `done` or `timeout`, counting every event; returns them.
  @discardableResult
  func listen(
    to connection: RawConnection, timeout: Duration, until done: ([ServerEvent]) -> Bool = { _ in false }
  ) -> [ServerEvent] {
    let events = connection.waitForEvents(timeoutMilliseconds: timeout.milliseconds, until: done)
    for event in events { tally.saw(event) }
    return events
  }
}

/// Whether a list of events holds the TRAILERS of `streamID`.
func answered(streamID: UInt32) -> ([ServerEvent]) -> Bool {
  { events in
    events.contains { event in
      if case .trailers(streamID, _) = event { return true }
      return false
    }
  }
}

/// Whether a list of events holds a GOAWAY or the end of the connection.
func connectionEnded(_ events: [ServerEvent]) -> Bool {
  events.contains { event in
    switch event {
    case .goAway, .closed, .reset: return true
    default: return false
    }
  }
}

/// Set once, read by the abusers' threads.
final class StopSignal: Sendable {
  private let value = LockedValue(false)

  var isSet: Bool { value.withLock { $0 } }

  func set() { value.withLock { $0 = true } }
}

/// What one abuser did and what the server did to it, counted by name.
final class AbuseTally: Sendable {
  private let counts = LockedValue((actions: [String: Int](), reactions: [String: Int]()))

  /// Counts something the abuser did, e.g. `connections opened`.
  func did(_ action: String, _ count: Int = 1) {
    guard count > 0 else { return }
    counts.withLock { $0.actions[action, default: 0] += count }
  }

  /// Counts a reaction by its name, e.g. `connect failed: ECONNREFUSED`.
  func saw(_ reaction: String) {
    counts.withLock { $0.reactions[reaction, default: 0] += 1 }
  }

  /// Counts a server event under its name (control frames are not counted).
  func saw(_ event: ServerEvent) {
    guard let name = Self.name(of: event) else { return }
    saw(name)
  }

  /// `GOAWAY PROTOCOL_ERROR: incomplete frame`, `TRAILERS RESOURCE_EXHAUSTED`, `MESSAGE`, ...
  /// GOAWAY messages are cut at their first `: ` and their numbers become `N`, so one kind of
  /// error is one line of the report.
  static func name(of event: ServerEvent) -> String? {
    switch event {
    case .goAway(let code, let message):
      let reason = message.firstRange(of: ": ").map { String(message[..<$0.lowerBound]) } ?? message
      return "GOAWAY \(SoakWire.goAwayCodeName(code)): \(normalized(reason))"
    case .trailers(_, let code): return "TRAILERS \(StatusCode(rawValue: code).name)"
    case .responseHeaders: return nil
    case .message: return "MESSAGE"
    case .control: return nil
    case .malformed(let what): return "malformed reply: \(what)"
    case .closed: return "closed by the server"
    case .reset: return "reset by the server"
    }
  }

  /// `message` with every run of digits replaced by `N`.
  static func normalized(_ message: String) -> String {
    var result = ""
    var inNumber = false
    for character in message {
      if character.isNumber {
        if !inNumber { result.append("N") }
        inNumber = true
      } else {
        result.append(character)
        inNumber = false
      }
    }
    return result
  }

  var snapshot: (actions: [String: Int], reactions: [String: Int]) { counts.withLock { $0 } }
}

/// The outcome of one abuser over the ABUSE phase.
public struct AbuserOutcome: Sendable, Hashable {
  public var name: String
  public var summary: String
  /// What it did, by name: connections opened, streams opened, bytes dripped, ...
  public var actions: [String: Int]
  /// What the server did to it, by name: GOAWAY codes and messages, TRAILERS codes, closes.
  public var reactions: [String: Int]
  /// The reaction that proves the abuse reached the server.
  public var expectedReaction: String

  /// Whether the expected reaction was seen at least once.
  public var reachedTheServer: Bool {
    reactions.contains { $0.key.hasPrefix(expectedReaction) && $0.value > 0 }
  }
}

/// Every abuser, each on its own thread, from `start()` until `stop()`.
final class AbuseCampaign: Sendable {
  private struct Running: Sendable {
    let abuser: any Abuser
    let tally: AbuseTally
  }

  private let running: [Running]
  private let stopSignal = StopSignal()
  private let group = DispatchGroup()
  private let port: Int
  private let settings: AbuseSettings
  private let accountIDs: [String]
  private let currency: String
  private let runTag: String
  private let credentials: SoakCredentials

  init(
    abusers: [any Abuser], port: Int, settings: AbuseSettings, accountIDs: [String], currency: String, runTag: String,
    credentials: SoakCredentials
  ) {
    running = abusers.map { Running(abuser: $0, tally: AbuseTally()) }
    self.port = port
    self.settings = settings
    self.accountIDs = accountIDs
    self.currency = currency
    self.runTag = runTag
    self.credentials = credentials
  }

  /// Starts every abuser on a thread of its own.
  func start() {
    for entry in running {
      let context = AbuseContext(
        port: port, settings: settings, accountIDs: accountIDs, currency: currency, runTag: runTag,
        credentials: credentials, tally: entry.tally, stop: stopSignal)
      group.enter()
      DispatchQueue(label: "ledger-soak.abuser.\(entry.abuser.name)").async { [group] in
        entry.abuser.run(context)
        group.leave()
      }
    }
  }

  /// Tells every abuser to stop, waits until all have closed their connections, and returns
  /// what each did.
  func stop() async -> [AbuserOutcome] {
    stopSignal.set()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      group.notify(queue: .global()) { continuation.resume() }
    }
    return running.map { entry in
      let counts = entry.tally.snapshot
      return AbuserOutcome(
        name: entry.abuser.name, summary: entry.abuser.summary, actions: counts.actions, reactions: counts.reactions,
        expectedReaction: entry.abuser.expectedReaction)
    }
  }
}
