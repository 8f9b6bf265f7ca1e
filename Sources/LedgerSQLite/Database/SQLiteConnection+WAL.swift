import CSQLite

/// How a checkpoint treats the other connections (`sqlite3_wal_checkpoint_v2`'s mode).
enum CheckpointMode: Sendable, CustomStringConvertible {
  /// Copies as many WAL frames into the database file as it can without waiting for anyone:
  /// frames a reader's snapshot still needs stay in the WAL. Never calls the busy handler.
  case passive
  /// Waits (busy handler) for the writer, copies every frame, then waits until no reader uses
  /// the WAL, so the next write starts the WAL again from its first frame.
  case restart
  /// `restart`, and then truncates the WAL file to zero bytes.
  case truncate

  /// The `SQLITE_CHECKPOINT_*` value.
  var sqliteMode: Int32 {
    switch self {
    case .passive: SQLITE_CHECKPOINT_PASSIVE
    case .restart: SQLITE_CHECKPOINT_RESTART
    case .truncate: SQLITE_CHECKPOINT_TRUNCATE
    }
  }

  var description: String {
    switch self {
    case .passive: "PASSIVE"
    case .restart: "RESTART"
    case .truncate: "TRUNCATE"
    }
  }
}

/// What a checkpoint reported.
struct CheckpointResult: Sendable, Equatable {
  /// Frames in the WAL when the checkpoint ended.
  let logFrames: Int
  /// Frames of those that are now in the database file, including the ones an earlier
  /// checkpoint of the same WAL had already copied.
  let checkpointedFrames: Int
}

/// The Swift side of one connection's `sqlite3_wal_hook`: SQLite calls a C function with a raw
/// pointer to this object, which forwards to `handler`.
///
/// Lifetime: the connection holds the only strong reference (`SQLiteConnection.walHook`) and
/// unregisters the C hook before dropping it, so the pointer SQLite holds is valid whenever
/// SQLite can call it. `connection` is unowned for the same reason: the hook only fires inside
/// a call on that connection, which is therefore alive.
final class WALHook {
  unowned let connection: SQLiteConnection
  let handler: (SQLiteConnection, Int) -> Void

  init(connection: SQLiteConnection, handler: @escaping (SQLiteConnection, Int) -> Void) {
    self.connection = connection
    self.handler = handler
  }
}

extension SQLiteConnection {
  /// Sets SQLite's automatic checkpoint to run after a commit leaves `frames` or more frames in
  /// the WAL; 0 turns it off. Replaces any hook `setWALHook` registered (SQLite implements the
  /// automatic checkpoint as a WAL hook), so call it first.
  func setWALAutocheckpoint(frames: Int32) throws(SQLiteError) {
    let database = try database()
    let result = sqlite3_wal_autocheckpoint(database, frames)
    guard result == SQLITE_OK else {
      throw SQLiteError(result, "set wal_autocheckpoint", database: database)
    }
  }

  /// Registers `handler` to run after every commit that wrote to the WAL, on the thread that
  /// committed, with the number of frames now in the WAL (including the ones just committed).
  /// Replaces SQLite's automatic checkpoint and any earlier handler.
  ///
  /// The handler runs while `COMMIT` is still stepping but after the commit is durable and its
  /// locks are released; it may call `checkpoint` on the connection it is given (SQLite's own
  /// automatic checkpoint does exactly that), and must not run other statements on it.
  func setWALHook(_ handler: @escaping (SQLiteConnection, Int) -> Void) throws(SQLiteError) {
    let database = try database()
    let hook = WALHook(connection: self, handler: handler)
    sqlite3_wal_hook(
      database,
      { context, _, _, frames in
        guard let context else { return SQLITE_OK }
        let hook = Unmanaged<WALHook>.fromOpaque(context).takeUnretainedValue()
        hook.handler(hook.connection, Int(frames))
        // Anything but SQLITE_OK would make the COMMIT report an error for a commit that
        // happened: the handler reports its own failures elsewhere.
        return SQLITE_OK
      }, Unmanaged.passUnretained(hook).toOpaque())
    // Stored after registering, so the previous hook (if any) is released only once SQLite no
    // longer points to it.
    walHook = hook
  }

  /// Checkpoints the WAL of the main database in `mode` and reports how far it got.
  /// - Throws: `SQLiteError` with `SQLITE_BUSY` when another connection is checkpointing, or a
  ///   `restart`/`truncate` gave up waiting for the writer or the readers (busy timeout); it
  ///   still copied what it could, like `passive`. Any other SQLite failure.
  func checkpoint(_ mode: CheckpointMode) throws(SQLiteError) -> CheckpointResult {
    let database = try database()
    var logFrames: Int32 = 0
    var checkpointedFrames: Int32 = 0
    let result = sqlite3_wal_checkpoint_v2(
      database, "main", mode.sqliteMode, &logFrames, &checkpointedFrames)
    guard result == SQLITE_OK else {
      throw SQLiteError(result, "wal_checkpoint(\(mode))", database: database)
    }
    return CheckpointResult(
      logFrames: Int(logFrames), checkpointedFrames: Int(checkpointedFrames))
  }
}
