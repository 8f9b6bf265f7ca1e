import LedgerApplication

/// The Ledger's embedded store: one SQLite database file in WAL mode, one writer connection
/// confined to a thread of its own and a few reader connections, each confined to its own
/// serial dispatch queue.
///
/// - Writes (`write`, see `SQLiteLedgerStore+UnitOfWork.swift`) run one at a time on the writer's
///   queue inside `BEGIN IMMEDIATE` ... `COMMIT`; with `synchronous=FULL` the commit returns
///   only once the WAL is on disk.
/// - Reads run on the least busy reader inside `BEGIN` ... `COMMIT`, on a WAL snapshot: they
///   see only committed data and never wait for the writer.
/// - No SQLite call ever runs on Swift's cooperative thread pool: callers suspend on a
///   continuation while the connection's own thread (a Dispatch thread for readers) does the work.
/// - WAL checkpoints run on a dedicated connection and queue, off the writer, once the WAL
///   passes a threshold; past a hard limit the writer checkpoints itself (`WALCheckpointer`).
///
/// Lifecycle: `open(path:configuration:)` creates the file if needed and migrates it;
/// `close()` waits for the work already submitted, stops the checkpointer, checkpoints the WAL
/// and closes every connection. After `close()` every call throws `StorageError`.
public final class SQLiteLedgerStore: Sendable {
  /// Tunables, with their defaults.
  public struct Configuration: Sendable, Hashable {
    /// Reader connections, `1 ... readerCountMax`. Two cover this service's read load on a
    /// two-core machine; each one is a thread when busy.
    public var readerCount: Int
    /// How long a statement waits for a lock held by another connection (a checkpoint, another
    /// process) before failing with a busy error.
    public var busyTimeoutMilliseconds: Int32
    /// The writer's page cache (`PRAGMA cache_size`), in KiB. The writer touches the account
    /// rows, the transfer table's tail and every index on each commit; pages missing from the
    /// cache are read again from the OS page cache (a system call and a copy each), which is
    /// what the 2 MiB SQLite default caused once the database outgrew it.
    public var writerCacheKibibytes: Int
    /// Each reader's page cache, in KiB. Smaller than the writer's: readers are several, each
    /// read touches a few pages, and SQLite drops a reader's whole cache when it begins a read
    /// after any commit of the writer, so a reader's cache rarely fills.
    public var readerCacheKibibytes: Int
    /// How many WAL frames (one page each) not yet copied into the database file make a commit
    /// ask the background checkpointer to copy them.
    public var checkpointThresholdFrames: Int
    /// The WAL length, in frames, past which the writer checkpoints itself (`RESTART`) after a
    /// commit, so the WAL stays within this plus one commit, except while a read transaction
    /// stays open longer than the busy timeout (see `WALCheckpointer`).
    public var checkpointHardLimitFrames: Int
    /// How many account rows the writer keeps between commits, so a group commit does not look
    /// its hot accounts up again (see `AccountRowCache`); 0 turns it off.
    public var writerAccountCacheRows: Int

    /// The most reader connections a store opens.
    public static let readerCountMax = 16
    /// The smallest page cache a connection may be given, in KiB.
    public static let cacheKibibytesMin = 256
    /// The largest page cache a connection may be given, in KiB (1 GiB). Caches are allocated as
    /// pages are used, so the memory bound is `writerCacheKibibytes + readerCount ×
    /// readerCacheKibibytes`: 96 MiB with the defaults, at most 17 GiB with every limit maxed.
    public static let cacheKibibytesMax = 1_048_576
    /// The smallest checkpoint threshold, in frames.
    public static let checkpointThresholdFramesMin = 16
    /// The largest hard limit on the WAL, in frames (4 GiB of WAL at 4 KiB pages).
    public static let checkpointHardLimitFramesMax = 1_048_576
    /// The most account rows the writer may keep (about 2 GiB at ~200 bytes a row).
    public static let writerAccountCacheRowsMax = 10_000_000

    /// - Parameters:
    ///   - readerCount: reader connections, default 2.
    ///   - busyTimeoutMilliseconds: lock wait, default 5,000 ms.
    ///   - writerCacheKibibytes: the writer's page cache, default 65,536 KiB (64 MiB): the hot
    ///     pages of a ledger with millions of transfers (the account table and the indexes'
    ///     upper levels) with room to spare, a small cost on a server.
    ///   - readerCacheKibibytes: each reader's page cache, default 16,384 KiB (16 MiB).
    ///   - checkpointThresholdFrames: default 4,000 frames (about 16 MiB at 4 KiB pages): four
    ///     times SQLite's automatic checkpoint, so checkpoints are fewer and larger, and short
    ///     enough to copy in well under a second.
    ///   - checkpointHardLimitFrames: default 16,000 frames (about 64 MiB), four times the
    ///     threshold: room for several background checkpoints before the writer must step in.
    ///   - writerAccountCacheRows: default 100,000 rows (about 20 MiB).
    public init(
      readerCount: Int = 2, busyTimeoutMilliseconds: Int32 = 5_000,
      writerCacheKibibytes: Int = 65_536, readerCacheKibibytes: Int = 16_384,
      checkpointThresholdFrames: Int = 4_000, checkpointHardLimitFrames: Int = 16_000,
      writerAccountCacheRows: Int = 100_000
    ) {
      self.readerCount = readerCount
      self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
      self.writerCacheKibibytes = writerCacheKibibytes
      self.readerCacheKibibytes = readerCacheKibibytes
      self.checkpointThresholdFrames = checkpointThresholdFrames
      self.checkpointHardLimitFrames = checkpointHardLimitFrames
      self.writerAccountCacheRows = writerAccountCacheRows
    }

    /// Traps with a message naming the value when a field is outside its documented range.
    func validate() {
      precondition(
        (1...Self.readerCountMax).contains(readerCount),
        "readerCount \(readerCount) is outside 1...\(Self.readerCountMax)")
      precondition(busyTimeoutMilliseconds >= 0, "busyTimeoutMilliseconds < 0")
      let caches = Self.cacheKibibytesMin...Self.cacheKibibytesMax
      precondition(
        caches.contains(writerCacheKibibytes),
        "writerCacheKibibytes \(writerCacheKibibytes) is outside \(caches)")
      precondition(
        caches.contains(readerCacheKibibytes),
        "readerCacheKibibytes \(readerCacheKibibytes) is outside \(caches)")
      let threshold = checkpointThresholdFrames
      let hardLimit = checkpointHardLimitFrames
      precondition(
        threshold >= Self.checkpointThresholdFramesMin,
        "checkpointThresholdFrames \(threshold) < \(Self.checkpointThresholdFramesMin)")
      precondition(
        threshold < hardLimit,
        "checkpointThresholdFrames \(threshold) >= checkpointHardLimitFrames \(hardLimit)")
      precondition(
        hardLimit <= Self.checkpointHardLimitFramesMax,
        "checkpointHardLimitFrames \(hardLimit) > \(Self.checkpointHardLimitFramesMax)")
      precondition(
        (0...Self.writerAccountCacheRowsMax).contains(writerAccountCacheRows),
        "writerAccountCacheRows \(writerAccountCacheRows) is outside 0...\(Self.writerAccountCacheRowsMax)")
    }
  }

  /// The database file.
  public let path: String
  /// The configuration it was opened with.
  public let configuration: Configuration

  let writer: ConnectionHost
  let readers: [ConnectionHost]
  /// Background WAL checkpoints, on their own connection and queue.
  let checkpointer: WALCheckpointer
  /// The account rows the unit of work's committed writes read or wrote (see `AccountRowCache`).
  let accountCache: AccountRowCache
  /// In-flight reads per reader (to pick the least busy), and whether the store is closed.
  private let state: Locked<State>

  private struct State {
    var readerLoads: [Int]
    var isClosed = false
  }

  private init(
    path: String, configuration: Configuration, writer: ConnectionHost, readers: [ConnectionHost],
    checkpointer: WALCheckpointer
  ) {
    self.path = path
    self.configuration = configuration
    self.writer = writer
    self.readers = readers
    self.checkpointer = checkpointer
    accountCache = AccountRowCache(capacity: configuration.writerAccountCacheRows)
    state = Locked(State(readerLoads: Array(repeating: 0, count: readers.count)))
  }

  /// Opens the database at `path`, creating the file when it does not exist, applies the
  /// PRAGMAs and the pending migrations, and opens the reader and checkpointer connections.
  ///
  /// Async because opening touches the disk: it runs on the connections' own queues.
  /// - Throws: `StorageError` when the file cannot be opened or created, WAL is refused, a
  ///   migration fails, or the database's schema is newer than this build knows.
  public static func open(
    path: String, configuration: Configuration = Configuration()
  ) async throws -> SQLiteLedgerStore {
    configuration.validate()
    let timeout = configuration.busyTimeoutMilliseconds
    // The writer on a thread of its own: it runs a commit after another under load (JobThread).
    let writer = ConnectionHost(label: "ledger-sqlite.writer", threadName: "ledger-writer")
    let readers = (0..<configuration.readerCount).map {
      ConnectionHost(label: "ledger-sqlite.reader-\($0)")
    }
    let checkpointerHost = ConnectionHost(label: "ledger-sqlite.checkpointer")
    let checkpointer = WALCheckpointer(
      host: checkpointerHost, thresholdFrames: configuration.checkpointThresholdFrames,
      hardLimitFrames: configuration.checkpointHardLimitFrames)
    do {
      // The writer first: it creates the file, switches it to WAL and migrates, so the other
      // connections open an existing WAL database with the full schema.
      let writerCache = configuration.writerCacheKibibytes
      try await writer.open {
        let connection = try SQLiteConnection(path: path, readOnly: false, create: true)
        try connection.applyPragmas(
          role: .writer, busyTimeoutMilliseconds: timeout, cacheKibibytes: writerCache)
        try LedgerSchema.migrator.migrate(connection)
        // Checkpoints move off the commit path: no automatic checkpoint inside COMMIT, a hook
        // that hands them to the checkpointer instead.
        try connection.setWALAutocheckpoint(frames: 0)
        try connection.setWALHook { connection, frames in
          checkpointer.writerCommitted(frames: frames, connection: connection)
        }
        return connection
      }
      let readerCache = configuration.readerCacheKibibytes
      for reader in readers {
        try await reader.open {
          let connection = try SQLiteConnection(path: path, readOnly: false, create: false)
          try connection.applyPragmas(
            role: .reader, busyTimeoutMilliseconds: timeout, cacheKibibytes: readerCache)
          return connection
        }
      }
      try await checkpointerHost.open {
        let connection = try SQLiteConnection(path: path, readOnly: false, create: false)
        // No cache size: a checkpoint copies WAL frames to the file without the page cache.
        try connection.applyPragmas(
          role: .checkpointer, busyTimeoutMilliseconds: timeout, cacheKibibytes: nil)
        // A checkpoint is a no-op on a connection that has not opened the WAL yet, which
        // happens on its first read.
        _ = try connection.scalarText("SELECT count(*) FROM sqlite_schema")
        return connection
      }
    } catch {
      await checkpointer.stop()
      for host in [writer] + readers { await host.close() }
      throw StorageError.converting(error)
    }
    return SQLiteLedgerStore(
      path: path, configuration: configuration, writer: writer, readers: readers,
      checkpointer: checkpointer)
  }

  /// Waits for every read and write already submitted, stops the background checkpointer (after
  /// the checkpoint it may be running; a queued one is skipped), checkpoints the WAL into the
  /// database file (truncating the WAL), finalizes the cached statements and closes all
  /// connections. Idempotent. Calls made after it throw `StorageError`.
  public func close() async {
    state.withLock { $0.isClosed = true }
    for reader in readers { await reader.close() }
    // Before the writer's final checkpoint, which would fail if the checkpointer held the
    // checkpoint lock. Writes still finishing on the writer's queue may ask for a background
    // checkpoint; a stopped checkpointer ignores them.
    await checkpointer.stop()
    await writer.close { connection in
      // Best effort: the data is already durable in the WAL; the checkpoint only spares the
      // next open from replaying it. SQLite also checkpoints when the last connection closes.
      _ = try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
  }

  /// Runs `body` on the writer's queue inside `BEGIN IMMEDIATE` ... `COMMIT` (rolled back when
  /// it throws), with SQLite errors turned into `StorageError`.
  ///
  /// A raw write can change any row, so it empties the writer's account row cache.
  func withWriteTransaction<Value: Sendable>(
    _ body: @escaping @Sendable (SQLiteConnection) throws -> Value
  ) async throws -> Value {
    let accountCache = self.accountCache
    return try await onWriter { connection in
      defer { accountCache.clear() }
      return try connection.transaction("BEGIN IMMEDIATE") { try body(connection) }
    }
  }

  /// Runs `job` on the writer's queue, with SQLite errors turned into `StorageError`.
  func onWriter<Value: Sendable>(
    _ job: @escaping @Sendable (SQLiteConnection) throws -> Value
  ) async throws -> Value {
    try checkOpen()
    do {
      return try await writer.run(job)
    } catch let error as SQLiteError {
      throw StorageError(error)
    }
  }

  /// Runs `body` on the least busy reader inside `BEGIN` ... `COMMIT`, on one WAL snapshot.
  func withReadTransaction<Value: Sendable>(
    _ body: @escaping @Sendable (SQLiteConnection) throws -> Value
  ) async throws -> Value {
    try checkOpen()
    let index = state.withLock { state in
      let index =
        state.readerLoads.indices.min { state.readerLoads[$0] < state.readerLoads[$1] } ?? 0
      state.readerLoads[index] += 1
      return index
    }
    defer { state.withLock { $0.readerLoads[index] -= 1 } }
    do {
      return try await readers[index].run { connection in
        try connection.transaction("BEGIN") { try body(connection) }
      }
    } catch let error as SQLiteError {
      throw StorageError(error)
    }
  }

  private func checkOpen() throws {
    let isClosed = state.withLock { $0.isClosed }
    if isClosed { throw StorageError(message: "the ledger store at \(path) is closed") }
  }
}
