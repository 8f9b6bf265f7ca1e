#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value behind a lock: the `withLock` of `Synchronization.Mutex`, on a `pthread_mutex_t`.
///
/// Why not `Mutex`: on Linux it locks with atomics and futex system calls that
/// ThreadSanitizer does not see, so every value it guards is reported as racing (a
/// fifteen-line program with four threads incrementing a `Mutex`-guarded counter shows it).
/// ThreadSanitizer intercepts `pthread_mutex_lock`, so with this type its reports are about
/// real races only. The cost is one allocation per lock, made once per connection or call.
///
/// `@unchecked Sendable` is sound: `value` is only reached through `withLock`, which holds
/// the mutex for the whole access, so no two threads touch it at once; like `Mutex`, values
/// cross threads only inside the lock.
package final class Locked<Value>: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private var value: Value

  package init(_ value: Value) {
    self.value = value
    mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    let status = pthread_mutex_init(mutex, nil)
    precondition(status == 0, "pthread_mutex_init failed: \(status)")
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  /// Runs `body` with exclusive access to the value. Not reentrant: calling `withLock` on the
  /// same lock from `body` deadlocks.
  package func withLock<Result, Failure: Error>(
    _ body: (inout Value) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
