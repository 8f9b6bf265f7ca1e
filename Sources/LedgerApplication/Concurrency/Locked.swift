#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A value behind a `pthread_mutex_t`, for the little state the application layer shares
/// between threads synchronously (the event publisher's subscribers, a commit ticket), and that
/// the adapters in this package share too (`package` access: not part of the public API).
///
/// The same design as CourierCore's `LockedValue`, which this layer may not import: pthread
/// mutexes rather than `Synchronization.Mutex` because ThreadSanitizer understands them.
///
/// `@unchecked Sendable` is sound: the value is only reachable through `withLock`, which holds
/// the mutex for the whole access, so no two threads ever touch it at once.
package final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>

  /// Wraps `value`.
  package init(_ value: Value) {
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
  /// (the mutex is not recursive), never suspend inside it, and never resume a continuation
  /// inside it (collect what to resume and do it after).
  @inline(__always)
  package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure)
    -> Result
  {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body(&value)
  }
}
