import Dispatch

/// One SQLite connection confined to its own serial dispatch queue, or to a thread of its own
/// (`JobThread`, for the writer, which runs one commit after another under load).
///
/// This is the only bridge between async callers and blocking SQLite calls: `run` suspends
/// the caller's task with a continuation, the body runs on the queue (a Dispatch thread or the
/// host's own thread, never Swift's cooperative pool), and the continuation is resumed with the
/// outcome. Because the queue is serial, jobs run one at a time in submission order, and a
/// `close()` submitted after some jobs runs after them.
///
/// `@unchecked Sendable` is sound: `connection` is read and written only by blocks running on
/// `queue`, which is serial, so it is never accessed from two threads at once; `queue` and
/// `label` are immutable.
final class ConnectionHost: @unchecked Sendable {
  /// A name for the queue and for error messages ("ledger-sqlite.writer", ...).
  let label: String
  private let queue: Jobs
  /// Only touched on `queue`. Nil before `open` and after `close`.
  private var connection: SQLiteConnection?

  /// A host with no connection yet; call `open` next.
  /// With a `threadName`, the jobs run on a thread started for this host and so named, which
  /// ends after `close()` (or when the host is released); otherwise on a serial dispatch queue.
  init(label: String, threadName: String? = nil) {
    self.label = label
    queue = threadName.map { .thread(JobThread(name: $0)) } ?? .queue(DispatchQueue(label: label))
  }

  deinit {
    queue.finish()
  }

  /// Opens the connection on the queue with `makeConnection`, so even opening (which reads
  /// the file and may run migrations) never blocks the cooperative pool.
  func open(_ makeConnection: @escaping @Sendable () throws -> SQLiteConnection) async throws {
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Void, any Error>) in
      queue.async {
        do {
          self.connection = try makeConnection()
          continuation.resume()
        } catch {
          continuation.resume(throwing: error)
        }
      }
    }
  }

  /// Runs `body` with the connection on the queue and returns its result to the awaiting task.
  /// Throws `SQLiteError` when the connection is closed. The job is not cancellable once
  /// submitted: a write that started must finish with a commit or a rollback.
  func run<Value: Sendable>(
    _ body: @escaping @Sendable (SQLiteConnection) throws -> Value
  ) async throws -> Value {
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Value, any Error>) in
      queue.async {
        continuation.resume(
          with: Result { () throws -> Value in
            guard let connection = self.connection, !connection.isClosed else {
              throw SQLiteError(message: "\(self.label): the store is closed")
            }
            return try body(connection)
          })
      }
    }
  }

  /// Runs `body` on the queue without waiting for it, with the connection, or with nil once the
  /// connection is closed (so no job ever runs on a closed connection, and `body` can still
  /// settle its own bookkeeping). For work nobody awaits, requested from a thread that cannot
  /// suspend: a background checkpoint asked for by the writer's WAL hook.
  func submit(_ body: @escaping @Sendable (SQLiteConnection?) -> Void) {
    queue.async {
      if let connection = self.connection, !connection.isClosed {
        body(connection)
      } else {
        body(nil)
      }
    }
  }

  /// Blocks the calling thread until every job submitted before has finished. Only for another
  /// host's queue (the writer waiting for a background checkpoint): never call it on the
  /// cooperative pool, nor from a job of this host (that would wait for itself), nor while a job
  /// of this host may be waiting for the caller.
  func waitForSubmittedJobs() {
    queue.sync()
  }

  /// Runs `finish` with the connection (e.g. a WAL checkpoint), then closes it, after every job
  /// submitted before. Idempotent.
  func close(_ finish: @escaping @Sendable (SQLiteConnection) -> Void = { _ in }) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      queue.async {
        if let connection = self.connection {
          finish(connection)
          connection.close()
        }
        self.connection = nil
        continuation.resume()
      }
    }
    queue.finish()
  }
}

/// Where a host's jobs run, one at a time in submission order.
private enum Jobs: Sendable {
  case queue(DispatchQueue)
  case thread(JobThread)

  func async(_ job: @escaping @Sendable () -> Void) {
    switch self {
    case .queue(let queue): queue.async(execute: job)
    case .thread(let thread): thread.async(job)
    }
  }

  func sync() {
    switch self {
    case .queue(let queue): queue.sync {}
    case .thread(let thread): thread.sync()
    }
  }

  /// No more jobs are expected (later ones still run).
  func finish() {
    if case .thread(let thread) = self { thread.finish() }
  }
}
