import Dispatch

/// Runs tasks on a connection's serial Dispatch queue.
///
/// Handlers of a connection's calls prefer this executor, so a request parsed on the queue is
/// handled on the same thread right after, and its response written inline: no wake-up of
/// another thread between reading a request and writing its response. Handlers must not block
/// (the rule for any async code): connection queues share Dispatch's CPU-bounded pool with
/// Swift's tasks (`connectionQueueTarget`), so a blocked handler holds one of a few threads
/// that every connection needs.
final class QueueExecutor: TaskExecutor {
  let queue: DispatchQueue

  init(queue: DispatchQueue) {
    self.queue = queue
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    // Run as a task executor only, not as a serial executor: a job isolated to a serial
    // executor would hop off it (through this queue again) at every nonisolated `await`.
    queue.async { [self] in
      job.runSynchronously(on: asUnownedTaskExecutor())
    }
  }
}

/// Where every connection's serial queue runs: Dispatch's default global queue, whose threads
/// are bounded by the CPU count. A connection's work never blocks (non-blocking sockets, no
/// waits), so it needs no thread of its own; a queue created without a target would run on
/// Dispatch's overcommit pool, which starts a thread per busy queue.
let connectionQueueTarget = DispatchQueue.global()
