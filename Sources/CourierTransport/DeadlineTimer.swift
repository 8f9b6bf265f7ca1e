import Dispatch

/// A call's deadline on its connection's queue: runs `handler` once, `microseconds` from now,
/// unless cancelled first.
///
/// A Dispatch timer source, not `asyncAfter` with a `DispatchWorkItem`: a cancelled work item
/// stays queued, with everything its closure captured, until its deadline passes. A call with
/// a one-hour deadline that ended in a millisecond kept its connection (and the connection's
/// buffers) alive for an hour after the client had gone, and every such call cost about 700
/// bytes until its deadline (found by the soak: docs/SOAK.md). Cancelling a source releases
/// its handler at once.
///
/// Lifetime: the source is resumed in `init` and never suspended, so it may be released at any
/// time; `deinit` cancels it, so a timer that is dropped never fires.
final class DeadlineTimer: Sendable {
  // Dispatch sources are thread-safe objects; this one is created in init and only cancelled.
  private nonisolated(unsafe) let source: any DispatchSourceTimer

  /// Starts the timer. `handler` runs on `queue`; it should capture its owner weakly, since
  /// the owner usually holds the timer.
  convenience init(queue: DispatchQueue, microseconds: Int, handler: @escaping @Sendable () -> Void) {
    self.init(queue: queue, after: .microseconds(max(0, microseconds)), handler: handler)
  }

  /// Starts the timer to fire once `interval` from now (`.never`: never).
  init(queue: DispatchQueue, after interval: DispatchTimeInterval, handler: @escaping @Sendable () -> Void) {
    source = DispatchSource.makeTimerSource(queue: queue)
    source.schedule(deadline: .now() + interval)
    source.setEventHandler(handler: handler)
    source.resume()
  }

  /// Stops the timer (if it has not fired) and releases the handler. Idempotent.
  func cancel() {
    source.cancel()
  }

  deinit {
    source.cancel()
  }
}
