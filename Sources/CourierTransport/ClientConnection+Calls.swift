import CourierCore
import CourierWire
import Dispatch

/// The call API the channel uses, and the server's call frames.
extension ClientConnection {
  /// Opens a stream: waits for a free slot under the server's concurrency limit, then sends
  /// HEADERS (flushed now if `flush`, else with the first message).
  ///
  /// - Throws: `CallNotProcessed` if the connection cannot take new calls.
  func openStream(
    path: String, metadata: Metadata, timeout: Duration?, expectsSingleResponse: Bool, flush: Bool
  ) async throws -> UInt32 {
    while true {
      var effects = ClientEffects()
      let outcome = state.withLock { state -> OpenOutcome in
        guard state.isUsable else {
          return .unusable(state.closeError ?? RPCError(code: .unavailable, message: "connection is closing"))
        }
        guard state.activeStreams < state.peerConcurrentStreamsMax else { return .wait }
        let id = state.nextStreamID
        guard id < UInt32(Int32.max) else {
          // Stream ids are exhausted: this connection drains and the channel opens another.
          state.phase = .draining(lastStreamID: id - 1)
          effects.notifyUnusable = true
          return .unusable(RPCError(code: .unavailable, message: "stream ids exhausted"))
        }
        state.nextStreamID += 1
        let stream = ClientStream(
          id: id, expectsSingleResponse: expectsSingleResponse, sendWindow: state.peerStreamWindow,
          receiveWindow: limits.streamWindowBytes)
        if !expectsSingleResponse {
          stream.inbox = MessageInbox(onConsumed: { [self] bytes in consumed(id, bytes) })
        }
        var headers = Courier_V1_CallHeaders()
        headers.path = path
        if let timeout {
          let microseconds = max(1, timeout.components.seconds * 1_000_000 + timeout.components.attoseconds / 1_000_000_000_000)
          headers.timeoutMicroseconds = UInt64(microseconds)
          stream.deadlineTimer = DeadlineTimer(queue: io.queue, microseconds: Int(clamping: microseconds)) {
            [weak self] in
            self?.expire(id, RPCError(code: .deadlineExceeded, message: "deadline exceeded after \(timeout)"))
          }
        }
        headers.metadata = MetadataCoding.entries(metadata)
        state.streams[id] = stream
        state.activeStreams += 1
        if flush {
          effects.append(io) { $0.writeFrame(.headers, streamID: id, message: headers) }
        } else {
          io.appendDeferred { $0.writeFrame(.headers, streamID: id, message: headers) }
        }
        return .opened(id)
      }
      effects.perform(io, self)
      switch outcome {
      case .opened(let id): return id
      case .unusable(let error): throw CallNotProcessed(error: error)
      case .wait: await waitForSlot()
      }
    }
  }

  private enum OpenOutcome {
    case opened(UInt32)
    case unusable(RPCError)
    case wait
  }

  private func waitForSlot() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let waiting = state.withLock { state -> Bool in
        guard state.isUsable, state.activeStreams >= state.peerConcurrentStreamsMax else { return false }
        state.slotWaiters.append(continuation)
        return true
      }
      if !waiting { continuation.resume() }
    }
  }

  /// Sends a request message (the last one if `endStream`), waiting for flow-control credit,
  /// and afterwards while the connection's unsent output exceeds `pendingOutputBytesMax`.
  ///
  /// - Throws: the call's `RPCError` if it has ended; `RPCError(.unavailable)` when the
  ///   connection has closed; `CancellationError` when the task was cancelled while it waited.
  func send(_ id: UInt32, _ message: [UInt8], endStream: Bool) async throws {
    while true {
      var effects = ClientEffects()
      let outcome = state.withLock { state -> SendOutcome in
        guard let stream = state.streams[id] else { return .ended(RPCError(code: .cancelled, message: "the call has ended")) }
        if let end = stream.end { return .ended(end.error ?? RPCError(code: .cancelled, message: "the call has ended")) }
        guard !stream.requestsClosed else { return .ended(RPCError(code: .internal, message: "requests already closed")) }
        guard message.count <= state.peerMessageBytesMax else {
          return .ended(RPCError(code: .resourceExhausted, message: "request message of \(message.count) bytes exceeds the server's limit of \(state.peerMessageBytesMax)"))
        }
        guard stream.sendWindow > 0 else { return .waitForStream }
        guard state.connectionSendWindow > 0 else { return .waitForConnection }
        stream.sendWindow -= message.count
        state.connectionSendWindow -= message.count
        stream.requestsClosed = endStream
        effects.append(io) { $0.writeFrame(.message, flags: endStream ? .endStream : [], streamID: id, payload: message) }
        // With other calls in flight, requests issued together leave in one write.
        effects.deferFlush = state.activeStreams > 1
        return .sent
      }
      effects.perform(io, self)
      switch outcome {
      case .sent:
        // A server may grant windows of 2^31−1 bytes and still not read: past
        // `pendingOutputBytesMax` of unsent output the caller waits, so its stream cannot grow
        // this connection's buffer without limit. A closed connection fails the write here.
        guard await io.waitForOutputToDrain() else { throw RPCError(code: .unavailable, message: "connection closed") }
        try Task.checkCancellation()
        return
      case .ended(let error): throw error
      case .waitForStream, .waitForConnection:
        try Task.checkCancellation()
        await state.waitForSendWindow(streamID: id, connection: outcome == .waitForConnection)
      }
    }
  }

  private enum SendOutcome: Equatable {
    case sent, waitForStream, waitForConnection
    case ended(RPCError)
  }

  /// Ends the request stream without a message.
  func halfClose(_ id: UInt32) {
    var effects = ClientEffects()
    state.withLock { state in
      guard let stream = state.streams[id], stream.end == nil, !stream.requestsClosed else { return }
      stream.requestsClosed = true
      effects.append(io) { $0.writeFrame(.halfClose, streamID: id, payload: []) }
    }
    effects.perform(io, self)
  }

  /// The caller gave up: send CANCEL and fail the call locally with `error`.
  func expire(_ id: UInt32, _ error: RPCError) {
    var effects = ClientEffects()
    state.withLock { state in failStream(&state, id, error, sendCancel: true, &effects) }
    effects.perform(io, self)
  }

  /// Forgets a finished call (the channel calls this when the call is over).
  func release(_ id: UInt32) {
    var effects = ClientEffects()
    state.withLock { state in
      guard let stream = state.streams[id] else { return }
      if stream.end == nil {
        failStream(&state, id, RPCError(code: .cancelled, message: "the call was abandoned"), sendCancel: true, &effects)
      }
      state.streams[id] = nil
    }
    effects.perform(io, self)
  }

  // MARK: - Waiting for responses

  /// The single response of a unary or client-streaming call.
  func singleResponse(_ id: UInt32) async throws -> ClientResponse<[UInt8]> {
    try await withUnsafeThrowingContinuation { (continuation: SingleResponseWaiter) in
      let ready = state.withLock { state -> Result<ClientResponse<[UInt8]>, any Error>? in
        guard let stream = state.streams[id] else { return .failure(RPCError(code: .cancelled, message: "the call has ended")) }
        if let end = stream.end { return Self.singleResult(stream, end) }
        stream.singleResponseWaiter = continuation
        return nil
      }
      if let ready { continuation.resume(with: ready) }
    }
  }

  static func singleResult(_ stream: ClientStream, _ end: ClientCallEnd) -> Result<ClientResponse<[UInt8]>, any Error> {
    switch end {
    case .failed(let error): return .failure(error)
    case .trailers(let code, let message, let metadata):
      guard code == .ok else { return .failure(RPCError(code: code, message: message, metadata: metadata)) }
      guard let response = stream.singleResponse else {
        return .failure(RPCError(code: .internal, message: "the server sent status OK without a response message"))
      }
      return .success(ClientResponse(message: response, initialMetadata: stream.initialMetadata ?? [:], trailingMetadata: metadata))
    }
  }

  /// The initial metadata of a streaming response (empty for a trailers-only response).
  func initialMetadata(_ id: UInt32) async throws -> Metadata {
    try await withCheckedThrowingContinuation { continuation in
      let ready = state.withLock { state -> Result<Metadata, any Error>? in
        guard let stream = state.streams[id] else { return .failure(RPCError(code: .cancelled, message: "the call has ended")) }
        if let metadata = stream.initialMetadata { return .success(metadata) }
        if let end = stream.end {
          if let error = end.error { return .failure(error) }
          return .success([:])
        }
        stream.headersWaiter = continuation
        return nil
      }
      if let ready { continuation.resume(with: ready) }
    }
  }

  /// The response messages of a streaming call.
  func responseMessages(_ id: UInt32) -> RPCAsyncSequence<[UInt8]> {
    let inbox = state.withLock { $0.streams[id]?.inbox }
    return inbox?.sequence ?? .elements([])
  }

  /// The trailing metadata, once the call has ended with OK; throws its error otherwise.
  func trailingMetadata(_ id: UInt32) async throws -> Metadata {
    try await withCheckedThrowingContinuation { continuation in
      let ready = state.withLock { state -> Result<Metadata, any Error>? in
        guard let stream = state.streams[id] else { return .failure(RPCError(code: .cancelled, message: "the call has ended")) }
        if let end = stream.end {
          switch end {
          case .trailers(let code, let message, let metadata):
            return code == .ok ? .success(metadata) : .failure(RPCError(code: code, message: message, metadata: metadata))
          case .failed(let error): return .failure(error)
          }
        }
        stream.trailersWaiters.append(continuation)
        return nil
      }
      if let ready { continuation.resume(with: ready) }
    }
  }

  // MARK: - Frames from the server

  func handleResponseHeaders(_ state: inout State, _ id: UInt32, _ headers: Courier_V1_ResponseHeaders, _ effects: inout ClientEffects) {
    guard let stream = state.streams[id], stream.end == nil, stream.initialMetadata == nil else { return }
    switch MetadataCoding.metadata(headers.metadata) {
    case .success(let metadata):
      stream.initialMetadata = metadata
      if let waiter = stream.headersWaiter {
        stream.headersWaiter = nil
        effects.later { waiter.resume(returning: metadata) }
      }
    case .failure(let error):
      failStream(&state, id, error, sendCancel: true, &effects)
    }
  }

  func handleResponseMessage(_ state: inout State, _ id: UInt32, _ payload: UnsafeRawBufferPointer, _ effects: inout ClientEffects) throws {
    let bytes = payload.count
    state.connectionReceiveWindow -= bytes
    guard state.connectionReceiveWindow > -limits.messageBytesMax else {
      throw ConnectionError(.flowControlError, "the server overran the connection window")
    }
    guard let stream = state.streams[id], stream.end == nil else {
      returnConnectionCredit(&state, bytes, &effects)
      return
    }
    stream.receiveWindow -= bytes
    guard stream.receiveWindow > -limits.messageBytesMax else {
      throw ConnectionError(.flowControlError, "the server overran the window of stream \(id)")
    }
    if stream.expectsSingleResponse {
      guard stream.singleResponse == nil else {
        failStream(&state, id, RPCError(code: .internal, message: "the server sent more than one response message"), sendCancel: true, &effects)
        return
      }
      stream.singleResponse = [UInt8](payload)
      returnConnectionCredit(&state, bytes, &effects)
    } else if let inbox = stream.inbox {
      stream.uncreditedBytes += bytes
      effects.deliver([UInt8](payload), to: inbox)
    }
    if stream.initialMetadata == nil { stream.initialMetadata = [:] }
  }

  func handleTrailers(_ state: inout State, _ id: UInt32, _ trailers: Courier_V1_Trailers, _ effects: inout ClientEffects) {
    guard state.streams[id]?.end == nil else { return }
    switch MetadataCoding.metadata(trailers.metadata) {
    case .success(let metadata):
      let code = StatusCode(rawValue: Int(trailers.code))
      end(&state, id, .trailers(code: code, message: trailers.message, metadata: metadata), notProcessed: false, &effects)
    case .failure(let error):
      end(&state, id, .failed(error), notProcessed: false, &effects)
    }
  }

  /// Ends a call locally with `error`, telling the server with CANCEL if asked.
  func failStream(_ state: inout State, _ id: UInt32, _ error: RPCError, sendCancel: Bool, _ effects: inout ClientEffects) {
    guard let stream = state.streams[id], stream.end == nil else { return }
    if sendCancel && state.phase != .closed {
      var cancel = Courier_V1_Cancel()
      cancel.code = UInt32(error.code.rawValue)
      cancel.reason = error.message
      effects.append(io) { $0.writeFrame(.cancel, streamID: id, message: cancel) }
    }
    end(&state, id, .failed(error), notProcessed: false, &effects)
  }

  /// Records how the call ended and wakes everything waiting on it.
  func end(_ state: inout State, _ id: UInt32, _ end: ClientCallEnd, notProcessed: Bool, _ effects: inout ClientEffects) {
    guard let stream = state.streams[id], stream.end == nil else { return }
    stream.end = end
    stream.deadlineTimer?.cancel()
    state.activeStreams -= 1
    returnConnectionCredit(&state, stream.uncreditedBytes, &effects)
    stream.uncreditedBytes = 0
    // Built only when a waiter needs it: boxing an error allocates, and a call that ended
    // with OK and had only its single-response waiter never does.
    func failure() -> any Error {
      guard let error = end.error else { return RPCError(code: .cancelled, message: "the call has ended") }
      return notProcessed ? CallNotProcessed(error: error) : error
    }
    if let waiter = stream.singleResponseWaiter {
      stream.singleResponseWaiter = nil
      let result: Result<ClientResponse<[UInt8]>, any Error> =
        notProcessed ? .failure(failure()) : Self.singleResult(stream, end)
      effects.resume(waiter, with: result)
    }
    if let waiter = stream.headersWaiter {
      stream.headersWaiter = nil
      let result: Result<Metadata, any Error> = end.error == nil ? .success([:]) : .failure(failure())
      effects.later { waiter.resume(with: result) }
    }
    if !stream.trailersWaiters.isEmpty {
      let waiters = stream.trailersWaiters
      stream.trailersWaiters = []
      let result: Result<Metadata, any Error> = {
        if case .trailers(.ok, _, let metadata) = end { return .success(metadata) }
        return .failure(failure())
      }()
      effects.later { for waiter in waiters { waiter.resume(with: result) } }
    }
    if let inbox = stream.inbox {
      let error = end.error
      effects.later { inbox.finish(throwing: error) }
    }
    effects.resume(&stream.windowWaiters)
    effects.resume(&state.slotWaiters)
    closeIfDrained(&state, &effects)
  }

  // MARK: - Receive credit

  private func consumed(_ id: UInt32, _ bytes: Int) {
    var effects = ClientEffects()
    state.withLock { state in
      guard let stream = state.streams[id], stream.end == nil else { return }
      let credit = min(bytes, stream.uncreditedBytes)
      stream.uncreditedBytes -= credit
      returnConnectionCredit(&state, credit, &effects)
      stream.receiveConsumed += bytes
      if stream.receiveConsumed >= limits.streamWindowBytes / 2 {
        let increment = stream.receiveConsumed
        stream.receiveConsumed = 0
        stream.receiveWindow += increment
        effects.append(io) { $0.writeWindowUpdate(streamID: id, increment: increment) }
      }
    }
    effects.perform(io, self)
  }

  func returnConnectionCredit(_ state: inout State, _ bytes: Int, _ effects: inout ClientEffects) {
    guard bytes > 0 else { return }
    state.connectionReceiveConsumed += bytes
    if state.connectionReceiveConsumed >= limits.connectionWindowBytes / 2 {
      let increment = state.connectionReceiveConsumed
      state.connectionReceiveConsumed = 0
      state.connectionReceiveWindow += increment
      effects.append(io) { $0.writeWindowUpdate(streamID: 0, increment: increment) }
    }
  }
}
