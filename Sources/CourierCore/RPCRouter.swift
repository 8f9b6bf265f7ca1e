public import CourierWire

/// A method implementation with its types erased to encoded messages, as the transport runs it.
public struct RPCHandler: Sendable {
  /// The shapes a transport distinguishes.
  public enum Body: Sendable {
    /// One request payload in, one response payload out (the fast path).
    case unary(@Sendable (_ request: [UInt8], _ context: ServerContext) async throws -> [UInt8])
    /// Every other shape: request payloads in, response payloads out through the writer.
    case streaming(
      @Sendable (
        _ requests: RPCAsyncSequence<[UInt8]>, _ responses: RPCWriter<[UInt8]>, _ context: ServerContext
      ) async throws -> Void)
  }

  public let descriptor: MethodDescriptor
  public let body: Body

  public init(descriptor: MethodDescriptor, body: Body) {
    self.descriptor = descriptor
    self.body = body
  }
}

/// A service whose generated code can register its methods with a router.
public protocol RegistrableRPCService: Sendable {
  /// Adds a handler for every method of the service to `router`.
  func registerMethods(with router: inout RPCRouter)
}

/// Maps method paths (`/package.Service/Method`) to handlers; the server looks calls up here.
public struct RPCRouter: Sendable {
  /// Handlers by `MethodDescriptor.path`.
  public private(set) var handlers: [String: RPCHandler] = [:]

  public init() {}

  /// A router holding the methods of `services`.
  public init(services: [any RegistrableRPCService]) {
    for service in services { service.registerMethods(with: &self) }
  }

  /// Whether any method of the service with this fully qualified name is registered.
  public func hasService(_ serviceName: String) -> Bool {
    handlers.values.contains { $0.descriptor.service == serviceName }
  }

  /// The handler for `path`, if registered.
  public func handler(forPath path: String) -> RPCHandler? { handlers[path] }

  /// Adds (or replaces) a type-erased handler.
  public mutating func register(_ handler: RPCHandler) {
    handlers[handler.descriptor.path] = handler
  }

  /// Registers a unary method.
  public mutating func registerUnary<Input: Message, Output: Message>(
    _ descriptor: MethodDescriptor, input: Input.Type = Input.self, output: Output.Type = Output.self,
    handler: @escaping @Sendable (Input, ServerContext) async throws -> Output
  ) {
    register(
      RPCHandler(
        descriptor: descriptor,
        body: .unary { bytes, context in
          let request = try Self.decode(Input.self, from: bytes, descriptor)
          return try await handler(request, context).serializedBytes()
        }))
  }

  /// Registers a server-streaming method.
  public mutating func registerServerStreaming<Input: Message, Output: Message>(
    _ descriptor: MethodDescriptor, input: Input.Type = Input.self, output: Output.Type = Output.self,
    handler: @escaping @Sendable (Input, RPCWriter<Output>, ServerContext) async throws -> Void
  ) {
    register(
      RPCHandler(
        descriptor: descriptor,
        body: .streaming { requests, responses, context in
          let request = try await Self.single(Input.self, from: requests, descriptor)
          try await handler(request, responses.map { $0.serializedBytes() }, context)
        }))
  }

  /// Registers a client-streaming method.
  public mutating func registerClientStreaming<Input: Message, Output: Message>(
    _ descriptor: MethodDescriptor, input: Input.Type = Input.self, output: Output.Type = Output.self,
    handler: @escaping @Sendable (RPCAsyncSequence<Input>, ServerContext) async throws -> Output
  ) {
    register(
      RPCHandler(
        descriptor: descriptor,
        body: .streaming { requests, responses, context in
          let typed = requests.map { try Self.decode(Input.self, from: $0, descriptor) }
          let response = try await handler(typed, context)
          try await responses.write(response.serializedBytes())
        }))
  }

  /// Registers a bidirectional-streaming method.
  public mutating func registerBidirectionalStreaming<Input: Message, Output: Message>(
    _ descriptor: MethodDescriptor, input: Input.Type = Input.self, output: Output.Type = Output.self,
    handler: @escaping @Sendable (RPCAsyncSequence<Input>, RPCWriter<Output>, ServerContext) async throws -> Void
  ) {
    register(
      RPCHandler(
        descriptor: descriptor,
        body: .streaming { requests, responses, context in
          let typed = requests.map { try Self.decode(Input.self, from: $0, descriptor) }
          try await handler(typed, responses.map { $0.serializedBytes() }, context)
        }))
  }

  /// Decodes a request; a malformed one ends the call with INVALID_ARGUMENT.
  static func decode<Input: Message>(
    _ type: Input.Type, from bytes: [UInt8], _ descriptor: MethodDescriptor
  ) throws(RPCError) -> Input {
    do {
      return try Input(serializedBytes: bytes)
    } catch {
      throw RPCError(
        code: .invalidArgument,
        message: "\(descriptor.path): request is not a valid \(Input.protoMessageName): \(error)")
    }
  }

  /// The one request of a server-streaming call; zero or several end it with INVALID_ARGUMENT.
  static func single<Input: Message>(
    _ type: Input.Type, from requests: RPCAsyncSequence<[UInt8]>, _ descriptor: MethodDescriptor
  ) async throws -> Input {
    var iterator = requests.makeAsyncIterator()
    guard let first = try await iterator.next() else {
      throw RPCError(code: .invalidArgument, message: "\(descriptor.path): expected one request, got none")
    }
    guard try await iterator.next() == nil else {
      throw RPCError(code: .invalidArgument, message: "\(descriptor.path): expected one request, got several")
    }
    return try decode(Input.self, from: first, descriptor)
  }
}
