import CourierCore
import CourierWire
import Dispatch

/// The client side of one Courier connection: many calls multiplexed as streams, flow
/// control, keepalive and GOAWAY. `CourierChannel` owns connections and picks one per call.
///
/// Same locking discipline as `ServerConnection`: protocol state behind one `LockedValue`, output
/// appended under it, system calls and continuation resumes after it (`ClientEffects`).
final class ClientConnection: Sendable {
  let io: SocketIO
  let limits: TransportLimits
  let state: LockedValue<State>
  private nonisolated(unsafe) let timer: any DispatchSourceTimer
  /// Told when the connection starts draining or closes, so the channel stops using it.
  private let onUnusable: @Sendable (ClientConnection) -> Void

  struct State {
    enum Phase: Equatable {
      case awaitingPreface
      case active
      /// The server sent GOAWAY: no new streams; ids above `lastStreamID` were not processed.
      case draining(lastStreamID: UInt32)
      case closed
    }

    var phase: Phase = .awaitingPreface
    var decoder: FrameDecoder
    var nextStreamID: UInt32 = 1
    var streams: [UInt32: ClientStream] = [:]
    var activeStreams = 0
    var peerMessageBytesMax = TransportLimits().messageBytesMax
    var peerStreamWindow = TransportLimits().streamWindowBytes
    var peerConcurrentStreamsMax = TransportLimits().concurrentStreamsMax
    var connectionSendWindow = TransportLimits().connectionWindowBytes
    var connectionReceiveWindow: Int
    var connectionReceiveConsumed = 0
    var connectionWindowWaiters: [CheckedContinuation<Void, Never>] = []
    var slotWaiters: [CheckedContinuation<Void, Never>] = []
    var closeError: RPCError?
    var lastReceivedAt: ContinuousClock.Instant = .now
    var pingSentAt: ContinuousClock.Instant?
    var partialFrameSince: ContinuousClock.Instant?

    var isUsable: Bool { phase == .active || phase == .awaitingPreface }
  }

  init(fd: Int32, peer: String, limits: TransportLimits, onUnusable: @escaping @Sendable (ClientConnection) -> Void) {
    let queue = DispatchQueue(label: "courier.client.connection", target: connectionQueueTarget)
    self.limits = limits
    self.onUnusable = onUnusable
    self.state = LockedValue(
      State(
        decoder: FrameDecoder(messageBytesMax: limits.messageBytesMax, headerBytesMax: limits.headerBytesMax),
        connectionReceiveWindow: limits.connectionWindowBytes))
    self.timer = DispatchSource.makeTimerSource(queue: queue)
    let box = ClientConnectionBox()
    self.io = SocketIO(
      fd: fd, peer: peer, queue: queue, lingerTimeout: limits.frameTimeout,
      pendingOutputBytesMax: limits.pendingOutputBytesMax,
      onReadable: { buffer in box.connection?.handleReadable(&buffer) },
      onClosed: { error in box.connection?.handleClosed(error) })
    box.connection = self
  }

  /// Sends the preface and SETTINGS, starts reading and the keepalive timer.
  func start() {
    io.write { buffer in
      buffer.writePreface()
      buffer.writeSettings(limits)
    }
    let shortest = min(limits.keepaliveInterval, limits.keepaliveTimeout, limits.frameTimeout)
    let milliseconds = max(10, min(1000, Int(shortest.components.seconds) * 250))
    timer.schedule(deadline: .now() + .milliseconds(milliseconds), repeating: .milliseconds(milliseconds), leeway: .milliseconds(5))
    timer.setEventHandler { [self] in housekeeping() }
    timer.resume()
    io.start()
  }

  var isUsable: Bool { state.withLock { $0.isUsable } }

  // MARK: - Reading

  private func handleReadable(_ buffer: inout ByteBuffer) {
    var effects = ClientEffects()
    state.withLock { state in
      state.lastReceivedAt = .now
      state.pingSentAt = nil
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
    effects.perform(io, self)
  }

  /// Handles what the buffer holds; returns whether a frame (or the preface) ended in it.
  private func process(_ state: inout State, _ buffer: inout ByteBuffer, _ effects: inout ClientEffects) throws -> Bool {
    var prefaceEnded = false
    if state.phase == .awaitingPreface {
      guard buffer.readableBytes >= Preface.bytes.count else { return false }
      prefaceEnded = true
      let preface = buffer.getBytes(count: Preface.bytes.count)
      buffer.moveReaderIndex(forwardBy: Preface.bytes.count)
      guard preface == Preface.bytes else {
        throw ConnectionError(.protocolError, "the server's preface is not COURIER version 1")
      }
      state.phase = .active
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
        guard header.streamID != 0 else { throw ConnectionError(.protocolError, "\(header.type) frame on stream 0") }
        let limit = header.type == .message ? limits.messageBytesMax : limits.headerBytesMax
        let what = header.type == .message ? "response message" : "response \(header.type)"
        failStream(&state, header.streamID,
          RPCError(code: .resourceExhausted, message: "\(what) of \(header.payloadLength) bytes exceeds the limit of \(limit)"),
          sendCancel: true, &effects)
      }
    }
    return frameEnded || prefaceEnded
  }

  private func handleFrame(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout ClientEffects
  ) throws {
    if header.type.isCallFrame && header.streamID == 0 {
      throw ConnectionError(.protocolError, "\(header.type) frame on stream 0")
    }
    if !header.type.isCallFrame && header.type != .windowUpdate && header.streamID != 0 {
      throw ConnectionError(.protocolError, "\(header.type) frame on stream \(header.streamID)")
    }
    switch header.type {
    case .settings:
      if header.flags.contains(.ack) { return }
      let settings = try ControlFrames.decode(Courier_V1_Settings.self, payload)
      if settings.messageBytesMax != 0 { state.peerMessageBytesMax = min(Int(settings.messageBytesMax), TransportLimits.frameBytesMax) }
      if settings.initialStreamWindowBytes != 0 { state.peerStreamWindow = min(Int(settings.initialStreamWindowBytes), Int(Int32.max)) }
      if settings.connectionWindowBytes != 0 { state.connectionSendWindow = min(Int(settings.connectionWindowBytes), Int(Int32.max)) }
      if settings.concurrentStreamsMax != 0 { state.peerConcurrentStreamsMax = Int(settings.concurrentStreamsMax) }
      effects.resume(&state.slotWaiters)
      effects.resume(&state.connectionWindowWaiters)
      effects.append(io) { $0.writeSettingsAck() }
    case .ping:
      guard payload.count == 8 else { throw ConnectionError(.protocolError, "PING payload must be 8 bytes") }
      if !header.flags.contains(.ack) {
        let value = UInt64(bigEndian: payload.loadUnaligned(as: UInt64.self))
        effects.append(io) { $0.writePing(value, ack: true) }
      }
    case .goAway:
      let goAway = try ControlFrames.decode(Courier_V1_GoAway.self, payload)
      handleGoAway(&state, goAway, &effects)
    case .windowUpdate:
      try handleWindowUpdate(&state, header, payload, &effects)
    case .headers:
      let headers = try ControlFrames.decode(Courier_V1_ResponseHeaders.self, payload)
      handleResponseHeaders(&state, header.streamID, headers, &effects)
    case .message:
      try handleResponseMessage(&state, header.streamID, payload, &effects)
    case .trailers:
      let trailers = try ControlFrames.decode(Courier_V1_Trailers.self, payload)
      handleTrailers(&state, header.streamID, trailers, &effects)
    case .cancel, .halfClose:
      throw ConnectionError(.protocolError, "\(header.type) from a server")
    }
  }


  private func handleWindowUpdate(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout ClientEffects
  ) throws {
    let increment = try ControlFrames.windowIncrement(payload)
    if header.streamID == 0 {
      try ControlFrames.credit(&state.connectionSendWindow, by: increment, streamID: 0)
      effects.resume(&state.connectionWindowWaiters)
    } else if let stream = state.streams[header.streamID] {
      try ControlFrames.credit(&stream.sendWindow, by: increment, streamID: header.streamID)
      effects.resume(&stream.windowWaiters)
    }
  }

  private func handleGoAway(_ state: inout State, _ goAway: Courier_V1_GoAway, _ effects: inout ClientEffects) {
    let last = goAway.lastStreamID
    if state.phase != .closed { state.phase = .draining(lastStreamID: last) }
    effects.notifyUnusable = true
    let refused = RPCError(code: .unavailable, message: "the server is going away (\(goAway.debugMessage)); the call was not processed")
    for (id, stream) in state.streams where id > last && stream.end == nil {
      end(&state, id, .failed(refused), notProcessed: true, &effects)
    }
    effects.resume(&state.slotWaiters)
    if goAway.errorCode != ConnectionErrorCode.noError.rawValue {
      fail(&state, ConnectionError(.noError, "server sent GOAWAY: \(goAway.debugMessage)"), &effects, sendGoAway: false)
    } else {
      closeIfDrained(&state, &effects)
    }
  }

  func closeIfDrained(_ state: inout State, _ effects: inout ClientEffects) {
    if case .draining = state.phase, state.activeStreams == 0 {
      state.phase = .closed
      effects.closeAfterFlush = true
    }
  }

  // MARK: - Failing and closing

  func fail(_ state: inout State, _ error: ConnectionError, _ effects: inout ClientEffects, sendGoAway: Bool = true) {
    guard state.phase != .closed else { return }
    if sendGoAway {
      effects.append(io) { $0.writeGoAway(lastStreamID: 0, code: error.code, reason: error.reason) }
    }
    let failure = RPCError(code: .unavailable, message: "connection failed: \(error.reason)")
    failAll(&state, failure, &effects)
    state.phase = .closed
    effects.closeAfterFlush = true
    effects.notifyUnusable = true
  }

  private func failAll(_ state: inout State, _ failure: RPCError, _ effects: inout ClientEffects) {
    state.closeError = failure
    for (id, stream) in state.streams where stream.end == nil {
      end(&state, id, .failed(failure), notProcessed: false, &effects)
    }
    effects.resume(&state.slotWaiters)
    effects.resume(&state.connectionWindowWaiters)
  }

  private func handleClosed(_ error: SocketError?) {
    timer.cancel()
    var effects = ClientEffects()
    state.withLock { state in
      let reason = error.map { "\($0)" } ?? "the server closed the connection"
      failAll(&state, state.closeError ?? RPCError(code: .unavailable, message: reason), &effects)
      state.phase = .closed
    }
    effects.notifyUnusable = true
    effects.perform(io, self)
  }

  /// Closes the connection: GOAWAY, then close; open calls fail with UNAVAILABLE.
  func close() {
    var effects = ClientEffects()
    state.withLock { state in
      fail(&state, ConnectionError(.noError, "client closing"), &effects)
    }
    effects.perform(io, self)
  }

  func notifyUnusable() { onUnusable(self) }

  // MARK: - Keepalive and timeouts

  private func housekeeping() {
    var effects = ClientEffects()
    state.withLock { state in
      guard state.phase != .closed else { return }
      let now = ContinuousClock.now
      if let since = state.partialFrameSince, now - since > limits.frameTimeout {
        fail(&state, ConnectionError(.protocolError, "incomplete frame"), &effects)
        return
      }
      if let sentAt = state.pingSentAt {
        if now - sentAt > limits.keepaliveTimeout {
          fail(&state, ConnectionError(.noError, "keepalive timeout"), &effects, sendGoAway: false)
        }
      } else if now - state.lastReceivedAt > limits.keepaliveInterval {
        state.pingSentAt = now
        effects.append(io) { $0.writePing(UInt64(truncatingIfNeeded: now.hashValue), ack: false) }
      }
    }
    effects.perform(io, self)
  }
}

final class ClientConnectionBox: Sendable {
  private let reference = LockedValue<WeakReference?>(nil)

  struct WeakReference { weak var object: ClientConnection? }

  var connection: ClientConnection? {
    get { reference.withLock { $0?.object } }
    set { reference.withLock { $0 = WeakReference(object: newValue) } }
  }
}
