import CSQLite
import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A thread of its own that runs submitted jobs one at a time, in submission order: the home
/// of the writer's connection.
///
/// A serial `DispatchQueue` runs its jobs in order too, but on whichever worker thread picks the
/// queue up after it drained, so under a steady load of short commits the writer hopped between
/// threads (three in one 5 s profile), and each hop starts with cold caches and a wake-up through
/// the worker pool. Here the one thread sleeps on a condition variable when the queue is empty
/// and takes the next job on the same core's warm caches.
///
/// ``finish()`` lets the thread end once every job submitted before it has run; jobs submitted
/// later run, still in order, on a serial dispatch queue, so a late caller is always answered.
///
/// `@unchecked Sendable` is sound: `jobs`, `isFinishing` and `hasExited` are read and written
/// only with `mutex` held (the thread's loop and every method take it), and the rest is
/// immutable after `init`.
final class JobThread: @unchecked Sendable {
  typealias Job = @Sendable () -> Void

  /// The thread's name (`top -H`, `gdb`, `perf`), at most 15 bytes as Linux allows.
  let name: String
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  private var jobs: [Job] = []
  private var isFinishing = false
  private var hasExited = false
  /// Runs what is submitted after the thread has exited.
  private let afterExit: DispatchQueue

  /// Starts the thread.
  /// - Precondition: `name` is 1 to 15 bytes of UTF-8 (Linux's limit for a thread's name).
  init(name: String) {
    precondition((1...15).contains(name.utf8.count), "thread name \(name) is not 1 to 15 bytes")
    self.name = name
    afterExit = DispatchQueue(label: name)
    mutex.initialize(to: pthread_mutex_t())
    condition.initialize(to: pthread_cond_t())
    precondition(pthread_mutex_init(mutex, nil) == 0, "pthread_mutex_init failed")
    precondition(pthread_cond_init(condition, nil) == 0, "pthread_cond_init failed")
    var thread = pthread_t()
    // The thread holds the object until its loop ends.
    let context = Unmanaged.passRetained(self).toOpaque()
    let status = pthread_create(
      &thread, nil,
      { context in
        let jobThread = Unmanaged<JobThread>.fromOpaque(context!).takeRetainedValue()
        jobThread.run()
        return nil
      }, context)
    precondition(status == 0, "pthread_create failed: \(status)")
    pthread_detach(thread)
  }

  deinit {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
  }

  /// Runs `job` after every job submitted before it.
  func async(_ job: @escaping Job) {
    pthread_mutex_lock(mutex)
    if hasExited {
      pthread_mutex_unlock(mutex)
      afterExit.async(execute: job)
      return
    }
    jobs.append(job)
    let wasIdle = jobs.count == 1
    pthread_mutex_unlock(mutex)
    if wasIdle { pthread_cond_signal(condition) }
  }

  /// Blocks the caller until every job submitted before has run. Never call it from a job.
  func sync() {
    let done = DispatchSemaphore(value: 0)
    async { done.signal() }
    done.wait()
  }

  /// Lets the thread end once the jobs submitted so far have run.
  func finish() {
    pthread_mutex_lock(mutex)
    isFinishing = true
    pthread_mutex_unlock(mutex)
    pthread_cond_signal(condition)
  }

  private func run() {
    _ = name.withCString { ledger_sqlite_name_this_thread($0) }
    var batch: [Job] = []
    while true {
      pthread_mutex_lock(mutex)
      while jobs.isEmpty && !isFinishing { pthread_cond_wait(condition, mutex) }
      if jobs.isEmpty {
        // Finishing, and nothing left: later jobs go to `afterExit`, which runs them after
        // these (there are none left here), so the order holds.
        hasExited = true
        pthread_mutex_unlock(mutex)
        return
      }
      swap(&batch, &jobs)
      pthread_mutex_unlock(mutex)
      for job in batch { job() }
      batch.removeAll(keepingCapacity: true)
    }
  }
}
