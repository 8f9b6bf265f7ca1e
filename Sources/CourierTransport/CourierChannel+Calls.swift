import CourierCore
import CourierWire

/// The four call shapes over a `ClientConnection` stream.
extension CourierChannel {
  public func unary<Input: Message, Output: Message>(
    request: ClientRequest<Input>, descriptor: MethodDescriptor, options: CallOptions
  ) async throws -> ClientResponse<Output> {
    let payload = request.message.serializedBytes()
    return try await perform(descriptor: descriptor, metadata: request.metadata, options: options) { connection, metadata, timeout in
      let id = try await connection.openStream(
        path: descriptor.path, metadata: metadata, timeout: timeout, expectsSingleResponse: true, flush: false)
      defer { connection.release(id) }
      let response = try await withTaskCancellationHandler {
        try await connection.send(id, payload, endStream: true)
        return try await connection.singleResponse(id)
      } onCancel: {
        connection.expire(id, RPCError(code: .cancelled, message: "the caller cancelled the call"))
      }
      return try Self.decode(response, as: Output.self)
    }
  }

  public func serverStreaming<Input: Message, Output: Message, Result: Sendable>(
    request: ClientRequest<Input>, descriptor: MethodDescriptor, options: CallOptions,
    onResponse: @escaping @Sendable (StreamingClientResponse<Output>) async throws -> Result
  ) async throws -> Result {
    let payload = request.message.serializedBytes()
    return try await streamingCall(descriptor: descriptor, metadata: request.metadata, options: options, singleResponse: false) { connection, id in
      try await connection.send(id, payload, endStream: true)
      return try await Self.consumeStream(connection, id, onResponse)
    }
  }

  public func clientStreaming<Input: Message, Output: Message>(
    request: StreamingClientRequest<Input>, descriptor: MethodDescriptor, options: CallOptions
  ) async throws -> ClientResponse<Output> {
    try await streamingCall(descriptor: descriptor, metadata: request.metadata, options: options, singleResponse: true) { connection, id in
      try await Self.produce(connection, id, request.producer)
      return try Self.decode(try await connection.singleResponse(id), as: Output.self)
    }
  }

  public func bidirectionalStreaming<Input: Message, Output: Message, Result: Sendable>(
    request: StreamingClientRequest<Input>, descriptor: MethodDescriptor, options: CallOptions,
    onResponse: @escaping @Sendable (StreamingClientResponse<Output>) async throws -> Result
  ) async throws -> Result {
    try await streamingCall(descriptor: descriptor, metadata: request.metadata, options: options, singleResponse: false) { connection, id in
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await Self.produce(connection, id, request.producer) }
        let result = try await Self.consumeStream(connection, id, onResponse)
        // The response side is done; a producer still writing has nothing left to talk to.
        group.cancelAll()
        while let _ = try? await group.next() {}
        return result
      }
    }
  }

  // MARK: - Shared pieces

  /// Opens a stream (HEADERS flushed at once), runs `body`, and cancels the call if the task is
  /// cancelled; only the opening is retried (a stream that started is never sent twice).
  private func streamingCall<Result: Sendable>(
    descriptor: MethodDescriptor, metadata: Metadata, options: CallOptions, singleResponse: Bool,
    _ body: @escaping @Sendable (ClientConnection, UInt32) async throws -> Result
  ) async throws -> Result {
    try await perform(descriptor: descriptor, metadata: metadata, options: options) { connection, metadata, timeout in
      let id = try await connection.openStream(
        path: descriptor.path, metadata: metadata, timeout: timeout, expectsSingleResponse: singleResponse, flush: true)
      defer { connection.release(id) }
      return try await withTaskCancellationHandler {
        try await body(connection, id)
      } onCancel: {
        connection.expire(id, RPCError(code: .cancelled, message: "the caller cancelled the call"))
      }
    }
  }

  /// Runs the request producer, then half-closes. If the call ends first, writes fail with its
  /// status and the producer's error is replaced by the call's outcome.
  private static func produce<Input: Message>(
    _ connection: ClientConnection, _ id: UInt32, _ producer: @Sendable (RPCWriter<Input>) async throws -> Void
  ) async throws {
    let writer = RPCWriter<Input> { message in
      try await connection.send(id, message.serializedBytes(), endStream: false)
    }
    try await producer(writer)
    connection.halfClose(id)
  }

  private static func consumeStream<Output: Message, Result: Sendable>(
    _ connection: ClientConnection, _ id: UInt32,
    _ onResponse: @Sendable (StreamingClientResponse<Output>) async throws -> Result
  ) async throws -> Result {
    let initial = try await connection.initialMetadata(id)
    let messages = connection.responseMessages(id).map { bytes -> Output in
      do {
        return try Output(serializedBytes: bytes)
      } catch {
        throw RPCError(code: .internal, message: "response is not a valid \(Output.protoMessageName): \(error)")
      }
    }
    let response = StreamingClientResponse<Output>(
      initialMetadata: initial, messages: messages,
      trailingMetadata: { try await connection.trailingMetadata(id) })
    let result = try await onResponse(response)
    // Surface a failed status even if the handler stopped reading early.
    _ = try await connection.trailingMetadata(id)
    return result
  }

  private static func decode<Output: Message>(_ response: ClientResponse<[UInt8]>, as type: Output.Type) throws -> ClientResponse<Output> {
    do {
      let message = try Output(serializedBytes: response.message)
      return ClientResponse(message: message, initialMetadata: response.initialMetadata, trailingMetadata: response.trailingMetadata)
    } catch {
      throw RPCError(code: .internal, message: "response is not a valid \(Output.protoMessageName): \(error)")
    }
  }
}
