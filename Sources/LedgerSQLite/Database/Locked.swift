#if canImport(Glibc)
  import Glibc
#endif

/// A value behind a `pthread_mutex_t`, for the little state the store shares between threads.
///
/// A pthread mutex rather than `Synchronization.Mutex` so ThreadSanitizer understands the
/// locking (the same choice as CourierCore's `LockedValue`, which this target may not import).
///
/// `@unchecked Sendable` is sound: the value is only reachable through `withLock`, which holds
/// the mutex for the whole access, so no two threads ever touch it at once.
final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  init(_ value: Value) {
    self.value = value
    mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let status = pthread_mutex_init(mutex, nil)
    precondition(status == 0, "pthread_mutex_init failed: \(status)")
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  /// Runs `body` with exclusive access to the value. Never re-enter and never block inside it.
  func withLock<Result, Failure: Error>(
    _ body: (inout Value) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
