#if canImport(Glibc)
  import Glibc
#endif
import CourierAuth
import CourierCore
import CourierTransport
import LedgerAPI
import LedgerRPC
import LedgerSQLite
import LedgerServerKit

/// Closed-loop transfer load, as unary CreateTransfer calls or over TransferSession streams,
/// against an in-process `LedgerStack` (or a running server).
struct TransferBenchmark {
  let options: BenchOptions

  /// One measured run.
  struct Figures {
    var transfersPerSecond: Double
    var p50Microseconds: Int
    var p99Microseconds: Int
    /// User plus system CPU time of this process per transfer: the whole stack in-process,
    /// the client alone with `--server`. Less sensitive to other load on the machine than
    /// the rate.
    var cpuMicrosecondsPerTransfer: Double
  }

  func run() async throws {
    if let server = options.server {
      guard let endpoint = Endpoint(server) else { throw BenchFailure("--server \(server) is not HOST:PORT") }
      try await measureAll(
        endpoint: endpoint, where: "the server at \(server)" + (options.token == nil ? "" : ", a token on every call"),
        token: options.token, probe: nil)
      return
    }
    let directory = try BenchDirectory()
    defer { directory.remove() }
    var configuration = LedgerServerConfiguration()
    configuration.port = 0
    var token: String?
    if options.authenticate {
      // As a production server runs: every call's token checked against the key ring.
      let key = try TokenKey.generate(id: "ledger-bench")
      configuration.authentication = .keys(try TokenKeyRing([key]))
      token = try TokenSigner(key: key).mint(
        subject: "ledger-bench", scopes: ["ledger.read", "ledger.write"], lifetime: .seconds(86_400))
    } else {
      configuration.authentication = .disabled
    }
    configuration.databasePath = directory.path + "/ledger.sqlite"
    configuration.logLevel = options.logCalls ? .info : .warning
    let logger = Logger(minimumLevel: configuration.logLevel, sink: DiscardingLogSink())
    let store = try await SQLiteLedgerStore.open(path: configuration.databasePath)
    let probe = CommitProbe(wrapping: store)
    // The production wiring, over the probed store (the probe only measures and forwards).
    let stack = try await LedgerStack.start(
      configuration, logger: logger, unitOfWork: probe, closeStore: { await store.close() })
    do {
      try await measureAll(
        endpoint: Endpoint(host: "127.0.0.1", port: stack.port),
        where: "SQLite WAL synchronous=FULL at \(configuration.databasePath), call log "
          + (options.logCalls ? "formatted and discarded" : "off")
          + (token == nil ? ", no authentication" : ", a token checked on every call"),
        token: token,
        probe: probe)
    } catch {
      await stack.shutdown()
      throw error
    }
    await stack.shutdown()
  }

  private func measureAll(endpoint: Endpoint, where description: String, token: String?, probe: CommitProbe?)
    async throws
  {
    let interceptors: [any ClientInterceptor] = token.map { [BearerTokenInterceptor(token: $0)] } ?? []
    // One channel per connection: a channel keeps one connection per endpoint.
    let channels = (0..<options.connections).map { _ in
      CourierChannel(configuration: .init(endpoints: [endpoint], interceptors: interceptors))
    }
    defer { for channel in channels { channel.close() } }
    let clients = channels.map { Ledger_V1_Transfers.Client(wrapping: $0) }
    let accounts = try await fund(Ledger_V1_Accounts.Client(wrapping: channels[0]), clients[0])
    print(
      "ledger-bench: \(accounts.count) funded accounts, \(description), \(options.connections) connection(s), "
        + "\(options.idScheme.rawValue) transfer ids, "
        + "\(options.seconds) s × \(options.runs) runs per level (median)")
    // Transfer ids differ from one invocation to the next, so runs against one server never collide.
    let session = UInt32.random(in: 0...UInt32.max)
    for concurrency in options.concurrencies {
      for mode in options.modes {
        let shape = LoadShape(mode, concurrency: concurrency, window: options.sessionWindow)
        let tag = "\(session)-\(concurrency)-\(mode.rawValue)"
        _ = try await measure(clients, accounts, shape, seconds: options.warmupSeconds, tag: "w\(tag)")
        var runs: [Figures] = []
        _ = probe?.reset()
        for run in 0..<options.runs {
          runs.append(try await measure(clients, accounts, shape, seconds: options.seconds, tag: "r\(tag)-\(run)"))
        }
        report(concurrency, shape, runs, probe?.reset())
      }
    }
  }

  /// Opens `accountCount` no-overdraft accounts and funds each from an overdraft `bank`, in
  /// linked batches of up to 1,000.
  private func fund(_ accounts: Ledger_V1_Accounts.Client, _ transfers: Ledger_V1_Transfers.Client) async throws -> [String] {
    var bank = Ledger_V1_CreateAccountRequest()
    bank.accountID = "bank"
    bank.currency = "USD"
    _ = try await accounts.createAccount(bank)
    let ids = (0..<options.accountCount).map { "acct-\($0)" }
    for id in ids {
      var request = Ledger_V1_CreateAccountRequest()
      request.accountID = id
      request.currency = "USD"
      request.noOverdraft = true
      _ = try await accounts.createAccount(request)
    }
    for start in stride(from: 0, to: ids.count, by: 1_000) {
      var batch = Ledger_V1_CreateTransfersRequest()
      batch.transfers = ids[start..<min(start + 1_000, ids.count)].map { id in
        RandomTransfers.transfer("fund-\(id)", from: "bank", to: id, amount: 1_000_000_000_000)
      }
      let results = try await transfers.createTransfers(batch).results
      guard results.allSatisfy({ $0.errorCode == .unspecified }) else {
        throw BenchFailure("funding failed: \(results.first { $0.errorCode != .unspecified }?.errorMessage ?? "")")
      }
    }
    return ids
  }

  /// Runs `shape` for `seconds` and measures it. Transfer ids start with `tag`, then the lane.
  private func measure(
    _ clients: [Ledger_V1_Transfers.Client], _ accounts: [String], _ shape: LoadShape, seconds: Int, tag: String
  ) async throws -> Figures {
    let clock = ContinuousClock()
    let cpuStart = Self.processCPUMicroseconds()
    let start = clock.now
    let end = start + .seconds(seconds)
    let latencies = try await withThrowingTaskGroup(of: [UInt32].self) { group in
      for lane in 0..<shape.laneCount {
        let client = clients[lane % clients.count]
        let transfers = RandomTransfers(accounts: accounts, idPrefix: "\(tag)-\(lane)", idScheme: options.idScheme)
        switch shape {
        case .unary:
          group.addTask { try await Self.unaryLane(client, transfers, until: end) }
        case .session(let windows):
          let stream = SessionLane(client: client, window: windows[lane], end: end)
          group.addTask { try await stream.run(transfers) }
        }
      }
      var all: [UInt32] = []
      for try await samples in group { all += samples }
      return all
    }
    let elapsed = Double(Self.microseconds(clock.now - start)) / 1e6
    let cpu = Double(Self.processCPUMicroseconds() - cpuStart)
    let sorted = latencies.sorted()
    func percentile(_ fraction: Double) -> Int {
      sorted.isEmpty ? 0 : Int(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))])
    }
    return Figures(
      transfersPerSecond: Double(sorted.count) / elapsed, p50Microseconds: percentile(0.5),
      p99Microseconds: percentile(0.99), cpuMicrosecondsPerTransfer: cpu / Double(max(1, sorted.count)))
  }

  /// One worker: sends a transfer and waits for it, until `end`; returns the latencies in µs.
  private static func unaryLane(
    _ client: Ledger_V1_Transfers.Client, _ transfers: RandomTransfers, until end: ContinuousClock.Instant
  ) async throws -> [UInt32] {
    let clock = ContinuousClock()
    var transfers = transfers
    var samples: [UInt32] = []
    samples.reserveCapacity(65_536)
    while clock.now < end {
      let request = transfers.next()
      let before = clock.now
      _ = try await client.createTransfer(request)
      samples.append(UInt32(clamping: microseconds(clock.now - before)))
    }
    return samples
  }

  /// User plus system CPU time this process has used so far, in microseconds (`getrusage`).
  static func processCPUMicroseconds() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec
  }

  private func report(_ concurrency: Int, _ shape: LoadShape, _ runs: [Figures], _ commits: CommitProbe.Totals?) {
    let median = runs.sorted { $0.transfersPerSecond < $1.transfersPerSecond }[runs.count / 2]
    let rates = runs.map { String(Int($0.transfersPerSecond)) }.joined(separator: ", ")
    let cpuMedian = runs.map(\.cpuMicrosecondsPerTransfer).sorted()[runs.count / 2]
    print(
      "c=\(concurrency) \(shape.label): \(Int(median.transfersPerSecond)) transfers/s  p50 \(median.p50Microseconds) µs  "
        + "p99 \(median.p99Microseconds) µs  (runs: \(rates))  cpu \(Int(cpuMedian.rounded())) µs/transfer "
        + (options.server == nil ? "(whole process, median)" : "(this client only, median)"))
    if let commits {
      let writes = max(1, commits.writes)
      print(
        "      write path: \(commits.writes) commits, \(commits.transfersInserted / writes) transfers/commit, "
          + "\(commits.workNanoseconds / Int64(writes) / 1_000) µs applying + "
          + "\((commits.writeNanoseconds - commits.workNanoseconds) / Int64(writes) / 1_000) µs around it "
          + "(BEGIN, COMMIT + fsync, queue hops) per commit")
    }
    if options.json {
      let streams = shape.mode == .session ? "\"streams\":\(shape.laneCount)," : ""
      print(
        "{\"benchmark\":\"ledger-create-transfer\",\"mode\":\"\(shape.mode.rawValue)\",\(streams)\"concurrency\":\(concurrency),"
          + "\"transfers_per_second\":\(Int(median.transfersPerSecond)),\"p50_us\":\(median.p50Microseconds),"
          + "\"p99_us\":\(median.p99Microseconds),\"cpu_us_per_transfer\":\(Int(cpuMedian.rounded()))}")
    }
  }

  static func microseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds) * 1_000_000 + Int(duration.components.attoseconds / 1_000_000_000_000)
  }
}

/// Formats nothing further and writes nothing: the logger has already built the line, which
/// is the cost the benchmark should include; terminal output is not.
struct DiscardingLogSink: LogSink {
  func write(line: String) {}
}

struct BenchFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// A temporary directory for the database, removed afterwards.
struct BenchDirectory {
  let path: String

  init() throws {
    var template = Array("/tmp/ledger-bench-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
      guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
      return String(cString: result)
    }
    guard let made else { throw BenchFailure("mkdtemp failed: errno \(errno)") }
    path = made
  }

  func remove() {
    for name in ["ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm"] { unlink(path + "/" + name) }
    rmdir(path)
  }
}
