import CourierCore
import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// One connected, non-blocking socket: readiness from the `EventLoop`, work on the
/// connection's serial Dispatch queue, buffered reads, coalesced writes and an orderly close.
/// Protocol logic lives in the owner (`ServerConnection`, `ClientConnection`), which receives
/// bytes through `onReadable` and sends through `write(_:)`.
///
/// Reads: the event loop reports that the socket became readable; one read job at a time runs
/// on the connection's queue, reads up to `readChunkBytes` (several frames per system call) and
/// hands them to the owner. A job that filled its chunk schedules another (the socket may hold
/// more, and other work on the queue gets a turn between chunks); one that drained the socket
/// waits for the next edge. The registration is edge-triggered, so an edge that arrives while a
/// job runs is remembered and makes the job read again, and once the peer has hung up reading
/// goes on until the end of input or the error, which no later edge would announce.
///
/// Writes: any thread appends frames to the pending buffer under a lock. The first writer
/// that finds no flush in progress becomes the flusher and writes inline, so a handler's
/// response leaves without a thread hop; everything appended while it writes goes out in its
/// next `send`, so concurrent responses coalesce into one system call. When the socket's send
/// buffer is full the flusher stops, and the next writable edge resumes the flush on the queue
/// (an edge that arrived while it was writing makes it try again at once).
///
/// Backpressure: when more than `pendingOutputBytesMax` wait to be written (the peer is not
/// reading), reading stops, so a peer that keeps sending cannot make the connection buffer its
/// answers without limit; reading resumes once the output has drained to half that. Handlers
/// that stream are held back the same way: `waitForOutputToDrain()` suspends a sender while the
/// limit is exceeded, so a peer that grants large flow-control windows and does not read cannot
/// make the connection buffer a whole stream either.
///
/// Lifetime: the event loop holds this object until `close` deregisters it. The descriptor is
/// closed by whoever finishes last among `close` and the system calls in progress on it (reads,
/// writes and the shutdown, counted under the lock), so no call ever reaches a descriptor
/// number that has been closed and perhaps reused by a new connection.
final class SocketIO: Sendable {
  let fd: Int32
  let queue: DispatchQueue
  /// "host:port" of the other side.
  let peer: String

  private struct State {
    var pending = ByteBuffer(capacity: 16 * 1024)
    var spare = ByteBuffer(capacity: 16 * 1024)
    var isFlushing = false
    /// The flusher stopped on a full send buffer; the next writable edge resumes it.
    var isAwaitingWritable = false
    /// A writable edge arrived since the flusher last took its bytes.
    var writableEdge = false
    /// A read job is queued or running.
    var isReadScheduled = false
    /// A readable edge arrived while a read job ran or reading was paused.
    var readableEdge = false
    /// The peer has shut down its side or the connection failed (EPOLLRDHUP, EPOLLHUP or
    /// EPOLLERR was seen). Sticky: from then on a short read does not mean "drained", since
    /// the end of input (or the error) waits behind the data and no further edge will come.
    var peerHungUp = false
    /// `closeAfterFlush()` was called: nothing more is appended, and whoever flushes the last
    /// pending byte sends FIN and closes.
    var isClosing = false
    var isClosed = false
    /// System calls in progress on `fd`, plus one for a `close` that is deregistering it.
    var descriptorUsers = 0
    /// The event loop's token, once registered.
    var token: UInt64?
    /// Reading stopped because too much output waits (see Backpressure).
    var isReadPaused = false
    /// Senders waiting for the output to drain (see `waitForOutputToDrain()`).
    var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// Hands over every drain waiter, to resume once the lock is released.
    mutating func takeDrainWaiters() -> [CheckedContinuation<Void, Never>] {
      defer { drainWaiters = [] }
      return drainWaiters
    }

    /// Counts a system call about to use the descriptor; false once closed (do not call).
    mutating func useDescriptor() -> Bool {
      guard !isClosed else { return false }
      descriptorUsers += 1
      return true
    }
  }

  private let state = LockedValue(State())
  private let loop: EventLoop
  /// Touched only on `queue` (inside read jobs).
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
    lingerTimeout: Duration, pendingOutputBytesMax: Int, loop: EventLoop = .shared,
    onReadable: @escaping @Sendable (inout ByteBuffer) -> Void,
    onClosed: @escaping @Sendable (SocketError?) -> Void
  ) {
    self.fd = fd
    self.peer = peer
    self.queue = queue
    self.loop = loop
    self.readChunkBytes = readChunkBytes
    self.lingerTimeout = lingerTimeout
    self.pendingOutputBytesMax = pendingOutputBytesMax
    self.readBuffer = QueueConfined(ByteBuffer(capacity: readChunkBytes), queue: queue)
    self.onReadable = onReadable
    self.onClosed = onClosed
  }

  /// Registers with the event loop and starts reading. Call once.
  func start() {
    // A use of the descriptor while registering: an event can come, and the connection can
    // close, before `register` returns; the descriptor must outlive the registration.
    guard state.withLock({ $0.useDescriptor() }) else { return }
    let token: UInt64
    do {
      token = try loop.register(fd) { [self] events in handleEvents(events) }
    } catch {
      releaseDescriptor()
      close(error: error)
      return
    }
    let (closedMeanwhile, scheduleRead) = state.withLock { state -> (Bool, Bool) in
      state.token = token
      guard !state.isClosed else { return (true, false) }
      guard !state.isReadScheduled else { return (false, false) }
      state.isReadScheduled = true
      return (false, true)
    }
    // A `close` that came meanwhile did not know the token: deregister for it.
    if closedMeanwhile { loop.deregister(fd, token: token) }
    releaseDescriptor()
    // Bytes that arrived before the registration are reported by it too; reading once more
    // costs one system call and does not depend on that.
    if scheduleRead { queue.async { [self] in readJob() } }
  }

  // MARK: - Events

  /// On the event loop's thread: notes the edges and schedules the work on the queue.
  private func handleEvents(_ events: UInt32) {
    var scheduleRead = false
    var scheduleFlush = false
    state.withLock { state in
      guard !state.isClosed else { return }
      if events & EventLoop.hangUpEvents != 0 { state.peerHungUp = true }
      if events & EventLoop.readableEvents != 0 {
        if state.isReadScheduled || state.isReadPaused {
          state.readableEdge = true
        } else {
          state.isReadScheduled = true
          scheduleRead = true
        }
      }
      if events & EventLoop.writableEvents != 0 {
        if state.isAwaitingWritable {
          state.isAwaitingWritable = false
          scheduleFlush = true
        } else {
          state.writableEdge = true
        }
      }
    }
    if scheduleRead { queue.async { [self] in readJob() } }
    if scheduleFlush { queue.async { [self] in flush() } }
  }

  // MARK: - Reading

  private enum ReadOutcome {
    /// Bytes were read; `filled` when they filled the space offered (more may be waiting).
    case bytes(filled: Bool)
    case drained
    case endOfFile
    case failed(SocketError)
  }

  /// One read on the queue; schedules the next one while the socket may hold more.
  private func readJob() {
    let mayRead = state.withLock { state -> Bool in
      guard !state.isReadPaused, state.useDescriptor() else {
        state.isReadScheduled = false
        return false
      }
      state.readableEdge = false
      return true
    }
    guard mayRead else { return }
    let outcome = readBuffer.withValue { buffer -> ReadOutcome in
      var outcome = ReadOutcome.drained
      do {
        _ = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: readChunkBytes) { space in
          switch try POSIXSocket.read(fd, into: space) {
          case .processed(let count):
            outcome = .bytes(filled: count == space.count)
            return count
          case .wouldBlock: return 0
          case .endOfFile:
            outcome = .endOfFile
            return 0
          }
        }
      } catch let error as SocketError {
        outcome = .failed(error)
      } catch {
        outcome = .failed(SocketError(call: "read", errorNumber: EIO, detail: "\(error)"))
      }
      return outcome
    }
    releaseDescriptor()
    switch outcome {
    case .failed(let error):
      close(error: error)
      return
    case .endOfFile:
      close(error: nil)
      return
    case .bytes, .drained:
      break
    }
    if case .bytes = outcome {
      readBuffer.withValue { buffer in
        onReadable(&buffer)
        buffer.shrinkIfEmpty(toCapacity: readChunkBytes)
      }
    }
    let readAgain = state.withLock { state -> Bool in
      if !state.isClosed, !state.isReadPaused, state.pending.readableBytes > pendingOutputBytesMax {
        state.isReadPaused = true
      }
      // Edge-triggered: stop only once the socket has been read dry. A read that filled its
      // space may have left more; after a hang-up, the end of input (or the error) is still to
      // be read even when the read came back short; and an edge during the read means new bytes.
      let mayHoldMore: Bool
      if case .bytes(let filled) = outcome { mayHoldMore = filled || state.peerHungUp } else { mayHoldMore = false }
      guard !state.isClosed, !state.isReadPaused, mayHoldMore || state.readableEdge else {
        state.isReadScheduled = false
        return false
      }
      return true
    }
    // Behind whatever else the queue holds, so one busy peer does not starve the rest.
    if readAgain { queue.async { [self] in readJob() } }
  }

  /// Resumes paused reading once the output has drained to half the limit, and hands back the
  /// senders waiting for that, to resume after the lock. Called with the lock held.
  private func resumeIfDrained(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
    guard state.pending.readableBytes <= pendingOutputBytesMax / 2 else { return [] }
    if state.isReadPaused && !state.isClosed {
      state.isReadPaused = false
      // Data may have waited through the pause without a new edge: read once to find out.
      if !state.isReadScheduled {
        state.isReadScheduled = true
        queue.async { [self] in readJob() }
      }
    }
    return state.takeDrainWaiters()
  }

  /// Ends a system call counted by `useDescriptor()`; closes the descriptor if `close` came
  /// meanwhile and this was the last user.
  private func releaseDescriptor() {
    let closeNow = state.withLock { state -> Bool in
      state.descriptorUsers -= 1
      return state.isClosed && state.descriptorUsers == 0
    }
    if closeNow { POSIXSocket.close(fd) }
  }

  /// Suspends the caller while more than `pendingOutputBytesMax` bytes wait to be written,
  /// until they have drained to half that, the connection closes, or the task is cancelled
  /// (the caller then sees its cancellation). Returns at once when the output is not backed up.
  /// - Returns: false when the connection is closed (what was appended will never leave).
  func waitForOutputToDrain() async -> Bool {
    let mustWait = state.withLock { state -> Bool? in
      guard !state.isClosed else { return nil }
      return state.pending.readableBytes > pendingOutputBytesMax
    }
    guard let mustWait else { return false }
    guard mustWait else { return true }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let waiting = state.withLock { state -> Bool in
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
      let waiters = state.withLock { $0.takeDrainWaiters() }
      for waiter in waiters { waiter.resume() }
    }
    return state.withLock { !$0.isClosed }
  }

  // MARK: - Writing

  /// Appends bytes to send (built by `body` in place) and makes sure they leave.
  func write(_ body: (inout ByteBuffer) -> Void) {
    if append(body) { flush() }
  }

  /// Appends bytes without sending them; returns true when the caller has become the flusher
  /// and must call `flush()` (after releasing any lock it holds: flushing makes system calls).
  func append(_ body: (inout ByteBuffer) -> Void) -> Bool {
    state.withLock { state -> Bool in
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
    state.withLock { state in
      guard !state.isClosed, !state.isClosing else { return }
      body(&state.pending)
    }
  }

  /// Writes pending buffers until none is left or the socket is full. Only the flusher (the
  /// caller that `append` elected) calls it, or the queue when a writable edge resumes a flusher
  /// that stopped on a full socket. The flusher that empties the buffer of a closing connection
  /// closes it.
  func flush() {
    while true {
      var closeNow = false
      var drained: [CheckedContinuation<Void, Never>] = []
      var chunk = state.withLock { state -> ByteBuffer? in
        drained = resumeIfDrained(&state)
        if state.pending.isEmpty || state.isClosed {
          state.isFlushing = false
          closeNow = state.isClosing && state.useDescriptor()
          return nil
        }
        guard state.useDescriptor() else { return nil }
        // Edges from before these bytes were taken say nothing about the socket's room now.
        state.writableEdge = false
        var taken = state.spare
        swap(&taken, &state.pending)
        state.spare = ByteBuffer()
        return taken
      }
      for waiter in drained { waiter.resume() }
      guard chunk != nil else {
        if closeNow {
          POSIXSocket.shutdownWrite(fd)
          releaseDescriptor()
          close(error: nil)
        }
        return
      }
      let outcome = writeOut(&chunk!)
      releaseDescriptor()
      switch outcome {
      case .done:
        chunk!.clear()
        let reusable = chunk!
        state.withLock { state in
          if state.spare.capacity == 0 && reusable.capacity <= 1 << 20 { state.spare = reusable }
        }
      case .blocked:
        // Taken out of the optional so the tail's storage is uniquely referenced and the
        // merge below appends in place instead of copying the whole tail.
        var remaining = chunk.take()!
        let (drained, retry) = state.withLock { state -> ([CheckedContinuation<Void, Never>], Bool) in
          // Put the unsent tail in front of whatever was appended meanwhile.
          if !state.pending.isEmpty {
            state.pending.withReadableBytes(count: state.pending.readableBytes) { remaining.writeBytes($0) }
            state.pending.clear()
          }
          swap(&state.pending, &remaining)
          // An edge that came while writing may have been the one that made room: no later
          // edge would come for it, so try again instead of waiting.
          let retry = state.writableEdge
          if !retry { state.isAwaitingWritable = true }
          return (resumeIfDrained(&state), retry)
        }
        for waiter in drained { waiter.resume() }
        if !retry { return }
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

  // MARK: - Closing

  /// Closes the connection; idempotent. Pending bytes are dropped, so send GOAWAY with
  /// `closeAfterFlush` instead when the peer should hear why.
  ///
  /// Deregisters from the event loop before the descriptor is closed (by this call, by the
  /// last system call still in progress on it, or by `start` when it is still registering),
  /// so a new connection that gets the same descriptor number never inherits anything of
  /// this one.
  func close(error: SocketError?) {
    let token = state.withLock { state -> UInt64?? in
      guard !state.isClosed else { return nil }
      state.isClosed = true
      state.isAwaitingWritable = false
      state.isReadPaused = false
      // This call is a user of the descriptor until it has deregistered it.
      state.descriptorUsers += 1
      return .some(state.token)
    }
    guard let token else { return }
    if let token { loop.deregister(fd, token: token) }
    releaseDescriptor()
    queue.async { [self] in
      onClosed(error)
      // The owner has cancelled its calls, which ended their waits for the output to drain
      // (it never will now); release any sender still waiting all the same.
      let waiters = state.withLock { $0.takeDrainWaiters() }
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
    let flushNow = state.withLock { state -> Bool? in
      guard !state.isClosed, !state.isClosing else { return nil }
      state.isClosing = true
      if state.isFlushing { return false }
      state.isFlushing = true
      return true
    }
    guard let flushNow else { return }
    queue.asyncAfter(deadline: .now() + lingerTimeout.dispatchInterval) { [weak self] in
      self?.close(error: nil)
    }
    if flushNow { flush() }
  }
}
