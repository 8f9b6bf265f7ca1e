import LedgerApplication

/// Keeps the write-ahead log short without making commits pay for it.
///
/// SQLite's automatic checkpoint runs inside `COMMIT` on the committing thread: with one serial
/// writer, every few commits one of them stalled while the WAL was copied into the database file
/// and both files were synced. Instead the writer runs with `wal_autocheckpoint=0` and a WAL hook
/// that calls `writerCommitted(frames:connection:)` after each commit, on the writer's thread:
///
/// - at least `thresholdFrames` frames not yet copied into the database file: ask for a
///   `PASSIVE` checkpoint on the checkpointer's own connection and serial queue (a Dispatch
///   thread, never the cooperative pool). Requests are coalesced: at most one checkpoint is
///   queued or running; a request that finds one is dropped, and the next commit asks again.
/// - `frames >= hardLimitFrames`: the writer checkpoints itself, in `RESTART` mode, before its
///   next transaction (see below).
///
/// Counting the frames not yet copied, rather than the WAL's length, matters under sustained
/// load: the WAL then stays long between restarts (see below), and a trigger on its length
/// re-ran a checkpoint after every commit, each copying a few frames and syncing both files
/// (measured: ~145 checkpoints a second in `ledger-bench`). The hook knows the WAL's length;
/// the checkpoints report how far they copied; a length that went down means the WAL restarted
/// and nothing of it is copied yet. This bookkeeping only paces the background checkpoints;
/// the hard limit alone bounds the WAL.
///
/// A background checkpoint that fails (`SQLITE_BUSY` because the writer holds the checkpoint
/// lock, an I/O error) is counted and otherwise ignored: the next request retries.
///
/// ## Why the hard limit is needed, and why RESTART
/// The WAL only starts again from its first frame when a write begins while every frame has
/// been copied and no reader still reads from the WAL. Under sustained load the writer begins
/// its next transaction microseconds after each commit, while a background checkpoint copies
/// frames for milliseconds, so background checkpoints alone rarely catch up and the WAL would
/// grow for as long as the load lasts. Readers also pin it: a checkpoint cannot copy frames
/// newer than the oldest open read snapshot.
///
/// Past the hard limit the writer runs `RESTART`, which copies every remaining frame (few: the
/// background checkpoints copied the rest) and then waits, up to the busy timeout, until no
/// reader uses the WAL, so the very next write restarts the WAL. `PASSIVE` would never wait, but
/// then a reader that began during the checkpoint keeps the WAL from restarting, and with a
/// reader pinning it the WAL grows at full write speed. With `RESTART` the WAL stays within
/// `hardLimitFrames` plus one commit's frames; while a read transaction stays open past the
/// limit, each commit first waits up to the busy timeout for it (backpressure: the WAL then
/// grows by one commit per wait, not at full speed), and the first commit after it ends
/// checkpoints and restarts the WAL. A forced checkpoint first waits for a background one that
/// is running (which holds the checkpoint lock).
///
/// Durability is unchanged: with `synchronous=FULL` every commit still syncs the WAL before it
/// is acknowledged; a checkpoint only copies frames that are already durable, and syncs the
/// database file (both connections run with `synchronous=FULL`) before the WAL may be reused.
///
/// Lifecycle: `stop()` refuses new requests, skips a queued one, waits for a running checkpoint
/// and closes the connection, after which nothing runs on it.
final class WALCheckpointer: Sendable {
  /// The WAL length, in frames, past which a commit asks for a background checkpoint.
  let thresholdFrames: Int
  /// The WAL length, in frames, past which the writer checkpoints itself after a commit.
  let hardLimitFrames: Int
  private let host: ConnectionHost
  private let state: Locked<State>

  private enum Phase {
    /// No checkpoint queued or running.
    case idle
    /// One checkpoint job is on the queue, not started.
    case queued
    /// The checkpoint job is running.
    case running
    /// `stop()` was called: no new job; a queued one is skipped.
    case stopped
  }

  private struct State {
    var phase = Phase.idle
    var statistics = SQLiteLedgerStore.CheckpointStatistics()
    /// The WAL's length at the last commit, as the hook saw it.
    var walFrames = 0
    /// How many of the current WAL's frames a checkpoint reported copied.
    var walFramesCopied = 0
    /// Incremented whenever the hook sees the WAL restart, so a checkpoint that ran across a
    /// restart does not record a count that belongs to the previous WAL.
    var walGeneration = 0
  }

  /// What the hook does after a commit.
  private enum Action {
    case nothing
    case scheduleBackgroundCheckpoint
    case checkpointOnTheWriter
  }

  /// A checkpointer for `host`, whose connection is opened separately.
  init(host: ConnectionHost, thresholdFrames: Int, hardLimitFrames: Int) {
    precondition(
      0 < thresholdFrames && thresholdFrames < hardLimitFrames,
      "thresholdFrames \(thresholdFrames) must be in 1..<hardLimitFrames \(hardLimitFrames)")
    self.host = host
    self.thresholdFrames = thresholdFrames
    self.hardLimitFrames = hardLimitFrames
    state = Locked(State())
  }

  /// The counters so far.
  var statistics: SQLiteLedgerStore.CheckpointStatistics {
    state.withLock { $0.statistics }
  }

  /// The writer's WAL hook: called on the writer's thread after each commit with the frames now
  /// in the WAL. Never throws and never fails the commit.
  func writerCommitted(frames: Int, connection: SQLiteConnection) {
    let action = state.withLock { state -> Action in
      if frames < state.walFrames {
        // Shorter than after the last commit: this commit started the WAL again.
        state.walFramesCopied = 0
        state.walGeneration += 1
      }
      state.walFrames = frames
      if frames >= hardLimitFrames { return .checkpointOnTheWriter }
      guard frames - state.walFramesCopied >= thresholdFrames else { return .nothing }
      switch state.phase {
      case .idle:
        state.phase = .queued
        return .scheduleBackgroundCheckpoint
      case .queued, .running:
        state.statistics.backgroundRequestsCoalesced += 1
        return .nothing
      case .stopped:
        return .nothing
      }
    }
    switch action {
    case .nothing: break
    case .scheduleBackgroundCheckpoint:
      host.submit { [self] connection in runBackgroundCheckpoint(connection) }
    case .checkpointOnTheWriter: forceCheckpoint(connection)
    }
  }

  /// Stops the checkpointer: no new request is accepted, a queued checkpoint is skipped, a
  /// running one finishes, then the connection is closed. Idempotent.
  func stop() async {
    state.withLock { $0.phase = .stopped }
    await host.close()
  }

  /// The job on the checkpointer's queue.
  private func runBackgroundCheckpoint(_ connection: SQLiteConnection?) {
    let generation = state.withLock { state -> Int? in
      guard state.phase == .queued else { return nil }
      guard connection != nil else {
        state.phase = .idle
        return nil
      }
      state.phase = .running
      return state.walGeneration
    }
    guard let generation, let connection else { return }
    let outcome: Result<CheckpointResult, SQLiteError>
    do {
      outcome = .success(try connection.checkpoint(.passive))
    } catch {
      outcome = .failure(error)
    }
    state.withLock { state in
      switch outcome {
      case .success(let result):
        state.statistics.backgroundCheckpoints += 1
        state.statistics.backgroundFramesCheckpointed += result.checkpointedFrames
        if state.walGeneration == generation {
          state.walFramesCopied = max(state.walFramesCopied, result.checkpointedFrames)
        }
      case .failure:
        state.statistics.backgroundFailures += 1
      }
      if state.phase == .running { state.phase = .idle }
    }
  }

  /// The writer's own checkpoint past the hard limit (see the type's comment for the mode).
  private func forceCheckpoint(_ connection: SQLiteConnection) {
    // A running background checkpoint holds the checkpoint lock, and a checkpoint that finds
    // it taken fails at once (SQLite calls no busy handler for it): wait for the background
    // one, which copies most of what this one must. The wait cannot deadlock, since background
    // checkpoints never wait for the writer (PASSIVE takes no lock the writer holds), and no
    // new one can be queued meanwhile (only this thread's hook queues them).
    host.waitForSubmittedJobs()
    let result: CheckpointResult?
    do {
      result = try connection.checkpoint(.restart)
    } catch {
      result = nil
    }
    state.withLock { state in
      if let result {
        state.statistics.forcedCheckpoints += 1
        // No commit can run during the hook, so the WAL is still the one the hook saw.
        state.walFramesCopied = max(state.walFramesCopied, result.checkpointedFrames)
      } else {
        state.statistics.forcedFailures += 1
      }
    }
  }
}
