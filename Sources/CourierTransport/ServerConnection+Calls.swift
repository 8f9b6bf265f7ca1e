import CourierCore
import CourierWire
import Dispatch

/// Call frames: opening streams, delivering requests, running handlers, sending responses.
extension ServerConnection {
  func handleHeaders(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout Effects
  ) throws {
    let id = header.streamID
    try openStreamID(&state, id)
    if case .draining(let last) = state.phase, id > last {
      refuse(&state, id, .unavailable, "server is shutting down", &effects)
      return
    }
    // Larger HEADERS never get here: the decoder skips them (`handleOversized`).
    assert(payload.count <= shared.limits.headerBytesMax, "the decoder let \(payload.count) bytes of HEADERS through")
    guard state.streams.count < shared.limits.concurrentStreamsMax else {
      refuse(&state, id, .resourceExhausted, "too many concurrent streams (limit \(shared.limits.concurrentStreamsMax))", &effects)
      return
    }
    let headers = try ControlFrames.decode(Courier_V1_CallHeaders.self, payload)
    let metadata: Metadata
    switch MetadataCoding.metadata(headers.metadata) {
    case .success(let decoded): metadata = decoded
    case .failure(let error):
      refuse(&state, id, error.code, error.message, &effects)
      return
    }
    guard let handler = shared.router.handler(forPath: headers.path) else {
      let message = Self.unimplementedMessage(path: headers.path, router: shared.router)
      refuse(&state, id, .unimplemented, message, &effects)
      return
    }
    let deadline: ContinuousClock.Instant? =
      headers.timeoutMicroseconds == 0
      ? nil : .now + .microseconds(Int64(clamping: headers.timeoutMicroseconds))
    let context = ServerContext(
      descriptor: handler.descriptor, requestMetadata: metadata, deadline: deadline, peer: io.peer)
    let stream = ServerStream(
      id: id, handler: handler, context: context, sendWindow: state.peerStreamWindow,
      receiveWindow: shared.limits.streamWindowBytes)
    if let timeout = headers.timeoutMicroseconds == 0 ? nil : headers.timeoutMicroseconds {
      stream.deadlineTimer = DeadlineTimer(queue: io.queue, microseconds: Int(clamping: timeout)) { [weak self] in
        self?.deadlineExpired(id)
      }
    }
    if case .streaming(let body) = handler.body {
      let inbox = MessageInbox(onConsumed: { [self] bytes in consumed(id, bytes) })
      stream.inbox = inbox
      stream.task = Task(executorPreference: executor) { [self] in
        await runStreaming(id, body, inbox.sequence, context)
      }
    }
    state.streams[id] = stream
    if header.flags.contains(.endStream) {
      try endOfRequests(&state, id, &effects)
    }
  }

  /// Takes `id` for a new stream: it must be above every id the client used before.
  func openStreamID(_ state: inout State, _ id: UInt32) throws(ConnectionError) {
    guard id > state.highestStreamID else {
      throw ConnectionError(.protocolError, "stream id \(id) reused (highest so far \(state.highestStreamID))")
    }
    state.highestStreamID = id
    state.idleSince = nil
  }

  static func unimplementedMessage(path: String, router: RPCRouter) -> String {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true)
    if parts.count == 2, !router.hasService(String(parts[0])) {
      return "unknown service \(parts[0])"
    }
    return "unknown method \(path)"
  }

  /// Answers a stream with trailers only, without running anything.
  func refuse(_ state: inout State, _ id: UInt32, _ code: StatusCode, _ message: String, _ effects: inout Effects) {
    effects.append(io) { $0.writeTrailers(streamID: id, code: code, message: message, metadata: [:]) }
    if state.streams.isEmpty { state.idleSince = .now }
  }

  func handleMessage(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout Effects
  ) throws {
    let id = header.streamID
    try checkKnownStream(state, id)
    try chargeReceive(&state, id, bytes: payload.count)
    guard let stream = state.streams[id] else {
      // A call that already ended: its credit is returned at once, the message dropped.
      returnConnectionCredit(&state, payload.count, &effects)
      return
    }
    guard stream.phase == .receiving else {
      finishStream(&state, id, CallOutcome(code: .internal, message: "message after end of stream", metadata: [:]), &effects)
      return
    }
    if stream.isUnary {
      guard stream.unaryRequest == nil else {
        finishStream(&state, id, CallOutcome(code: .invalidArgument, message: "\(stream.handler.descriptor.path): expected one request, got several", metadata: [:]), &effects)
        return
      }
      stream.unaryRequest = [UInt8](payload)
      returnConnectionCredit(&state, payload.count, &effects)
    } else if let inbox = stream.inbox {
      stream.uncreditedBytes += payload.count
      effects.deliver([UInt8](payload), to: inbox)
    }
    if header.flags.contains(.endStream) {
      try endOfRequests(&state, id, &effects)
    }
  }

  /// Counts received MESSAGE bytes against the windows this side granted.
  private func chargeReceive(_ state: inout State, _ id: UInt32, bytes: Int) throws(ConnectionError) {
    let overshootMax = shared.limits.messageBytesMax
    state.connectionReceiveWindow -= bytes
    guard state.connectionReceiveWindow > -overshootMax else {
      throw ConnectionError(.flowControlError, "the client overran the connection window")
    }
    guard let stream = state.streams[id] else { return }
    stream.receiveWindow -= bytes
    guard stream.receiveWindow > -overshootMax else {
      throw ConnectionError(.flowControlError, "the client overran the window of stream \(id)")
    }
  }

  /// A MESSAGE above `messageBytesMax` or a HEADERS above `headerBytesMax`, whose payload the
  /// decoder skips: the call fails with RESOURCE_EXHAUSTED and the connection goes on.
  func handleOversized(_ state: inout State, _ header: FrameHeader, _ effects: inout Effects) throws {
    let id = header.streamID
    if state.phase == .awaitingSettings {
      throw ConnectionError(.protocolError, "the first frame must be SETTINGS")
    }
    guard id != 0 else { throw ConnectionError(.protocolError, "\(header.type) frame on stream 0") }
    switch header.type {
    case .headers:
      try openStreamID(&state, id)
      let limit = shared.limits.headerBytesMax
      refuse(&state, id, .resourceExhausted, "headers of \(header.payloadLength) bytes exceed the limit of \(limit)", &effects)
    case .message:
      try checkKnownStream(state, id)
      guard state.streams[id] != nil else { return }
      let limit = shared.limits.messageBytesMax
      finishStream(
        &state, id,
        CallOutcome(code: .resourceExhausted, message: "request message of \(header.payloadLength) bytes exceeds the limit of \(limit)", metadata: [:]),
        &effects)
    default:
      throw ConnectionError(.protocolError, "\(header.type) from a client")
    }
  }

  func handleHalfClose(_ state: inout State, _ header: FrameHeader, _ effects: inout Effects) throws {
    try checkKnownStream(state, header.streamID)
    guard let stream = state.streams[header.streamID] else { return }
    guard stream.phase == .receiving else {
      finishStream(&state, header.streamID, CallOutcome(code: .internal, message: "half-close after end of stream", metadata: [:]), &effects)
      return
    }
    try endOfRequests(&state, header.streamID, &effects)
  }

  func handleCancel(
    _ state: inout State, _ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ effects: inout Effects
  ) throws {
    try checkKnownStream(state, header.streamID)
    _ = try ControlFrames.decode(Courier_V1_Cancel.self, payload)
    guard let stream = state.streams.removeValue(forKey: header.streamID) else { return }
    effects.abandon(stream, error: RPCError(code: .cancelled, message: "the client cancelled the call"))
    streamRemoved(&state, stream, &effects)
  }

  /// The client has sent its last request: unary handlers start now, streams see the end.
  private func endOfRequests(_ state: inout State, _ id: UInt32, _ effects: inout Effects) throws {
    guard let stream = state.streams[id] else { return }
    stream.phase = .halfClosed
    if case .unary(let body) = stream.handler.body {
      guard let request = stream.unaryRequest else {
        finishStream(&state, id, CallOutcome(code: .invalidArgument, message: "\(stream.handler.descriptor.path): expected one request, got none", metadata: [:]), &effects)
        return
      }
      stream.unaryRequest = nil
      let context = stream.context
      stream.task = Task(executorPreference: executor) { [self] in await runUnary(id, body, request, context) }
    } else if let inbox = stream.inbox {
      effects.finish(inbox)
    }
  }

  // MARK: - Running handlers

  private func runUnary(
    _ id: UInt32, _ body: @escaping @Sendable ([UInt8], ServerContext) async throws -> [UInt8], _ request: [UInt8],
    _ context: ServerContext
  ) async {
    do {
      let response: [UInt8]
      if shared.needsNoWrapping(context) {
        // The common case, called directly: no closure to allocate, and two async frames fewer
        // (each costs a task switch, which takes the task's status lock under an executor
        // preference).
        response = try await body(request, context)
      } else {
        response = try await shared.run(context) { context in try await body(request, context) }
      }
      if finishUnary(id, response, context) { return }
      try await send(id, response)
      complete(id, .ok, context)
    } catch {
      complete(id, CallOutcome(error: error), context, thrown: error)
    }
  }

  private func runStreaming(
    _ id: UInt32,
    _ body: @escaping @Sendable (RPCAsyncSequence<[UInt8]>, RPCWriter<[UInt8]>, ServerContext) async throws -> Void,
    _ requests: RPCAsyncSequence<[UInt8]>, _ context: ServerContext
  ) async {
    let writer = RPCWriter<[UInt8]> { [self] message in try await send(id, message) }
    do {
      try await shared.run(context) { context in try await body(requests, writer, context) }
      complete(id, .ok, context)
    } catch {
      complete(id, CallOutcome(error: error), context, thrown: error)
    }
  }

  /// The fast path of a unary response: HEADERS, MESSAGE and TRAILERS appended together and
  /// flushed in one system call. Returns false (nothing sent) when flow control or the
  /// message limit needs the general path.
  private func finishUnary(_ id: UInt32, _ response: [UInt8], _ context: ServerContext) -> Bool {
    var effects = Effects()
    let done = state.withLock { state -> Bool in
      guard let stream = state.streams[id], !stream.sentHeaders, stream.sendWindow > 0,
        state.connectionSendWindow > 0, response.count <= state.peerMessageBytesMax
      else { return false }
      state.streams[id] = nil
      state.connectionSendWindow -= response.count
      let initial = context.response.initial
      let trailing = context.response.trailing
      effects.append(io) { buffer in
        buffer.writeResponseHeaders(streamID: id, metadata: initial)
        buffer.writeFrame(.message, streamID: id, payload: response)
        buffer.writeTrailers(streamID: id, code: .ok, message: "", metadata: trailing)
      }
      stream.deadlineTimer?.cancel()
      streamRemoved(&state, stream, &effects)
      // Alone, the response leaves now (latency); with other calls in flight it leaves with
      // theirs, in one write after the queue's current jobs (throughput).
      effects.deferFlush = !state.streams.isEmpty
      return true
    }
    effects.perform(io)
    return done
  }

  /// Sends one response message, waiting while flow control says the client cannot take it,
  /// and afterwards while the connection's unsent output exceeds `pendingOutputBytesMax` (a
  /// client may grant large windows and still not read).
  ///
  /// - Throws: `RPCError(.cancelled)` when the call has already ended; `RPCError(.unavailable)`
  ///   when the connection has closed; `CancellationError` when the handler's task was cancelled
  ///   while it waited for the output to drain.
  func send(_ id: UInt32, _ message: [UInt8]) async throws {
    while true {
      var effects = Effects()
      effects.deferFlush = true
      let outcome = state.withLock { state -> SendOutcome in
        guard let stream = state.streams[id] else { return .ended }
        guard message.count <= state.peerMessageBytesMax else { return .tooLarge(state.peerMessageBytesMax) }
        guard stream.sendWindow > 0 else { return .waitForStream }
        guard state.connectionSendWindow > 0 else { return .waitForConnection }
        let initial = stream.sentHeaders ? nil : stream.context.response.initial
        stream.sentHeaders = true
        stream.sendWindow -= message.count
        state.connectionSendWindow -= message.count
        effects.append(io) { buffer in
          if let initial { buffer.writeResponseHeaders(streamID: id, metadata: initial) }
          buffer.writeFrame(.message, streamID: id, payload: message)
        }
        return .sent
      }
      effects.perform(io)
      switch outcome {
      case .sent:
        // A handler that goes on writing to a connection that is gone learns it here, before
        // its call is torn down, instead of "sending" the rest of its stream into nothing.
        guard await io.waitForOutputToDrain() else { throw RPCError(code: .unavailable, message: "connection closed") }
        try Task.checkCancellation()
        return
      case .ended: throw RPCError(code: .cancelled, message: "the call has ended")
      case .tooLarge(let limit):
        throw RPCError(
          code: .resourceExhausted,
          message: "response message of \(message.count) bytes exceeds the client's limit of \(limit)")
      case .waitForStream, .waitForConnection:
        try Task.checkCancellation()
        await state.waitForSendWindow(streamID: id, connection: outcome == .waitForConnection)
      }
    }
  }

  private enum SendOutcome: Equatable {
    case sent, ended, waitForStream, waitForConnection
    case tooLarge(Int)
  }

  /// The handler returned or threw: send TRAILERS (and HEADERS if none went out yet).
  private func complete(_ id: UInt32, _ outcome: CallOutcome, _ context: ServerContext, thrown: (any Error)? = nil) {
    var outcome = outcome
    var trailing = context.response.trailing
    trailing.add(contentsOf: outcome.metadata)
    outcome.metadata = trailing
    var effects = Effects()
    let wasOpen = state.withLock { state -> Bool in
      guard state.streams[id] != nil else { return false }
      finishStream(&state, id, outcome, &effects)
      return true
    }
    effects.perform(io)
    if wasOpen, let thrown, !(thrown is RPCError), !(thrown is CancellationError) {
      shared.observer.handlerFailed(context.descriptor, thrown)
    }
  }

  /// Ends a stream with `outcome` and removes it.
  func finishStream(_ state: inout State, _ id: UInt32, _ outcome: CallOutcome, _ effects: inout Effects) {
    guard let stream = state.streams.removeValue(forKey: id) else { return }
    let initial: Metadata? = stream.sentHeaders || outcome.code != .ok ? nil : stream.context.response.initial
    effects.append(io) { buffer in
      if let initial { buffer.writeResponseHeaders(streamID: id, metadata: initial) }
      buffer.writeTrailers(streamID: id, code: outcome.code, message: outcome.message, metadata: outcome.metadata)
    }
    effects.abandon(stream, error: RPCError(code: outcome.code == .ok ? .cancelled : outcome.code, message: outcome.message.isEmpty ? "the call has ended" : outcome.message))
    streamRemoved(&state, stream, &effects)
  }

  /// Bookkeeping after `stream` left the table: its unconsumed credit, idleness, draining.
  func streamRemoved(_ state: inout State, _ stream: ServerStream, _ effects: inout Effects) {
    returnConnectionCredit(&state, stream.uncreditedBytes, &effects)
    if state.streams.isEmpty { state.idleSince = .now }
    closeIfDrained(&state, &effects)
  }

  private func deadlineExpired(_ id: UInt32) {
    var effects = Effects()
    state.withLock { state in
      finishStream(&state, id, CallOutcome(code: .deadlineExceeded, message: "deadline exceeded", metadata: [:]), &effects)
    }
    effects.perform(io)
  }

  // MARK: - Receive credit

  /// The handler took a message of `bytes`: return credit once half a window is consumed.
  private func consumed(_ id: UInt32, _ bytes: Int) {
    var effects = Effects()
    state.withLock { state in
      // After the call ended its credit was returned in full (see `streamRemoved`).
      guard let stream = state.streams[id] else { return }
      let credit = min(bytes, stream.uncreditedBytes)
      stream.uncreditedBytes -= credit
      returnConnectionCredit(&state, credit, &effects)
      guard stream.phase == .receiving else {
        return
      }
      stream.receiveConsumed += bytes
      let window = shared.limits.streamWindowBytes
      if stream.receiveConsumed >= window / 2 {
        let increment = stream.receiveConsumed
        stream.receiveConsumed = 0
        stream.receiveWindow += increment
        effects.append(io) { $0.writeWindowUpdate(streamID: id, increment: increment) }
      }
    }
    effects.perform(io)
  }

  func returnConnectionCredit(_ state: inout State, _ bytes: Int, _ effects: inout Effects) {
    guard bytes > 0 else { return }
    state.connectionReceiveConsumed += bytes
    if state.connectionReceiveConsumed >= shared.limits.connectionWindowBytes / 2 {
      let increment = state.connectionReceiveConsumed
      state.connectionReceiveConsumed = 0
      state.connectionReceiveWindow += increment
      effects.append(io) { $0.writeWindowUpdate(streamID: 0, increment: increment) }
    }
  }
}
