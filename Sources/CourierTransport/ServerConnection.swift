import CourierCore
import CourierWire
import Dispatch

/// The server side of one Courier connection: the handshake, the stream table, flow control,
/// timeouts and shutdown. Bytes come from `SocketIO` on the connection's queue; handlers run
/// as tasks and write back through the same lock.
///
/// Locking: all protocol state is in `state` (one `LockedValue`, a pthread mutex). Output is appended to the socket's
/// buffer while holding it, so frames leave in the order decisions were made; system calls
/// (the flush) and work that takes other locks (inboxes, continuations) happen after it is
/// released, collected in `Effects`.
final class ServerConnection: Sendable {
  let io: SocketIO
  let shared: ServerShared
  let state: LockedValue<State>
  /// Handlers run on the connection's queue (see `QueueExecutor`).
  let executor: QueueExecutor
  private nonisolated(unsafe) let timer: any DispatchSourceTimer

  struct State {
    enum Phase: Equatable {
      case awaitingPreface
      case awaitingSettings
      case active
      /// GOAWAY sent: streams above `lastStreamID` are refused.
      case draining(lastStreamID: UInt32)
      case closed
    }

    var phase: Phase = .awaitingPreface
    var decoder: FrameDecoder
    var highestStreamID: UInt32 = 0
    var streams: [UInt32: ServerStream] = [:]
    var peerMessageBytesMax: Int
    var peerStreamWindow: Int
    var connectionSendWindow: Int
    var connectionReceiveWindow: Int
    var connectionReceiveConsumed = 0
    /// Streams with writers waiting for the connection window.
    var connectionWindowWaiters: [CheckedContinuation<Void, Never>] = []
    let openedAt: ContinuousClock.Instant
    var idleSince: ContinuousClock.Instant?
    var partialFrameSince: ContinuousClock.Instant?
    var pingWindowStart: ContinuousClock.Instant
    var pingsInWindow = 0

    var isAcceptingStreams: Bool {
      if case .active = phase { return true }
      return false
    }
  }

  init(fd: Int32, peer: String, shared: ServerShared) {
    let queue = DispatchQueue(label: "courier.server.connection", target: connectionQueueTarget)
    let limits = shared.limits
    let now = ContinuousClock.now
    self.shared = shared
    self.state = LockedValue(
      State(
        decoder: FrameDecoder(messageBytesMax: limits.messageBytesMax, headerBytesMax: limits.headerBytesMax),
        peerMessageBytesMax: TransportLimits().messageBytesMax,
        peerStreamWindow: TransportLimits().streamWindowBytes,
        connectionSendWindow: TransportLimits().connectionWindowBytes,
        connectionReceiveWindow: limits.connectionWindowBytes,
        openedAt: now, idleSince: now, pingWindowStart: now))
    self.timer = DispatchSource.makeTimerSource(queue: queue)
    self.executor = QueueExecutor(queue: queue)
    let box = ConnectionBox()
    self.io = SocketIO(
      fd: fd, peer: peer, queue: queue, lingerTimeout: limits.frameTimeout,
      pendingOutputBytesMax: limits.pendingOutputBytesMax,
      onReadable: { buffer in box.connection?.handleReadable(&buffer) },
      onClosed: { error in box.connection?.handleClosed(error) })
    box.connection = self
  }

  /// Starts reading and the housekeeping timer. The server's preface and SETTINGS answer the
  /// client's preface (docs/PROTOCOL.md section 1), so nothing is written yet.
  func start() {
    let interval = shared.timerInterval
    timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(5))
    timer.setEventHandler { [self] in housekeeping() }
    timer.resume()
    io.start()
  }

  // MARK: - Reading

  private func handleReadable(_ buffer: inout ByteBuffer) {
    var effects = Effects()
    state.withLock { state in
      do {
        let frameEnded = try process(&state, &buffer, &effects)
        if !state.decoder.hasPartialFrame(in: buffer) {
          state.partialFrameSince = nil
        } else if frameEnded || state.partialFrameSince == nil {
          // The partial frame started in the bytes just read: frameTimeout bounds one frame,
          // not a peer whose reads always end mid-frame.
          state.partialFrameSince = .now
        }
      } catch let error as ConnectionError {
        fail(&state, error, &effects)
      } catch {
        fail(&state, ConnectionError(.internalError, "\(error)"), &effects)
      }
    }
    effects.perform(io)
  }

  /// Handles what the buffer holds; returns whether a frame (or the preface) ended in it.
  private func process(_ state: inout State, _ buffer: inout ByteBuffer, _ effects: inout Effects) throws -> Bool {
    var prefaceEnded = false
    if state.phase == .awaitingPreface {
      guard buffer.readableBytes >= Preface.bytes.count else { return false }
      prefaceEnded = true
      let preface = buffer.getBytes(count: Preface.bytes.count)
      buffer.moveReaderIndex(forwardBy: Preface.bytes.count)
      guard Array(preface.prefix(7)) == Preface.magic else {
        throw ConnectionError(.protocolError, "bad preface")
      }
      guard preface[7] == Preface.version else {
        throw ConnectionError(.unsupportedVersion, "unsupported protocol version \(preface[7])")
      }
      state.phase = .awaitingSettings
      effects.append(io) { buffer in
        buffer.writePreface()
        buffer.writeSettings(shared.limits)
      }
    }
    guard state.phase != .closed else {
      buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
      return prefaceEnded
    }
    var decoder = state.decoder
    defer { state.decoder = decoder }
    let frameEnded = try decoder.decode(&buffer) { event in
      guard state.phase != .closed else { return }
      switch event {
      case .frame(let header, let payload):
        try handleFrame(&state, header, payload, &effects)
      case .oversized(let header):
        try handleOversized(&state, header, &effects)
      }
    }
    return frameEnded || prefaceEnded
  }

  private func handleFrame(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout Effects
  ) throws {
    if state.phase == .awaitingSettings {
      guard header.type == .settings, !header.flags.contains(.ack) else {
        throw ConnectionError(.protocolError, "the first frame must be SETTINGS")
      }
    }
    if header.type.isCallFrame && header.streamID == 0 {
      throw ConnectionError(.protocolError, "\(header.type) frame on stream 0")
    }
    if !header.type.isCallFrame && header.type != .windowUpdate && header.streamID != 0 {
      throw ConnectionError(.protocolError, "\(header.type) frame on stream \(header.streamID)")
    }
    switch header.type {
    case .settings: try handleSettings(&state, header, payload, &effects)
    case .headers: try handleHeaders(&state, header, payload, &effects)
    case .message: try handleMessage(&state, header, payload, &effects)
    case .halfClose: try handleHalfClose(&state, header, &effects)
    case .cancel: try handleCancel(&state, header, payload, &effects)
    case .windowUpdate: try handleWindowUpdate(&state, header, payload, &effects)
    case .ping: try handlePing(&state, header, payload, &effects)
    case .goAway: try handleGoAway(&state, payload, &effects)
    case .trailers: throw ConnectionError(.protocolError, "TRAILERS from a client")
    }
  }

  // MARK: - Connection frames

  private func handleSettings(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout Effects
  ) throws {
    if header.flags.contains(.ack) { return }
    guard state.phase == .awaitingSettings else {
      throw ConnectionError(.protocolError, "SETTINGS sent twice")
    }
    let settings = try ControlFrames.decode(Courier_V1_Settings.self, payload)
    if settings.messageBytesMax != 0 {
      state.peerMessageBytesMax = min(Int(settings.messageBytesMax), TransportLimits.frameBytesMax)
    }
    if settings.initialStreamWindowBytes != 0 {
      state.peerStreamWindow = min(Int(settings.initialStreamWindowBytes), Int(Int32.max))
    }
    if settings.connectionWindowBytes != 0 {
      state.connectionSendWindow = min(Int(settings.connectionWindowBytes), Int(Int32.max))
    }
    state.phase = .active
    effects.append(io) { $0.writeSettingsAck() }
  }

  private func handlePing(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout Effects
  ) throws {
    guard payload.count == 8 else { throw ConnectionError(.protocolError, "PING payload must be 8 bytes") }
    if header.flags.contains(.ack) { return }
    let now = ContinuousClock.now
    if now - state.pingWindowStart > .seconds(1) {
      state.pingWindowStart = now
      state.pingsInWindow = 0
    }
    state.pingsInWindow += 1
    if state.pingsInWindow > shared.limits.pingsPerSecondMax && state.streams.isEmpty {
      throw ConnectionError(.enhanceYourCalm, "too many pings")
    }
    let value = UInt64(bigEndian: payload.loadUnaligned(as: UInt64.self))
    effects.append(io) { $0.writePing(value, ack: true) }
  }

  private func handleGoAway(
    _ state: inout State, _ payload: UnsafeRawBufferPointer, _ effects: inout Effects
  ) throws {
    // Checked like every control payload (docs/PROTOCOL.md section 2), though its fields do
    // not change what happens: the client is leaving, so finish what is open, then close.
    _ = try ControlFrames.decode(Courier_V1_GoAway.self, payload)
    beginDraining(&state, &effects)
  }

  private func handleWindowUpdate(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout Effects
  ) throws {
    let increment = try ControlFrames.windowIncrement(payload)
    if header.streamID == 0 {
      try ControlFrames.credit(&state.connectionSendWindow, by: increment, streamID: 0)
      effects.resume(&state.connectionWindowWaiters)
      return
    }
    try checkKnownStream(state, header.streamID)
    guard let stream = state.streams[header.streamID] else { return }
    try ControlFrames.credit(&stream.sendWindow, by: increment, streamID: header.streamID)
    effects.resume(&stream.windowWaiters)
  }

  /// Frames for ids above every id opened are a protocol error; for closed ids they are ignored.
  func checkKnownStream(_ state: State, _ id: UInt32) throws(ConnectionError) {
    guard id <= state.highestStreamID else {
      throw ConnectionError(.protocolError, "frame for stream \(id), which was never opened")
    }
  }


  // MARK: - Failing and closing

  /// A connection error: GOAWAY with the reason, cancel every call, close after the flush.
  func fail(_ state: inout State, _ error: ConnectionError, _ effects: inout Effects) {
    guard state.phase != .closed else { return }
    let lastStreamID = state.highestStreamID
    let needsPreface = state.phase == .awaitingPreface
    effects.append(io) { buffer in
      // Before the peer's preface was accepted ours has not been sent; the peer needs it to
      // read the GOAWAY (docs/PROTOCOL.md section 10, the bad-preface example).
      if needsPreface { buffer.writePreface() }
      buffer.writeGoAway(lastStreamID: lastStreamID, code: error.code, reason: error.reason)
    }
    abandonAllStreams(&state, &effects, error: RPCError(code: .unavailable, message: "connection error: \(error.reason)"))
    state.phase = .closed
    effects.closeAfterFlush = true
    shared.observer.connectionError(error, peer: io.peer)
  }

  func abandonAllStreams(_ state: inout State, _ effects: inout Effects, error: RPCError) {
    for (_, stream) in state.streams { effects.abandon(stream, error: error) }
    state.streams.removeAll()
    effects.resume(&state.connectionWindowWaiters)
  }

  private func handleClosed(_ error: SocketError?) {
    timer.cancel()
    var effects = Effects()
    state.withLock { state in
      abandonAllStreams(&state, &effects, error: RPCError(code: .unavailable, message: "connection closed"))
      state.phase = .closed
    }
    effects.perform(io)
    shared.connectionClosed(self)
  }

  // MARK: - Shutdown

  /// Sends GOAWAY(NO_ERROR) and refuses new streams; closes once open calls finish.
  func beginGracefulShutdown() {
    var effects = Effects()
    state.withLock { state in beginDraining(&state, &effects) }
    effects.perform(io)
  }

  private func beginDraining(_ state: inout State, _ effects: inout Effects) {
    switch state.phase {
    case .closed, .draining: return
    case .awaitingPreface, .awaitingSettings:
      let needsPreface = state.phase == .awaitingPreface
      state.phase = .closed
      effects.append(io) { buffer in
        if needsPreface { buffer.writePreface() }
        buffer.writeGoAway(lastStreamID: 0, code: .noError, reason: "server shutting down")
      }
      effects.closeAfterFlush = true
    case .active:
      let last = state.highestStreamID
      state.phase = .draining(lastStreamID: last)
      effects.append(io) { $0.writeGoAway(lastStreamID: last, code: .noError, reason: "server shutting down") }
      closeIfDrained(&state, &effects)
    }
  }

  func closeIfDrained(_ state: inout State, _ effects: inout Effects) {
    if case .draining = state.phase, state.streams.isEmpty {
      state.phase = .closed
      effects.closeAfterFlush = true
    }
  }

  /// Ends every open call with UNAVAILABLE and closes (the grace period is over).
  func forceClose() {
    var effects = Effects()
    state.withLock { state in
      guard state.phase != .closed else { return }
      for (id, stream) in state.streams {
        effects.append(io) {
          $0.writeTrailers(streamID: id, code: .unavailable, message: "server shutting down", metadata: [:])
        }
        effects.abandon(stream, error: RPCError(code: .unavailable, message: "server shutting down"))
      }
      state.streams.removeAll()
      effects.resume(&state.connectionWindowWaiters)
      state.phase = .closed
      effects.closeAfterFlush = true
    }
    effects.perform(io)
  }

  var openStreamCount: Int { state.withLock { $0.streams.count } }

  // MARK: - Housekeeping timer

  private func housekeeping() {
    var effects = Effects()
    state.withLock { state in
      let now = ContinuousClock.now
      let limits = shared.limits
      switch state.phase {
      case .closed:
        return
      case .awaitingPreface, .awaitingSettings:
        if now - state.openedAt > limits.handshakeTimeout {
          fail(&state, ConnectionError(.handshakeTimeout, "no preface and SETTINGS within \(limits.handshakeTimeout)"), &effects)
          return
        }
      case .active, .draining:
        break
      }
      if let since = state.partialFrameSince, now - since > limits.frameTimeout {
        fail(&state, ConnectionError(.protocolError, "incomplete frame"), &effects)
        return
      }
      if state.streams.isEmpty, let idleSince = state.idleSince, now - idleSince > limits.idleTimeout,
        case .active = state.phase
      {
        let last = state.highestStreamID
        effects.append(io) { $0.writeGoAway(lastStreamID: last, code: .noError, reason: "idle") }
        state.phase = .closed
        effects.closeAfterFlush = true
      }
    }
    effects.perform(io)
  }
}

/// Breaks the reference cycle between a connection and its socket's callbacks: the socket
/// holds the box, the box holds the connection weakly.
final class ConnectionBox: Sendable {
  private let reference = LockedValue<WeakReference?>(nil)

  struct WeakReference { weak var object: ServerConnection? }

  var connection: ServerConnection? {
    get { reference.withLock { $0?.object } }
    set { reference.withLock { $0 = WeakReference(object: newValue) } }
  }
}
