public import CourierWire

/// A request with its metadata.
public struct ClientRequest<Message: Sendable>: Sendable {
  public var message: Message
  public var metadata: Metadata

  public init(message: Message, metadata: Metadata = [:]) {
    self.message = message
    self.metadata = metadata
  }
}

/// A stream of requests: `producer` writes them, and returning from it half-closes the stream.
public struct StreamingClientRequest<Message: Sendable>: Sendable {
  public var metadata: Metadata
  public var producer: @Sendable (RPCWriter<Message>) async throws -> Void

  public init(metadata: Metadata = [:], producer: @escaping @Sendable (RPCWriter<Message>) async throws -> Void) {
    self.metadata = metadata
    self.producer = producer
  }
}

/// A successful single response with the metadata that came with it.
public struct ClientResponse<Message: Sendable>: Sendable {
  public var message: Message
  public var initialMetadata: Metadata
  public var trailingMetadata: Metadata

  public init(message: Message, initialMetadata: Metadata = [:], trailingMetadata: Metadata = [:]) {
    self.message = message
    self.initialMetadata = initialMetadata
    self.trailingMetadata = trailingMetadata
  }
}

/// A stream of responses. Iterating `messages` ends normally when the server finishes with OK
/// and throws `RPCError` otherwise; `trailingMetadata()` returns the trailers once it ends.
public struct StreamingClientResponse<Message: Sendable>: Sendable {
  public var initialMetadata: Metadata
  public var messages: RPCAsyncSequence<Message>
  private let trailers: @Sendable () async throws -> Metadata

  public init(
    initialMetadata: Metadata, messages: RPCAsyncSequence<Message>,
    trailingMetadata: @escaping @Sendable () async throws -> Metadata
  ) {
    self.initialMetadata = initialMetadata
    self.messages = messages
    self.trailers = trailingMetadata
  }

  /// The trailing metadata, available after `messages` has ended.
  public func trailingMetadata() async throws -> Metadata { try await trailers() }
}

/// Something that can carry calls to a server: the transport's client channel, an in-process
/// loopback, or an interceptor chain around either. Generated clients call it.
public protocol ClientCallInvoker: Sendable {
  /// Sends one request and waits for one response.
  ///
  /// - Throws: `RPCError` with the status the call ended with.
  func unary<Input: Message, Output: Message>(
    request: ClientRequest<Input>, descriptor: MethodDescriptor, options: CallOptions
  ) async throws -> ClientResponse<Output>

  /// Sends one request; `onResponse` consumes the responses while the call is open.
  func serverStreaming<Input: Message, Output: Message, Result: Sendable>(
    request: ClientRequest<Input>, descriptor: MethodDescriptor, options: CallOptions,
    onResponse: @escaping @Sendable (StreamingClientResponse<Output>) async throws -> Result
  ) async throws -> Result

  /// Streams requests and waits for one response.
  func clientStreaming<Input: Message, Output: Message>(
    request: StreamingClientRequest<Input>, descriptor: MethodDescriptor, options: CallOptions
  ) async throws -> ClientResponse<Output>

  /// Streams both ways; `onResponse` consumes the responses while `request.producer` writes.
  func bidirectionalStreaming<Input: Message, Output: Message, Result: Sendable>(
    request: StreamingClientRequest<Input>, descriptor: MethodDescriptor, options: CallOptions,
    onResponse: @escaping @Sendable (StreamingClientResponse<Output>) async throws -> Result
  ) async throws -> Result
}
