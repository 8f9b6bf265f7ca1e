import CourierCore
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// One connected, non-blocking socket driven by Dispatch: buffered reads, coalesced writes and
/// an orderly close. Protocol logic lives in the owner (`ServerConnection`, `ClientConnection`),
/// which receives bytes through `onReadable` and sends through `write(_:)`.
///
/// Reads: a read source on the connection's serial queue fills one `ByteBuffer` with
/// everything the socket has (several frames per system call) and hands it to the owner.
///
/// Writes: any thread appends frames to the pending buffer under a lock. The first writer
/// that finds no flush in progress becomes the flusher and writes inline, so a handler's
/// response leaves without a thread hop; everything appended while it writes goes out in its
/// next `send`, so concurrent responses coalesce into one system call. When the socket's send
/// buffer is full the rest waits for the write source.
///
/// Backpressure: when more than `pendingOutputBytesMax` wait to be written (the peer is not
/// reading), the read source is suspended, so a peer that keeps sending cannot make the
/// connection buffer its answers without limit; reading resumes once the output has drained to
/// half that. Suspending and resuming happen under the write lock, so they always pair up.
/// Handlers that stream are held back the same way: `waitForOutputToDrain()` suspends a sender
/// while the limit is exceeded, so a peer that grants large flow-control windows and does not
/// read cannot make the connection buffer a whole stream either.
///
/// Lifetime: sources capture the object strongly (never `unowned`: an event can fire after
/// the owner lets go); `close` cancels both, resumes the write source if it is suspended (a
/// suspended source must not be released), and closes the descriptor only after both cancel
/// handlers have run.
final class SocketIO: Sendable {
  let fd: Int32
  let queue: DispatchQueue
  /// "host:port" of the other side.
  let peer: String

  private struct WriteState {
    var pending = ByteBuffer(capacity: 16 * 1024)
    var spare = ByteBuffer(capacity: 16 * 1024)
    var isFlushing = false
    var isWriteSourceArmed = false
    /// `closeAfterFlush()` was called: nothing more is appended, and whoever flushes the last
    /// pending byte sends FIN and closes.
    var isClosing = false
    var isClosed = false
    var cancelledSources = 0
    /// The read source is suspended because too much output waits (see Backpressure).
    var isReadPaused = false
    /// Senders waiting for the output to drain (see `waitForOutputToDrain()`).
    var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// Hands over every drain waiter, to resume once the lock is released.
    mutating func takeDrainWaiters() -> [CheckedContinuation<Void, Never>] {
      defer { drainWaiters = [] }
      return drainWaiters
    }
  }

  private let writeState = LockedValue(WriteState())
  // Dispatch sources are thread-safe objects; they are only created in init and cancelled once.
  private nonisolated(unsafe) let readSource: any DispatchSourceRead
  private nonisolated(unsafe) let writeSource: any DispatchSourceWrite
  /// Touched only on `queue` (inside the read source's handler).
  private let readBuffer: QueueConfined<ByteBuffer>
  private let readChunkBytes: Int
  /// How long `closeAfterFlush()` waits for a peer that does not read before closing anyway.
  private let lingerTimeout: Duration
  /// Above this many bytes waiting to be written, reading stops (see Backpressure).
  private let pendingOutputBytesMax: Int

  /// Called on `queue` with the read buffer after new bytes arrived; the owner consumes what it
  /// can parse and leaves the rest.
  private let onReadable: @Sendable (inout ByteBuffer) -> Void
  /// Called once, on `queue`, when the connection is closed (by either side or an error).
  private let onClosed: @Sendable (SocketError?) -> Void

  init(
    fd: Int32, peer: String, queue: DispatchQueue, readChunkBytes: Int = 64 * 1024,
    lingerTimeout: Duration, pendingOutputBytesMax: Int,
    onReadable: @escaping @Sendable (inout ByteBuffer) -> Void,
    onClosed: @escaping @Sendable (SocketError?) -> Void
  ) {
    self.fd = fd
    self.peer = peer
    self.queue = queue
    self.readChunkBytes = readChunkBytes
    self.lingerTimeout = lingerTimeout
    self.pendingOutputBytesMax = pendingOutputBytesMax
    self.readBuffer = QueueConfined(ByteBuffer(capacity: readChunkBytes), queue: queue)
    self.onReadable = onReadable
    self.onClosed = onClosed
    self.readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
    self.writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
  }

  /// Starts reading. Call once.
  func start() {
    readSource.setEventHandler { [self] in handleReadable() }
    readSource.setCancelHandler { [self] in sourceCancelled() }
    writeSource.setEventHandler { [self] in handleWritable() }
    writeSource.setCancelHandler { [self] in sourceCancelled() }
    readSource.resume()
  }

  // MARK: - Reading

  private func handleReadable() {
    var closeError: SocketError?
    var sawEndOfFile = false
    readBuffer.withValue { buffer in
      do {
        // One read per event keeps the queue fair; the source fires again while data remains.
        let result = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: readChunkBytes) { space in
          switch try POSIXSocket.read(fd, into: space) {
          case .processed(let count): return count
          case .wouldBlock: return 0
          case .endOfFile:
            sawEndOfFile = true
            return 0
          }
        }
        if result > 0 {
          onReadable(&buffer)
          pauseReadingIfBackedUp()
        }
        buffer.shrinkIfEmpty(toCapacity: readChunkBytes)
      } catch let error as SocketError {
        closeError = error
      } catch {
        closeError = SocketError(call: "read", errorNumber: EIO, detail: "\(error)")
      }
    }
    if let closeError {
      close(error: closeError)
    } else if sawEndOfFile {
      close(error: nil)
    }
  }

  /// Suspends the read source when the peer has not taken more than `pendingOutputBytesMax`.
  private func pauseReadingIfBackedUp() {
    writeState.withLock { state in
      guard !state.isClosed, !state.isReadPaused, state.pending.readableBytes > pendingOutputBytesMax else { return }
      state.isReadPaused = true
      readSource.suspend()
    }
  }

  /// Resumes a paused read source once the output has drained to half the limit, and hands
  /// back the senders waiting for that, to resume after the lock. Called with the write lock held.
  private func resumeIfDrained(_ state: inout WriteState) -> [CheckedContinuation<Void, Never>] {
    guard state.pending.readableBytes <= pendingOutputBytesMax / 2 else { return [] }
    if state.isReadPaused && !state.isClosed {
      state.isReadPaused = false
      readSource.resume()
    }
    return state.takeDrainWaiters()
  }

  /// Suspends the caller while more than `pendingOutputBytesMax` bytes wait to be written,
  /// until they have drained to half that, the connection closes, or the task is cancelled
  /// (the caller then sees its cancellation). Returns at once when the output is not backed up.
  /// - Returns: false when the connection is closed (what was appended will never leave).
  func waitForOutputToDrain() async -> Bool {
    let mustWait = writeState.withLock { state -> Bool? in
      guard !state.isClosed else { return nil }
      return state.pending.readableBytes > pendingOutputBytesMax
    }
    guard let mustWait else { return false }
    guard mustWait else { return true }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let waiting = writeState.withLock { state -> Bool in
          guard !state.isClosed, !Task.isCancelled, state.pending.readableBytes > pendingOutputBytesMax else {
            return false
          }
          state.drainWaiters.append(continuation)
          return true
        }
        if !waiting { continuation.resume() }
      }
    } onCancel: {
      // Wake every waiter; each returns, and the cancelled one's caller sees its cancellation.
      // The others return early too, which only lets them append one more message each.
      let waiters = writeState.withLock { $0.takeDrainWaiters() }
      for waiter in waiters { waiter.resume() }
    }
    return writeState.withLock { !$0.isClosed }
  }

  // MARK: - Writing

  /// Appends bytes to send (built by `body` in place) and makes sure they leave.
  func write(_ body: (inout ByteBuffer) -> Void) {
    if append(body) { flush() }
  }

  /// Appends bytes without sending them; returns true when the caller has become the flusher
  /// and must call `flush()` (after releasing any lock it holds: flushing makes system calls).
  func append(_ body: (inout ByteBuffer) -> Void) -> Bool {
    writeState.withLock { state -> Bool in
      guard !state.isClosed, !state.isClosing else { return false }
      body(&state.pending)
      if state.isFlushing { return false }
      state.isFlushing = true
      return true
    }
  }

  /// Flushes now, or from the connection's queue after its current jobs when `deferred` (so
  /// what else is appended meanwhile leaves in the same write).
  func flush(deferred: Bool) {
    if deferred {
      queue.async { [self] in flush() }
    } else {
      flush()
    }
  }

  /// Appends bytes that will leave with the next `write` or `append` that flushes (for a
  /// frame that is always followed by another, like a unary call's HEADERS).
  func appendDeferred(_ body: (inout ByteBuffer) -> Void) {
    writeState.withLock { state in
      guard !state.isClosed, !state.isClosing else { return }
      body(&state.pending)
    }
  }

  /// Writes pending buffers until none is left or the socket is full. Only the flusher (the
  /// caller that `append` elected) calls it. The flusher that empties the buffer of a closing
  /// connection closes it.
  func flush() {
    while true {
      var closeNow = false
      var drained: [CheckedContinuation<Void, Never>] = []
      var chunk = writeState.withLock { state -> ByteBuffer? in
        drained = resumeIfDrained(&state)
        if state.pending.isEmpty || state.isClosed {
          state.isFlushing = false
          closeNow = state.isClosing && !state.isClosed
          return nil
        }
        var taken = state.spare
        swap(&taken, &state.pending)
        state.spare = ByteBuffer()
        return taken
      }
      for waiter in drained { waiter.resume() }
      guard chunk != nil else {
        if closeNow {
          POSIXSocket.shutdownWrite(fd)
          close(error: nil)
        }
        return
      }
      switch writeOut(&chunk!) {
      case .done:
        chunk!.clear()
        let reusable = chunk!
        writeState.withLock { state in
          if state.spare.capacity == 0 && reusable.capacity <= 1 << 20 { state.spare = reusable }
        }
      case .blocked:
        // Taken out of the optional so the tail's storage is uniquely referenced and the
        // merge below appends in place instead of copying the whole tail.
        var remaining = chunk.take()!
        let drained = writeState.withLock { state -> [CheckedContinuation<Void, Never>] in
          // Put the unsent tail in front of whatever was appended meanwhile.
          if !state.pending.isEmpty {
            state.pending.withReadableBytes(count: state.pending.readableBytes) { remaining.writeBytes($0) }
            state.pending.clear()
          }
          swap(&state.pending, &remaining)
          state.isWriteSourceArmed = true
          return resumeIfDrained(&state)
        }
        for waiter in drained { waiter.resume() }
        writeSource.resume()
        return
      case .failed(let error):
        close(error: error)
        return
      }
    }
  }

  private enum WriteOutcome {
    case done, blocked
    case failed(SocketError)
  }

  private func writeOut(_ chunk: inout ByteBuffer) -> WriteOutcome {
    while chunk.readableBytes > 0 {
      let result: POSIXSocket.IOResult
      do {
        result = try chunk.withReadableBytes(count: chunk.readableBytes) { try POSIXSocket.write(fd, $0) }
      } catch {
        return .failed(error as? SocketError ?? SocketError(call: "send", errorNumber: EIO))
      }
      switch result {
      case .processed(let count): chunk.moveReaderIndex(forwardBy: count)
      case .wouldBlock: return .blocked
      case .endOfFile: return .failed(SocketError(call: "send", errorNumber: EPIPE))
      }
    }
    return .done
  }

  private func handleWritable() {
    let disarm = writeState.withLock { state -> Bool in
      guard state.isWriteSourceArmed else { return false }
      state.isWriteSourceArmed = false
      return true
    }
    guard disarm else { return }
    writeSource.suspend()
    flush()
  }

  // MARK: - Closing

  /// Closes the connection; idempotent. Pending bytes are dropped, so send GOAWAY with
  /// `closeAfterFlush` instead when the peer should hear why.
  func close(error: SocketError?) {
    let sourcesToResume = writeState.withLock { state -> (write: Bool, read: Bool)? in
      guard !state.isClosed else { return nil }
      state.isClosed = true
      let armed = state.isWriteSourceArmed
      state.isWriteSourceArmed = false
      let readPaused = state.isReadPaused
      state.isReadPaused = false
      return (!armed, readPaused)
    }
    guard let sourcesToResume else { return }
    readSource.cancel()
    writeSource.cancel()
    // A suspended source must not be released: resume it so its cancellation completes.
    if sourcesToResume.write { writeSource.resume() }
    if sourcesToResume.read { readSource.resume() }
    queue.async { [self] in
      onClosed(error)
      // The owner has cancelled its calls, which ended their waits for the output to drain
      // (it never will now); release any sender still waiting all the same.
      let waiters = writeState.withLock { $0.takeDrainWaiters() }
      for waiter in waiters { waiter.resume() }
    }
  }

  /// Sends what is pending, then FIN, then closes; appends made after this call are dropped.
  ///
  /// The last frames (a GOAWAY, the final TRAILERS) must reach the peer even when a flush is
  /// in progress on another thread or waits for the socket to drain: whoever is flushing
  /// closes once the buffer is empty. A peer that does not read is cut off after
  /// `lingerTimeout`, so it cannot keep the connection open.
  func closeAfterFlush() {
    let flushNow = writeState.withLock { state -> Bool? in
      guard !state.isClosed, !state.isClosing else { return nil }
      state.isClosing = true
      if state.isFlushing { return false }
      state.isFlushing = true
      return true
    }
    guard let flushNow else { return }
    queue.asyncAfter(deadline: .now() + Self.dispatchInterval(lingerTimeout)) { [weak self] in
      self?.close(error: nil)
    }
    if flushNow { flush() }
  }

  /// `duration` for Dispatch; negative is zero, too long to count in nanoseconds is never.
  static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
    let (seconds, attoseconds) = duration.components
    guard seconds >= 0 else { return .nanoseconds(0) }
    let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    guard !overflow, nanoseconds < Int64.max - 1_000_000_000 else { return .never }
    return .nanoseconds(Int(nanoseconds + attoseconds / 1_000_000_000))
  }

  private func sourceCancelled() {
    let both = writeState.withLock { state -> Bool in
      state.cancelledSources += 1
      return state.cancelledSources == 2
    }
    if both { POSIXSocket.close(fd) }
  }

  var isClosed: Bool { writeState.withLock { $0.isClosed } }
}

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
