import CourierCore
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Opens a TCP connection without blocking a thread: a non-blocking `connect`, then a write
/// source that fires when it completes, raced against a timeout.
///
/// The continuation is resumed from the source's cancel handler, so the descriptor is closed
/// (on failure) or handed over (on success) only after Dispatch has stopped watching it.
enum Connector {
  static func connect(host: String, port: Int, timeout: Duration) async throws -> Int32 {
    let fd = try POSIXSocket.connect(host: host, port: port)
    let queue = DispatchQueue(label: "courier.connect")
    let result = LockedValue<Result<Int32, SocketError>?>(nil)
    let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
    let handle = DispatchSourceHandle(source: source)
    let settle: @Sendable (Result<Int32, SocketError>) -> Void = { outcome in
      let first = result.withLock { stored -> Bool in
        guard stored == nil else { return false }
        stored = outcome
        return true
      }
      if first { handle.source.cancel() }
    }
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
      source.setEventHandler {
        let error = POSIXSocket.pendingError(fd)
        settle(error == 0 ? .success(fd) : .failure(SocketError(call: "connect", errorNumber: error, detail: "\(host):\(port)")))
      }
      source.setCancelHandler {
        let outcome = result.withLock { $0 } ?? .failure(SocketError(call: "connect", errorNumber: ECANCELED))
        if case .failure = outcome { POSIXSocket.close(fd) }
        continuation.resume(with: outcome.mapError { $0 as any Error })
      }
      source.resume()
      let (seconds, attoseconds) = timeout.components
      let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
      queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
        settle(.failure(SocketError(call: "connect", errorNumber: ETIMEDOUT, detail: "\(host):\(port)")))
      }
    }
  }
}
