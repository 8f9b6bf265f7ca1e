import LedgerApplication

/// The Ledger's embedded store: one SQLite database file in WAL mode, one writer connection
/// and a few reader connections, each confined to its own serial dispatch queue.
///
/// - Writes (`write`, see `SQLiteLedgerStore+UnitOfWork.swift`) run one at a time on the writer's
///   queue inside `BEGIN IMMEDIATE` ... `COMMIT`; with `synchronous=FULL` the commit returns
///   only once the WAL is on disk.
/// - Reads run on the least busy reader inside `BEGIN` ... `COMMIT`, on a WAL snapshot: they
///   see only committed data and never wait for the writer.
/// - No SQLite call ever runs on Swift's cooperative thread pool: callers suspend on a
///   continuation while a Dispatch thread does the work.
///
/// Lifecycle: `open(path:configuration:)` creates the file if needed and migrates it;
/// `close()` waits for the work already submitted, checkpoints the WAL and closes every
/// connection. After `close()` every call throws `StorageError`.
public final class SQLiteLedgerStore: Sendable {
  /// Tunables, with their defaults.
  public struct Configuration: Sendable, Hashable {
    /// Reader connections, `1 ... readerCountMax`. Two cover this service's read load on a
    /// two-core machine; each one is a thread when busy.
    public var readerCount: Int
    /// How long a statement waits for a lock held by another connection (a checkpoint, another
    /// process) before failing with a busy error.
    public var busyTimeoutMilliseconds: Int32

    /// The most reader connections a store opens.
    public static let readerCountMax = 16

    /// - Parameters:
    ///   - readerCount: reader connections, default 2.
    ///   - busyTimeoutMilliseconds: lock wait, default 5,000 ms.
    public init(readerCount: Int = 2, busyTimeoutMilliseconds: Int32 = 5_000) {
      self.readerCount = readerCount
      self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }
  }

  /// The database file.
  public let path: String
  /// The configuration it was opened with.
  public let configuration: Configuration

  let writer: ConnectionHost
  let readers: [ConnectionHost]
  /// In-flight reads per reader (to pick the least busy), and whether the store is closed.
  private let state: Locked<State>

  private struct State {
    var readerLoads: [Int]
    var isClosed = false
  }

  private init(
    path: String, configuration: Configuration, writer: ConnectionHost, readers: [ConnectionHost]
  ) {
    self.path = path
    self.configuration = configuration
    self.writer = writer
    self.readers = readers
    state = Locked(State(readerLoads: Array(repeating: 0, count: readers.count)))
  }

  /// Opens the database at `path`, creating the file when it does not exist, applies the
  /// PRAGMAs and the pending migrations, and opens the reader connections.
  ///
  /// Async because opening touches the disk: it runs on the connections' own queues.
  /// - Throws: `StorageError` when the file cannot be opened or created, WAL is refused, a
  ///   migration fails, or the database's schema is newer than this build knows.
  public static func open(
    path: String, configuration: Configuration = Configuration()
  ) async throws -> SQLiteLedgerStore {
    precondition(
      (1...Configuration.readerCountMax).contains(configuration.readerCount),
      "readerCount \(configuration.readerCount) is outside 1...\(Configuration.readerCountMax)")
    precondition(configuration.busyTimeoutMilliseconds >= 0, "busyTimeoutMilliseconds < 0")
    let timeout = configuration.busyTimeoutMilliseconds
    let writer = ConnectionHost(label: "ledger-sqlite.writer")
    let readers = (0..<configuration.readerCount).map {
      ConnectionHost(label: "ledger-sqlite.reader-\($0)")
    }
    do {
      // The writer first: it creates the file, switches it to WAL and migrates, so readers
      // open an existing WAL database with the full schema.
      try await writer.open {
        let connection = try SQLiteConnection(path: path, readOnly: false, create: true)
        try connection.applyPragmas(role: .writer, busyTimeoutMilliseconds: timeout)
        try LedgerSchema.migrator.migrate(connection)
        return connection
      }
      for reader in readers {
        try await reader.open {
          let connection = try SQLiteConnection(path: path, readOnly: false, create: false)
          try connection.applyPragmas(role: .reader, busyTimeoutMilliseconds: timeout)
          return connection
        }
      }
    } catch {
      for host in [writer] + readers { await host.close() }
      throw StorageError.converting(error)
    }
    return SQLiteLedgerStore(
      path: path, configuration: configuration, writer: writer, readers: readers)
  }

  /// Waits for every read and write already submitted, checkpoints the WAL into the database
  /// file (truncating the WAL), finalizes the cached statements and closes all connections.
  /// Idempotent. Calls made after it throw `StorageError`.
  public func close() async {
    state.withLock { $0.isClosed = true }
    for reader in readers { await reader.close() }
    await writer.close { connection in
      // Best effort: the data is already durable in the WAL; the checkpoint only spares the
      // next open from replaying it. SQLite also checkpoints when the last connection closes.
      _ = try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
  }

  /// Runs `body` on the writer's queue inside `BEGIN IMMEDIATE` ... `COMMIT` (rolled back when
  /// it throws), with SQLite errors turned into `StorageError`.
  func withWriteTransaction<Value: Sendable>(
    _ body: @escaping @Sendable (SQLiteConnection) throws -> Value
  ) async throws -> Value {
    try checkOpen()
    do {
      return try await writer.run { connection in
        try connection.transaction("BEGIN IMMEDIATE") { try body(connection) }
      }
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
