import CourierCore
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Opens a TCP connection without blocking a thread: a non-blocking `connect`, then the event
/// loop's writable edge when it completes, raced against a timeout.
enum Connector {
  static func connect(
    host: String, port: Int, timeout: Duration, loop: EventLoop = .shared
  ) async throws -> Int32 {
    let fd = try POSIXSocket.connect(host: host, port: port)
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
      ConnectAttempt(fd: fd, detail: "\(host):\(port)", loop: loop, continuation: continuation).start(timeout: timeout)
    }
  }
}

/// One connection attempt: the first of "connected", "failed" and "timed out" settles it.
///
/// The descriptor is deregistered before it is closed (on failure) or handed over (on success),
/// and both happen only once the registration's token is known, so nothing is ever done to a
/// descriptor number after it may have been reused.
private final class ConnectAttempt: Sendable {
  private struct State {
    var continuation: CheckedContinuation<Int32, any Error>?
    var outcome: Result<Int32, SocketError>?
    /// Set once `register` has returned: nil while it runs (an event may come before).
    var token: UInt64?
    var isRegistering = true
    /// The connect timeout, cancelled when the attempt finishes.
    var timer: DeadlineTimer?
  }

  private let fd: Int32
  private let detail: String
  private let loop: EventLoop
  private let state: LockedValue<State>

  init(fd: Int32, detail: String, loop: EventLoop, continuation: CheckedContinuation<Int32, any Error>) {
    self.fd = fd
    self.detail = detail
    self.loop = loop
    state = LockedValue(State(continuation: continuation))
  }

  func start(timeout: Duration) {
    let token: UInt64?
    do {
      token = try loop.register(fd) { [self] events in
        guard events & EventLoop.writableEvents != 0 else { return }
        let error = POSIXSocket.pendingError(fd)
        settle(error == 0 ? .success(fd) : .failure(SocketError(call: "connect", errorNumber: error, detail: detail)))
      }
    } catch {
      token = nil
      settle(.failure(error))
    }
    let settledMeanwhile = state.withLock { state -> Bool in
      state.token = token
      state.isRegistering = false
      return state.outcome != nil
    }
    if settledMeanwhile { finish() }
    // A timer, not `asyncAfter`: cancelled when the attempt settles, it releases the attempt
    // at once instead of holding it until the timeout would have passed.
    let timer = DeadlineTimer(queue: .global(), after: timeout.dispatchInterval) { [weak self] in
      guard let self else { return }
      settle(.failure(SocketError(call: "connect", errorNumber: ETIMEDOUT, detail: detail)))
    }
    let settled = state.withLock { state -> Bool in
      guard state.continuation != nil else { return true }
      state.timer = timer
      return false
    }
    if settled { timer.cancel() }
  }

  /// Records the first outcome; finishes now unless the registration is still being made
  /// (then `start` finishes once it knows the token).
  private func settle(_ outcome: Result<Int32, SocketError>) {
    let finishNow = state.withLock { state -> Bool in
      guard state.outcome == nil else { return false }
      state.outcome = outcome
      return !state.isRegistering
    }
    if finishNow { finish() }
  }

  private func finish() {
    let (continuation, outcome, token, timer) = state.withLock { state in
      defer {
        state.continuation = nil
        state.timer = nil
      }
      return (state.continuation, state.outcome, state.token, state.timer)
    }
    timer?.cancel()
    guard let continuation, let outcome else { return }
    if let token { loop.deregister(fd, token: token) }
    if case .failure = outcome { POSIXSocket.close(fd) }
    continuation.resume(with: outcome.mapError { $0 as any Error })
  }
}
