import Dispatch

/// Runs tasks on a connection's serial Dispatch queue.
///
/// Handlers of a connection's calls prefer this executor, so a request parsed on the queue is
/// handled on the same thread right after, and its response written inline: no wake-up of
/// another thread between reading a request and writing its response. Handlers must not block
/// (the rule for any async code); one that does delays only its own connection.
final class QueueExecutor: TaskExecutor, SerialExecutor {
  let queue: DispatchQueue

  init(queue: DispatchQueue) {
    self.queue = queue
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    queue.async { [self] in
      job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
    }
  }

  func asUnownedSerialExecutor() -> UnownedSerialExecutor {
    UnownedSerialExecutor(ordinary: self)
  }
}
