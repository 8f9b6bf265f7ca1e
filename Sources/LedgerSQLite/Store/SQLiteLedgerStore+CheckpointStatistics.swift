extension SQLiteLedgerStore {
  /// What the store's WAL checkpoints did since it opened (see `WALCheckpointer`), for tests and
  /// metrics. Counters only grow; the final checkpoint `close()` runs is not counted.
  public struct CheckpointStatistics: Sendable, Hashable {
    /// Background `PASSIVE` checkpoints that completed (some may have copied nothing new).
    public internal(set) var backgroundCheckpoints = 0
    /// The sum, over background checkpoints, of the WAL frames each one reported as copied into
    /// the database file. SQLite's count includes frames an earlier checkpoint of the same WAL
    /// already copied, so this measures work roughly, not exactly.
    public internal(set) var backgroundFramesCheckpointed = 0
    /// Background checkpoints that failed (`SQLITE_BUSY` while the writer checkpointed, an I/O
    /// error); each was ignored and a later commit asked again.
    public internal(set) var backgroundFailures = 0
    /// Requests for a background checkpoint dropped because one was already queued or running.
    public internal(set) var backgroundRequestsCoalesced = 0
    /// `RESTART` checkpoints the writer ran itself, after a commit that left the WAL past the
    /// hard limit, and that completed.
    public internal(set) var forcedCheckpoints = 0
    /// The writer's own checkpoints that did not complete: a reader kept using the WAL for the
    /// whole busy timeout, or an I/O error.
    public internal(set) var forcedFailures = 0

    /// All zero.
    public init() {}
  }

  /// The WAL checkpoint counters so far.
  public var checkpointStatistics: CheckpointStatistics { checkpointer.statistics }
}
