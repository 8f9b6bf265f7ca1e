import Dispatch

/// A value that is only read and written on one serial queue.
///
/// `@unchecked Sendable` is sound because every access goes through `withValue`, which checks
/// (in debug builds, with `dispatchPrecondition`) that it runs on `queue`; a serial queue runs
/// one block at a time, so accesses never overlap.
final class QueueConfined<Value>: @unchecked Sendable {
  private var value: Value
  private let queue: DispatchQueue

  init(_ value: Value, queue: DispatchQueue) {
    self.value = value
    self.queue = queue
  }

  func withValue<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    dispatchPrecondition(condition: .onQueue(queue))
    return try body(&value)
  }
}
