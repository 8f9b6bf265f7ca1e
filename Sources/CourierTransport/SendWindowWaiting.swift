import CourierCore

/// A stream a writer may have to wait on: its send window and the writers waiting for credit.
protocol SendWindowedStream: AnyObject {
  var sendWindow: Int { get }
  var windowWaiters: [CheckedContinuation<Void, Never>] { get set }
}

/// The part of a connection's state that writers wait on: shared by the server and client
/// sides, whose flow control (docs/PROTOCOL.md section 5) is the same.
protocol SendWindowedState {
  associatedtype Stream: SendWindowedStream
  var connectionSendWindow: Int { get }
  var connectionWindowWaiters: [CheckedContinuation<Void, Never>] { get set }
  /// The stream, if it is still open for writing.
  func writableStream(_ id: UInt32) -> Stream?
}

extension LockedValue where Value: SendWindowedState {
  /// Suspends until the stream's window (or the connection's, if `connection`) may have
  /// opened, the stream ended, or the task is cancelled. The caller re-checks and retries.
  func waitForSendWindow(streamID id: UInt32, connection: Bool) async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let waiting = withLock { state -> Bool in
          guard let stream = state.writableStream(id), !Task.isCancelled else { return false }
          if connection {
            guard state.connectionSendWindow <= 0 else { return false }
            state.connectionWindowWaiters.append(continuation)
          } else {
            guard stream.sendWindow <= 0 else { return false }
            stream.windowWaiters.append(continuation)
          }
          return true
        }
        if !waiting { continuation.resume() }
      }
    } onCancel: {
      // Wake every writer of the connection and of this stream; each re-checks, and the
      // cancelled one sees its cancellation. Resumed after the lock is released.
      let waiters = withLock { state -> [CheckedContinuation<Void, Never>] in
        var waiters = state.connectionWindowWaiters
        state.connectionWindowWaiters = []
        if let stream = state.writableStream(id) {
          waiters += stream.windowWaiters
          stream.windowWaiters = []
        }
        return waiters
      }
      for waiter in waiters { waiter.resume() }
    }
  }
}

extension ServerStream: SendWindowedStream {}
extension ClientStream: SendWindowedStream {}

extension ServerConnection.State: SendWindowedState {
  func writableStream(_ id: UInt32) -> ServerStream? { streams[id] }
}

extension ClientConnection.State: SendWindowedState {
  func writableStream(_ id: UInt32) -> ClientStream? {
    guard let stream = streams[id], stream.end == nil else { return nil }
    return stream
  }
}
