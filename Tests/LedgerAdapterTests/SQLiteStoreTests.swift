import LedgerApplication
import Testing

@testable import LedgerSQLite

#if canImport(Glibc)
  import Glibc
#endif

/// The store's lifecycle, PRAGMAs and threading, which only the SQLite adapter has.
@Suite struct SQLiteStoreTests {
  @Test func pragmasAreInEffectOnTheWriterAndTheReaders() async throws {
    try await withSQLiteStore { store, _ in
      let pragmas = ["journal_mode", "synchronous", "foreign_keys", "busy_timeout", "query_only"]
      let writer = try await store.withWriteTransaction { connection in
        try pragmas.map { try connection.scalarText("PRAGMA \($0)") }
      }
      #expect(writer == ["wal", "2", "1", "5000", "0"])
      for _ in 0..<4 {
        let reader = try await store.withReadTransaction { connection in
          try pragmas.map { try connection.scalarText("PRAGMA \($0)") }
        }
        #expect(reader == ["wal", "2", "1", "5000", "1"])
      }
    }
  }

  @Test func aReadTransactionCannotWrite() async throws {
    try await withSQLiteStore { store, _ in
      let error = await #expect(throws: StorageError.self) {
        try await store.withReadTransaction { connection in
          try connection.execute("DELETE FROM accounts")
        }
      }
      #expect(
        error?.message.contains("readonly") == true || error?.message.contains("read-only") == true)
    }
  }

  @Test func callsAfterCloseThrowAndCloseIsIdempotent() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store = try await SQLiteLedgerStore.open(path: directory.file("ledger.sqlite"))
    await store.close()
    await store.close()
    await #expect(throws: StorageError.self) { try await store.withWriteTransaction { _ in 1 } }
    await #expect(throws: StorageError.self) { try await store.withReadTransaction { _ in 1 } }
  }

  @Test func closeCheckpointsTheWriteAheadLog() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("ledger.sqlite")
    let store = try await SQLiteLedgerStore.open(path: path)
    try await store.withWriteTransaction { connection in
      try connection.execute("CREATE TABLE scratch (x INTEGER); INSERT INTO scratch VALUES (1)")
    }
    await store.close()
    var status = stat()
    // After the last connection closes, the WAL is checkpointed and removed (or left empty).
    if stat(path + "-wal", &status) == 0 { #expect(status.st_size == 0) }
  }

  @Test func openingAnUnwritablePathThrowsStorageError() async throws {
    await #expect(throws: StorageError.self) {
      try await SQLiteLedgerStore.open(path: "/nonexistent-directory/ledger.sqlite")
    }
  }

  /// Blocking SQLite work must stay off the cooperative pool (two threads here): with a long
  /// write and long reads in flight, an unrelated task still wakes from a short sleep promptly.
  @Test func longTransactionsDoNotStallTheCooperativePool() async throws {
    try await withSQLiteStore(configuration: .init(readerCount: 2)) { store, _ in
      let holdMicroseconds: useconds_t = 600_000
      try await withThrowingTaskGroup(of: Void.self) { group in
        // Measured from before the work is submitted: if any of it ran on the pool, both pool
        // threads would be stuck in usleep and the sleeping task could not even be resumed.
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<3 {
          group.addTask {
            try await store.withWriteTransaction { _ in _ = usleep(holdMicroseconds) }
          }
          group.addTask {
            try await store.withReadTransaction { _ in _ = usleep(holdMicroseconds) }
          }
        }
        try await Task { try await Task.sleep(for: .milliseconds(10)) }.value
        let elapsed = start.duration(to: clock.now)
        #expect(elapsed < .milliseconds(450), "an unrelated 10 ms sleep took \(elapsed)")
        try await group.waitForAll()
      }
    }
  }
}
