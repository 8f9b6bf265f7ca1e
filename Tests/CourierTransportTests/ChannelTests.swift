import CourierCore
import CourierTestAPI
import CourierTransport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Fails the first `failures` calls of every method with UNAVAILABLE, then lets calls through.
final class FlakyInterceptor: ServerInterceptor {
  let remaining: LockedValue<Int>

  init(failures: Int) { remaining = LockedValue(failures) }

  func intercept<Output: Sendable>(
    context: ServerContext, next: @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output {
    let fail = remaining.withLock { remaining -> Bool in
      guard remaining > 0 else { return false }
      remaining -= 1
      return true
    }
    if fail { throw RPCError(code: .unavailable, message: "flaky") }
    return try await next(context)
  }
}

/// Records what it saw of each call.
final class RecordingServerInterceptor: ServerInterceptor {
  let seen = LockedValue<[(method: String, user: String?, failed: StatusCode?)]>([])

  func intercept<Output: Sendable>(
    context: ServerContext, next: @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output {
    do {
      let output = try await next(context)
      seen.withLock { $0.append((context.descriptor.method, context.requestMetadata.firstString(forKey: "x-user"), nil)) }
      return output
    } catch let error as RPCError {
      seen.withLock { $0.append((context.descriptor.method, context.requestMetadata.firstString(forKey: "x-user"), error.code)) }
      throw error
    }
  }
}

struct AddUserInterceptor: ClientInterceptor {
  func intercept<Output: Sendable>(
    call: ClientCallContext, next: @Sendable (ClientCallContext) async throws -> Output
  ) async throws -> Output {
    var call = call
    call.metadata.addString("alice", forKey: "x-user")
    return try await next(call)
  }
}

@Suite("Channel: retries, balancing, reconnection, interceptors, deadlines")
struct ChannelTests {
  @Test func idempotentMethodsAreRetriedOnUnavailable() async throws {
    try await InteropFixture.with(serverInterceptors: [FlakyInterceptor(failures: 2)]) { fixture in
      // UnaryCall is IDEMPOTENT in the schema: two failures, third attempt succeeds.
      var request = Courier_Test_V1_SimpleRequest()
      request.responseSize = 3
      let response = try await fixture.client.unaryCall(request)
      #expect(response.payload.body.count == 3)
    }
  }

  @Test func methodsWithoutIdempotencyAreNotRetried() async throws {
    try await InteropFixture.with(serverInterceptors: [FlakyInterceptor(failures: 1)]) { fixture in
      // StreamingInputCall states no idempotency_level.
      let error = await #expect(throws: RPCError.self) {
        try await fixture.client.streamingInputCall { writer in try await writer.write(inputRequest(size: 1)) }
      }
      #expect(error?.code == .unavailable)
    }
  }

  @Test func retriesStopAtTheAttemptLimit() async throws {
    try await InteropFixture.with(serverInterceptors: [FlakyInterceptor(failures: 10)]) { fixture in
      let error = await #expect(throws: RPCError.self) { try await fixture.client.emptyCall(Courier_Test_V1_Empty()) }
      #expect(error?.code == .unavailable)
    }
  }

  @Test func callsAreBalancedRoundRobinAcrossEndpoints() async throws {
    let first = CourierServer(services: [InteropService()])
    let second = CourierServer(services: [InteropService()])
    let ports = [try first.start(), try second.start()]
    let channel = CourierChannel(configuration: .init(endpoints: ports.map { Endpoint(host: "127.0.0.1", port: $0) }))
    let client = Courier_Test_V1_TestService.Client(wrapping: channel)
    var request = Courier_Test_V1_SimpleRequest()
    request.fillServerID = true
    for _ in 0..<6 { _ = try await client.unaryCall(request) }
    #expect(first.connectionCount == 1)
    #expect(second.connectionCount == 1)
    channel.close()
    await first.shutdown()
    await second.shutdown()
  }

  @Test func aCallToAnUnreachableEndpointFailsFastWithUnavailable() async throws {
    // A port that refuses connections. (A port freed by a stopped server is no good: tests
    // run in parallel, and another test's server can be given it meanwhile.)
    let refusing = try RefusingPort()
    let channel = CourierChannel(configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: refusing.port)]))
    defer { channel.close() }
    let client = Courier_Test_V1_TestService.Client(wrapping: channel)
    let first = await #expect(throws: RPCError.self) { try await client.streamingInputCall { _ in } }
    #expect(first?.code == .unavailable)
    #expect(first?.message.contains("Connection refused") == true)
    // In backoff now: the next call fails without trying to connect (the message says the
    // endpoint is waiting to retry) and without waiting for the backoff to end.
    let second = await #expect(throws: RPCError.self) { try await client.streamingInputCall { _ in } }
    #expect(second?.code == .unavailable)
    #expect(second?.message.contains("no endpoint available") == true)
    #expect(second?.message.contains("retrying in") == true)
    withExtendedLifetime(refusing) {}
  }

  @Test func aConnectThatNeverCompletesTimesOut() async throws {
    // A listener whose accept queue is full: the kernel drops further SYNs, so a connect to it
    // neither succeeds nor fails, and only the connect timeout ends it.
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    try #require(listener >= 0)
    defer { Glibc.close(listener) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ready = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, length) == 0 && Glibc.listen(listener, 0) == 0 && getsockname(listener, $0, &length) == 0
      }
    }
    try #require(ready)
    let port = Int(UInt16(bigEndian: address.sin_port))
    // Fill the queue (backlog 0 admits one) with connections nobody accepts.
    var fillers: [Int32] = []
    defer { for fd in fillers { Glibc.close(fd) } }
    for _ in 0..<3 {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
      fillers.append(fd)
      _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
    }
    try await Task.sleep(for: .milliseconds(50))
    let channel = CourierChannel(
      configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)], connectTimeout: .milliseconds(300)))
    defer { channel.close() }
    let client = Courier_Test_V1_TestService.Client(wrapping: channel)
    let started = ContinuousClock.now
    let error = await #expect(throws: RPCError.self) {
      try await client.emptyCall(Courier_Test_V1_Empty(), options: CallOptions(timeout: .seconds(10)))
    }
    #expect(error?.code == .unavailable)
    #expect(error?.message.contains("timed out") == true, "\(String(describing: error))")
    // Well before the call's own deadline: the connect timeout ended it (UNAVAILABLE, above),
    // even after the channel's retries on a busy machine.
    #expect(ContinuousClock.now - started < .seconds(9))
  }

  @Test func theChannelReconnectsAfterTheServerComesBack() async throws {
    let server = CourierServer(services: [InteropService()])
    let port = try server.start()
    let channel = CourierChannel(
      configuration: .init(
        endpoints: [Endpoint(host: "127.0.0.1", port: port)],
        reconnectBackoff: Backoff(initial: .milliseconds(20), maximum: .milliseconds(50))))
    defer { channel.close() }
    let client = Courier_Test_V1_TestService.Client(wrapping: channel)
    _ = try await client.emptyCall(Courier_Test_V1_Empty())
    await server.shutdown()
    let replacement = CourierServer(configuration: .init(port: port), services: [InteropService()])
    // Tests run in parallel: for a moment, another test's connection may have been given the
    // freed port as its local port, and the bind fails until it is gone.
    let bindDeadline = ContinuousClock.now + .seconds(3)
    while true {
      do {
        try replacement.start()
        break
      } catch let error as SocketError where error.errorNumber == EADDRINUSE && ContinuousClock.now < bindDeadline {
        try await Task.sleep(for: .milliseconds(20))
      }
    }
    // EmptyCall is NO_SIDE_EFFECTS: retried through the reconnection.
    var succeeded = false
    let deadline = ContinuousClock.now + .seconds(3)
    while !succeeded && ContinuousClock.now < deadline {
      succeeded = (try? await client.emptyCall(Courier_Test_V1_Empty())) != nil
      if !succeeded { try await Task.sleep(for: .milliseconds(20)) }
    }
    #expect(succeeded)
    await replacement.shutdown()
  }

  @Test func interceptorsSeeTheMethodMetadataAndOutcome() async throws {
    let recorder = RecordingServerInterceptor()
    try await InteropFixture.with(serverInterceptors: [recorder], clientInterceptors: [AddUserInterceptor()]) { fixture in
      _ = try await fixture.client.emptyCall(Courier_Test_V1_Empty())
      var failing = Courier_Test_V1_SimpleRequest()
      failing.responseStatus.code = Int32(StatusCode.notFound.rawValue)
      _ = try? await fixture.client.unaryCall(failing)
      let seen = recorder.seen.withLock { $0 }
      #expect(seen.count == 2)
      #expect(seen.first?.method == "EmptyCall")
      #expect(seen.first?.user == "alice")
      #expect(seen.first?.failed == nil)
      #expect(seen.last?.method == "UnaryCall")
      #expect(seen.last?.failed == .notFound)
    }
  }

  @Test func aHandlersOutgoingCallsInheritItsDeadline() async throws {
    // A relay service whose handler calls a sleeping backend without a timeout of its own.
    let backend = CourierServer(services: [InteropService()])
    let backendPort = try backend.start()
    let backendChannel = CourierChannel(configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: backendPort)]))
    let relay = CourierServer(services: [RelayService(backend: .init(wrapping: backendChannel))])
    let relayPort = try relay.start()
    let channel = CourierChannel(configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: relayPort)]))
    let client = Courier_Test_V1_TestService.Client(wrapping: channel)
    let started = ContinuousClock.now
    let error = await #expect(throws: RPCError.self) {
      try await client.emptyCall(Courier_Test_V1_Empty(), options: CallOptions(timeout: .milliseconds(200)))
    }
    #expect(error?.code == .deadlineExceeded)
    // The 200 ms deadline, not the backend's 30 s sleep, ended the call.
    #expect(ContinuousClock.now - started < .seconds(10))
    channel.close()
    backendChannel.close()
    await relay.shutdown(gracePeriod: .milliseconds(100))
    await backend.shutdown(gracePeriod: .milliseconds(100))
  }
}

/// EmptyCall relays to a backend stream that sleeps 10 s; everything else is the interop service.
struct RelayService: Courier_Test_V1_TestService.ServiceProtocol {
  let backend: Courier_Test_V1_TestService.Client
  let base = InteropService()

  func emptyCall(request: Courier_Test_V1_Empty, context: ServerContext) async throws -> Courier_Test_V1_Empty {
    var slow = Courier_Test_V1_StreamingOutputCallRequest()
    slow.responseParameters = parameters([1], intervalMicroseconds: 30_000_000)
    try await backend.streamingOutputCall(slow) { response in
      for try await _ in response.messages {}
    }
    return Courier_Test_V1_Empty()
  }

  func unaryCall(request: Courier_Test_V1_SimpleRequest, context: ServerContext) async throws -> Courier_Test_V1_SimpleResponse {
    try await base.unaryCall(request: request, context: context)
  }

  func streamingOutputCall(
    request: Courier_Test_V1_StreamingOutputCallRequest, response: RPCWriter<Courier_Test_V1_StreamingOutputCallResponse>,
    context: ServerContext
  ) async throws {
    try await base.streamingOutputCall(request: request, response: response, context: context)
  }

  func streamingInputCall(
    request: RPCAsyncSequence<Courier_Test_V1_StreamingInputCallRequest>, context: ServerContext
  ) async throws -> Courier_Test_V1_StreamingInputCallResponse {
    try await base.streamingInputCall(request: request, context: context)
  }

  func fullDuplexCall(
    request: RPCAsyncSequence<Courier_Test_V1_StreamingOutputCallRequest>,
    response: RPCWriter<Courier_Test_V1_StreamingOutputCallResponse>, context: ServerContext
  ) async throws {
    try await base.fullDuplexCall(request: request, response: response, context: context)
  }

  func halfDuplexCall(
    request: RPCAsyncSequence<Courier_Test_V1_StreamingOutputCallRequest>,
    response: RPCWriter<Courier_Test_V1_StreamingOutputCallResponse>, context: ServerContext
  ) async throws {
    try await base.halfDuplexCall(request: request, response: response, context: context)
  }

  func unimplementedCall(request: Courier_Test_V1_Empty, context: ServerContext) async throws -> Courier_Test_V1_Empty {
    try await base.unimplementedCall(request: request, context: context)
  }
}
