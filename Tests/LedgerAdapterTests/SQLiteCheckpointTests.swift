import Dispatch
import LedgerApplication
import LedgerDomain
import Testing

@testable import LedgerSQLite

#if canImport(Glibc)
  import Glibc
#endif

/// WAL checkpoints off the writer (`WALCheckpointer`) and the page cache size, on real files.
///
/// The tests shrink the threshold and the hard limit to a few dozen frames so that a few hundred
/// small commits cross them many times in well under a second.
@Suite struct SQLiteCheckpointTests {
  /// Small limits: a background checkpoint past 32 frames, the writer's own past 128.
  static let configuration = SQLiteLedgerStore.Configuration(
    checkpointThresholdFrames: 32, checkpointHardLimitFrames: 128)
  /// More frames than any one test commit writes (a batch of `accountsPerCommit` accounts
  /// touches a few leaf pages of the table and of each index, and their parents).
  static let commitFramesMax = 64
  static let accountsPerCommit = 20

  @Test func sequentialWritesRunBackgroundCheckpointsAndKeepTheWALBounded() async throws {
    try await withSQLiteStore(configuration: Self.configuration) { store, directory in
      let bound = try await Self.walBytesBound(store)
      var largest = 0
      for commit in 0..<150 {
        try await Self.insertAccounts(store, commit: commit)
        largest = max(largest, Self.fileSize(directory.file("ledger.sqlite-wal")))
      }
      #expect(largest <= bound, "the WAL reached \(largest) bytes, more than \(bound)")
      let statistics = store.checkpointStatistics
      #expect(statistics.backgroundCheckpoints > 0, "\(statistics)")
      #expect(statistics.backgroundFramesCheckpointed > 0, "\(statistics)")
      // Paced by the frames not yet copied (a commit writes several frames, a checkpoint waits
      // for 32 new ones), not re-run after every commit while the WAL is long.
      #expect(statistics.backgroundCheckpoints < 150 / 2, "\(statistics)")
      let count = try await store.read { try $0.accounts.list(AccountQuery(limit: 10_000)).count }
      #expect(count == 150 * Self.accountsPerCommit)
    }
  }

  /// Many writers at once keep the single writer busy back to back, the case where background
  /// checkpoints alone never let the WAL restart: the hard limit must hold anyway.
  @Test func concurrentWritesKeepTheWALWithinTheHardLimit() async throws {
    try await withSQLiteStore(configuration: Self.configuration) { store, directory in
      let bound = try await Self.walBytesBound(store)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<8 {
          group.addTask {
            for round in 0..<25 {
              try await Self.insertAccounts(store, commit: writer * 100 + round)
            }
          }
        }
        try await group.waitForAll()
      }
      let size = Self.fileSize(directory.file("ledger.sqlite-wal"))
      #expect(size <= bound, "the WAL reached \(size) bytes, more than \(bound)")
      let statistics = store.checkpointStatistics
      #expect(statistics.backgroundCheckpoints + statistics.forcedCheckpoints > 0, "\(statistics)")
      let count = try await store.read { try $0.accounts.list(AccountQuery(limit: 10_000)).count }
      #expect(count == 8 * 25 * Self.accountsPerCommit)
    }
  }

  /// A read transaction held open pins the WAL: no checkpoint may copy frames newer than its
  /// snapshot, so the WAL must grow. What the design guarantees: writes still succeed; past
  /// the hard limit every commit first tries the writer's RESTART checkpoint (which gives up
  /// after the busy timeout while the reader holds on), and once the reader is gone the next
  /// commit checkpoints everything and the WAL starts again from its beginning.
  @Test func aPinnedReaderSlowsCommitsUntilItEndsThenTheWALRestarts() async throws {
    var configuration = Self.configuration
    configuration.readerCount = 1
    configuration.busyTimeoutMilliseconds = 20
    try await withSQLiteStore(configuration: configuration) { store, directory in
      let wal = directory.file("ledger.sqlite-wal")
      // Before the pin: with it, the only reader is busy until the test releases it.
      let bound = try await Self.walBytesBound(store)
      try await Self.insertAccounts(store, commit: 0)
      let pin = ReaderPin()
      let reader = Task {
        try await store.withReadTransaction { connection in
          _ = try connection.scalarText("SELECT count(*) FROM accounts")
          pin.holdUntilReleased()
        }
      }
      await pin.waitUntilHeld()
      for commit in 1...50 { try await Self.insertAccounts(store, commit: commit) }
      let pinned = store.checkpointStatistics
      #expect(pinned.forcedFailures > 0, "\(pinned)")
      // Past the bound that holds without a pinned reader: it could not hold here.
      #expect(Self.fileSize(wal) > bound)

      pin.release()
      try await reader.value
      // This commit still appends to the long WAL; its hook's checkpoint now completes.
      try await Self.insertAccounts(store, commit: 51)
      let released = store.checkpointStatistics
      #expect(released.forcedCheckpoints > pinned.forcedCheckpoints, "\(released)")
      let releasedSize = Self.fileSize(wal)
      for commit in 52...90 { try await Self.insertAccounts(store, commit: commit) }
      // The WAL restarted from its first frame and never came near its old end again.
      #expect(Self.fileSize(wal) == releasedSize)
      let count = try await store.read { try $0.accounts.list(AccountQuery(limit: 10_000)).count }
      #expect(count == 91 * Self.accountsPerCommit)
    }
  }

  @Test func closeWithCheckpointsPendingThenReopenKeepsEveryCommittedWrite() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("ledger.sqlite")
    let store = try await SQLiteLedgerStore.open(path: path, configuration: Self.configuration)
    for commit in 0..<30 { try await Self.insertAccounts(store, commit: commit) }
    // Writes still in flight while close() runs: their WAL hooks ask a checkpointer that is
    // stopping or stopped. Each write either commits or throws because the store is closed.
    let committed = await withTaskGroup(of: Int.self) { group in
      for commit in 30..<60 {
        group.addTask {
          do {
            try await Self.insertAccounts(store, commit: commit)
            return 1
          } catch {
            return 0
          }
        }
      }
      await store.close()
      return await group.reduce(0, +)
    }
    await store.close()
    #expect(Self.fileSize(path + "-wal") == 0)

    let reopened = try await SQLiteLedgerStore.open(path: path, configuration: Self.configuration)
    let (count, integrity) = try await reopened.withReadTransaction { connection in
      (
        try connection.scalarText("SELECT count(*) FROM accounts"),
        try connection.scalarText("PRAGMA integrity_check")
      )
    }
    await reopened.close()
    #expect(count == String((30 + committed) * Self.accountsPerCommit))
    #expect(integrity == "ok")
  }

  @Test func cacheSizesAndTheAutomaticCheckpointAreSetPerConnection() async throws {
    try await withSQLiteStore { store, _ in
      let writer = try await store.withWriteTransaction { connection in
        try ["cache_size", "wal_autocheckpoint"].map { try connection.scalarText("PRAGMA \($0)") }
      }
      #expect(writer == ["-65536", "0"])
      let reader = try await store.withReadTransaction { try $0.scalarText("PRAGMA cache_size") }
      #expect(reader == "-16384")
    }
    let custom = SQLiteLedgerStore.Configuration(
      writerCacheKibibytes: 8_192, readerCacheKibibytes: 1_024)
    try await withSQLiteStore(configuration: custom) { store, _ in
      let writer = try await store.withWriteTransaction { try $0.scalarText("PRAGMA cache_size") }
      let reader = try await store.withReadTransaction { try $0.scalarText("PRAGMA cache_size") }
      #expect([writer, reader] == ["-8192", "-1024"])
    }
  }

  // MARK: - Helpers

  /// One commit of `accountsPerCommit` new accounts with long labels, numbered by `commit`.
  static func insertAccounts(_ store: SQLiteLedgerStore, commit: Int) async throws {
    let accounts = try (0..<accountsPerCommit).map { index in
      try Fixtures.account(
        "acct-\(commit)-\(index)", label: String(repeating: "x", count: 200))
    }
    try await store.write { context in
      for account in accounts { try context.accounts.insert(account) }
    }
  }

  /// The largest WAL file the hard limit allows: the limit plus one commit, in frames of one
  /// page and a 24-byte frame header, plus the 32-byte file header.
  static func walBytesBound(_ store: SQLiteLedgerStore) async throws -> Int {
    let pageSize = try await store.withReadTransaction { try $0.scalarText("PRAGMA page_size") }
    let frames = store.configuration.checkpointHardLimitFrames + commitFramesMax
    return 32 + frames * (Int(pageSize)! + 24)
  }

  /// The size of the file at `path`, 0 when it does not exist.
  static func fileSize(_ path: String) -> Int {
    var status = stat()
    return stat(path, &status) == 0 ? Int(status.st_size) : 0
  }
}

/// Holds a reader's thread inside its transaction until the test releases it. Blocking that
/// Dispatch thread is the point (it is the reader's own queue, not the cooperative pool).
private final class ReaderPin: Sendable {
  private let held = DispatchSemaphore(value: 0)
  private let released = DispatchSemaphore(value: 0)

  /// On the reader's thread: signal that the snapshot is taken, then wait for `release()`.
  func holdUntilReleased() {
    held.signal()
    released.wait()
  }

  /// Waits for the reader without blocking the cooperative pool: on a Dispatch thread.
  func waitUntilHeld() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      DispatchQueue.global().async {
        self.held.wait()
        continuation.resume()
      }
    }
  }

  func release() { released.signal() }
}
