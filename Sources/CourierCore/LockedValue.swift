#if canImport(Glibc)
  import Glibc
#endif

/// A value behind a `pthread_mutex_t`, for state shared between threads.
///
/// Preferred over `Synchronization.Mutex` in this project because ThreadSanitizer understands
/// pthread mutexes: `Mutex` on Linux locks with futexes in a standard library that is not built
/// with TSan, so every access it protects is reported as a race and real races would drown.
///
/// `@unchecked Sendable` is sound: the value is only reachable through `withLock`, which holds
/// the mutex for the whole access, so no two threads ever touch it at once.
public final class LockedValue<Value>: @unchecked Sendable {
  private var value: Value
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  public init(_ value: Value) {
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

  /// Runs `body` with exclusive access to the value. Never call it again from inside `body`
  /// (the mutex is not recursive) and never suspend inside it.
  @inline(__always)
  public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
