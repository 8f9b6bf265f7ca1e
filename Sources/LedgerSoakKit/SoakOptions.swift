import LedgerLoadKit

/// Everything a soak run needs to know, with its defaults in one place.
public struct SoakOptions: Sendable, Hashable {
  /// How long each measured phase (BASELINE, ABUSE, RECOVERY) lasts. Default 10 s.
  public var phaseDuration = Duration.seconds(10)
  /// ABUSE + RECOVERY cycles after BASELINE. Default 2: memory is judged by what the second
  /// cycle adds to the first (docs/SOAK.md).
  public var cycles = 2
  /// Legitimate load before the first sample, not measured. Default 2 s.
  public var warmupDuration = Duration.seconds(2)
  /// Legitimate connections, opened before the first phase and kept to the end. Default 4.
  public var connections = 4
  /// Legitimate workers (closed loop) sharing those connections. Default 16.
  public var concurrency = 16
  /// Funded accounts the legitimate transfers move money between. Default 100.
  public var accounts = 100
  /// The server's `--max-connections`, small so the idle flood crosses it. Default 64.
  public var serverConnectionsMax = 64
  /// The server's `--max-message-bytes`, small so crossing it is cheap. Default 64 KiB.
  public var serverMessageBytesMax = 65_536
  /// The server's `--handshake-timeout-seconds`. Default 2 s, so idle handshakes are cut
  /// within a phase.
  public var serverHandshakeTimeout = Duration.seconds(2)
  /// The server's `--frame-timeout-seconds`. Default 2 s, so slowloris connections are cut
  /// within a phase.
  public var serverFrameTimeout = Duration.seconds(2)
  /// `MALLOC_ARENA_MAX` for the server; nil leaves glibc's default (8 per core). Default 1:
  /// with one arena per thread that ever allocated, freed memory stays scattered over up to 16
  /// arenas and RSS keeps a high-water mark that a second cycle of abuse can raise again,
  /// which hides or imitates a leak; one arena shows the program's own memory (docs/SOAK.md).
  public var serverMallocArenas: Int? = 1
  /// The `ledger-server` executable; nil: the one next to this process's executable.
  public var serverBinary: String?
  /// How long the server may take to close every abusive connection once the abusers have
  /// stopped (a peer that does not read is given the frame timeout). Default 15 s.
  public var shedTimeout = Duration.seconds(15)
  /// How often a new legitimate connection is tried during ABUSE and RECOVERY. Default 500 ms.
  public var probeInterval = Duration.milliseconds(500)
  /// The abusers of the ABUSE phase, by name (``SoakRunner/abuserNames``); all by default.
  /// With none, ABUSE is a control phase of legitimate load alone.
  public var abusers = SoakRunner.abuserNames
  /// Keep the temporary directory (database, server log) even when the soak passes.
  public var keepFiles = false
  /// How hard the abusers push (the server limits in it are set from the options above).
  public var abuse = AbuseSettings()
  /// The pass/fail thresholds.
  public var criteria = SoakCriteria()

  /// The defaults.
  public init() {}

  /// The limits and relations between options that a run relies on.
  /// - Throws: `SoakUsageError` naming the first option out of range.
  public func validate() throws(SoakUsageError) {
    if phaseDuration < .milliseconds(500) || phaseDuration > .seconds(3_600) {
      throw SoakUsageError("--seconds must be 0.5...3600")
    }
    if warmupDuration < .zero || warmupDuration > .seconds(3_600) {
      throw SoakUsageError("--warmup-seconds must be 0...3600")
    }
    if let arenas = serverMallocArenas, !(1...64).contains(arenas) {
      throw SoakUsageError("--malloc-arenas must be 1...64 or default")
    }
    if !(2...10).contains(cycles) {
      throw SoakUsageError("--cycles must be 2...10 (a leak is memory that every cycle adds again)")
    }
    if !(1...64).contains(connections) { throw SoakUsageError("--connections must be 1...64") }
    if !(1...1_024).contains(concurrency) { throw SoakUsageError("--concurrency must be 1...1024") }
    if !(2...10_000).contains(accounts) { throw SoakUsageError("--accounts must be 2...10000") }
    if !(8...4_096).contains(serverConnectionsMax) { throw SoakUsageError("--max-connections must be 8...4096") }
    // The legitimate connections and a probe must fit under the limit, with room for abusers.
    if connections + 4 > serverConnectionsMax {
      throw SoakUsageError("--max-connections must be at least --connections + 4")
    }
    if let unknown = abusers.first(where: { !SoakRunner.abuserNames.contains($0) }) {
      throw SoakUsageError("--abusers: '\(unknown)' is not one of \(SoakRunner.abuserNames.joined(separator: ", "))")
    }
    if !(1_024...(16 << 20)).contains(serverMessageBytesMax) {
      throw SoakUsageError("--max-message-bytes must be 1024...16777216")
    }
    let timeouts = [("--handshake-timeout-seconds", serverHandshakeTimeout), ("--frame-timeout-seconds", serverFrameTimeout)]
    for (name, timeout) in timeouts where timeout < .milliseconds(100) || timeout > .seconds(60) {
      throw SoakUsageError("\(name) must be 0.1...60")
    }
  }

  /// The legitimate load's options for `target`.
  func loadOptions(target: String) -> LoadOptions {
    var options = LoadOptions()
    options.targets = [target]
    options.connections = connections
    options.pacing = .closed(workers: concurrency)
    options.mix = WorkloadMix(create: 0, transfer: 8, read: 2, list: 0)
    options.accounts = accounts
    // Every acknowledged transfer is read back after a run of an hour's phases at ~7,000 calls/s.
    options.acknowledgedTransfersMax = 5_000_000
    return options
  }

  /// The abuse settings, with the server's limits filled in.
  var abuseSettings: AbuseSettings {
    var settings = abuse
    settings.serverConnectionsMax = serverConnectionsMax
    settings.serverMessageBytesMax = serverMessageBytesMax
    settings.serverHandshakeTimeout = serverHandshakeTimeout
    settings.serverFrameTimeout = serverFrameTimeout
    return settings
  }
}

/// Bad input to the soak: printed with the usage, exit 64.
public struct SoakUsageError: Error, Sendable, Hashable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
