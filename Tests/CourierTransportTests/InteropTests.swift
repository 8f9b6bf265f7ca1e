import CourierCore
import CourierTestAPI
import CourierTransport
import Testing

/// grpc's interop test cases, over real loopback TCP.
@Suite("Interop over loopback TCP")
struct InteropTests {
  @Test func emptyUnary() async throws {
    try await InteropFixture.with { fixture in
      let response = try await fixture.client.emptyCall(Courier_Test_V1_Empty())
      #expect(response == Courier_Test_V1_Empty())
    }
  }

  @Test func largeUnary() async throws {
    try await InteropFixture.with { fixture in
      var request = Courier_Test_V1_SimpleRequest()
      request.responseSize = 314_159
      request.payload.body = [UInt8](repeating: 0, count: 271_828)
      let response = try await fixture.client.unaryCall(request)
      #expect(response.payload.body.count == 314_159)
    }
  }

  @Test func clientStreaming() async throws {
    try await InteropFixture.with { fixture in
      let response = try await fixture.client.streamingInputCall { writer in
        for size in [27_182, 8, 1_828, 45_904] { try await writer.write(inputRequest(size: size)) }
      }
      #expect(response.aggregatedPayloadSize == 74_922)
    }
  }

  @Test func serverStreaming() async throws {
    try await InteropFixture.with { fixture in
      var request = Courier_Test_V1_StreamingOutputCallRequest()
      request.responseParameters = parameters([31_415, 9, 2_653, 58_979])
      let sizes = try await fixture.client.streamingOutputCall(request) { response in
        var sizes: [Int] = []
        for try await message in response.messages { sizes.append(message.payload.body.count) }
        return sizes
      }
      #expect(sizes == [31_415, 9, 2_653, 58_979])
    }
  }

  @Test func pingPong() async throws {
    try await InteropFixture.with { fixture in
      let requestSizes: [Int32] = [27_182, 8, 1_828, 45_904]
      let responseSizes: [Int32] = [31_415, 9, 2_653, 58_979]
      let (turns, turn) = AsyncStream<Void>.makeStream()
      let received = try await fixture.client.fullDuplexCall { writer in
        var iterator = turns.makeAsyncIterator()
        for (requestSize, responseSize) in zip(requestSizes, responseSizes) {
          var request = Courier_Test_V1_StreamingOutputCallRequest()
          request.responseParameters = parameters([responseSize])
          request.payload.body = [UInt8](repeating: 0, count: Int(requestSize))
          try await writer.write(request)
          // Wait for the response to this request before sending the next one.
          _ = await iterator.next()
        }
      } onResponse: { response in
        var sizes: [Int] = []
        for try await message in response.messages {
          sizes.append(message.payload.body.count)
          turn.yield()
        }
        return sizes
      }
      #expect(received == responseSizes.map(Int.init))
    }
  }

  @Test func emptyStream() async throws {
    try await InteropFixture.with { fixture in
      let count = try await fixture.client.fullDuplexCall { _ in } onResponse: { response in
        var count = 0
        for try await _ in response.messages { count += 1 }
        return count
      }
      #expect(count == 0)
    }
  }

  @Test func timeoutOnSleepingServer() async throws {
    try await InteropFixture.with { fixture in
      var request = Courier_Test_V1_StreamingOutputCallRequest()
      request.responseParameters = parameters([1], intervalMicroseconds: 30_000_000)
      let started = ContinuousClock.now
      let error = await #expect(throws: RPCError.self) {
        try await fixture.client.streamingOutputCall(request, options: CallOptions(timeout: .milliseconds(100))) { response in
          for try await _ in response.messages {}
        }
      }
      #expect(error?.code == .deadlineExceeded)
      // Far less than the server's 30 s sleep, with room for a machine busy with other tests.
      #expect(ContinuousClock.now - started < .seconds(10))
      // The server cancels the sleeping handler too.
      #expect(await eventually { fixture.service.observations.counts.cancelled == 1 })
    }
  }

  @Test func cancelAfterBegin() async throws {
    try await InteropFixture.with { fixture in
      let client = fixture.client
      let task = Task {
        try await client.streamingInputCall { _ in
          try await Task.sleep(for: .seconds(10))
        }
      }
      #expect(await eventually { fixture.service.observations.counts.started == 1 })
      task.cancel()
      let error = await #expect(throws: (any Error).self) { try await task.value }
      #expect((error as? RPCError)?.code == .cancelled || error is CancellationError)
      #expect(await eventually { fixture.service.observations.counts.cancelled == 1 })
    }
  }

  @Test func cancelAfterFirstResponse() async throws {
    try await InteropFixture.with { fixture in
      let client = fixture.client
      let (firstResponse, signal) = AsyncStream<Void>.makeStream()
      let task = Task {
        try await client.fullDuplexCall { writer in
          var request = Courier_Test_V1_StreamingOutputCallRequest()
          request.responseParameters = parameters([31_415])
          try await writer.write(request)
          try await Task.sleep(for: .seconds(10))
        } onResponse: { response in
          for try await _ in response.messages { signal.yield() }
        }
      }
      var iterator = firstResponse.makeAsyncIterator()
      _ = await iterator.next()
      task.cancel()
      let error = await #expect(throws: (any Error).self) { try await task.value }
      #expect((error as? RPCError)?.code == .cancelled || error is CancellationError)
      #expect(await eventually { fixture.service.observations.counts.cancelled == 1 })
    }
  }

  @Test(arguments: ["test status message", "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"])
  func statusCodeAndMessageAreEchoed(_ message: String) async throws {
    try await InteropFixture.with { fixture in
      var request = Courier_Test_V1_SimpleRequest()
      request.responseStatus.code = 2
      request.responseStatus.message = message
      let unaryError = await #expect(throws: RPCError.self) { try await fixture.client.unaryCall(request) }
      #expect(unaryError?.code == .unknown)
      #expect(unaryError?.message == message)

      let streamError = await #expect(throws: RPCError.self) {
        try await fixture.client.fullDuplexCall { writer in
          var streamRequest = Courier_Test_V1_StreamingOutputCallRequest()
          streamRequest.responseStatus.code = 2
          streamRequest.responseStatus.message = message
          try await writer.write(streamRequest)
        } onResponse: { response in
          for try await _ in response.messages {}
        }
      }
      #expect(streamError?.code == .unknown)
      #expect(streamError?.message == message)
    }
  }

  @Test func customInitialAndTrailingMetadata() async throws {
    try await InteropFixture.with { fixture in
      var metadata = Metadata()
      metadata.addString("test_initial_metadata_value", forKey: InteropService.echoInitialKey)
      metadata.addBinary([0xAB, 0xAB, 0xAB, 0x00, 0xFF], forKey: InteropService.echoTrailingKey)
      var request = Courier_Test_V1_SimpleRequest()
      request.responseSize = 314_159
      let response = try await fixture.client.unaryCall(ClientRequest(message: request, metadata: metadata))
      #expect(response.initialMetadata.firstString(forKey: InteropService.echoInitialKey) == "test_initial_metadata_value")
      #expect(response.trailingMetadata.firstBinary(forKey: InteropService.echoTrailingKey) == [0xAB, 0xAB, 0xAB, 0x00, 0xFF])

      let (initial, trailing) = try await fixture.client.fullDuplexCall(metadata: metadata) { writer in
        var streamRequest = Courier_Test_V1_StreamingOutputCallRequest()
        streamRequest.responseParameters = parameters([314_159])
        try await writer.write(streamRequest)
      } onResponse: { response in
        for try await _ in response.messages {}
        return (response.initialMetadata, try await response.trailingMetadata())
      }
      #expect(initial.firstString(forKey: InteropService.echoInitialKey) == "test_initial_metadata_value")
      #expect(trailing.firstBinary(forKey: InteropService.echoTrailingKey) == [0xAB, 0xAB, 0xAB, 0x00, 0xFF])
    }
  }

  @Test func unimplementedMethod() async throws {
    try await InteropFixture.with { fixture in
      let descriptor = MethodDescriptor(service: "courier.test.v1.TestService", method: "NoSuchMethod", kind: .unary)
      let error = await #expect(throws: RPCError.self) {
        let _: ClientResponse<Courier_Test_V1_Empty> = try await fixture.channel.unary(
          request: ClientRequest(message: Courier_Test_V1_Empty()), descriptor: descriptor, options: .defaults)
      }
      #expect(error?.code == .unimplemented)
      #expect(error?.message == "unknown method /courier.test.v1.TestService/NoSuchMethod")
      let declared = await #expect(throws: RPCError.self) { try await fixture.client.unimplementedCall(Courier_Test_V1_Empty()) }
      #expect(declared?.code == .unimplemented)
    }
  }

  @Test func unimplementedService() async throws {
    try await InteropFixture.with { fixture in
      let client = Courier_Test_V1_UnimplementedService.Client(wrapping: fixture.channel)
      let error = await #expect(throws: RPCError.self) { try await client.unimplementedCall(Courier_Test_V1_Empty()) }
      #expect(error?.code == .unimplemented)
      #expect(error?.message == "unknown service courier.test.v1.UnimplementedService")
    }
  }

  @Test func concurrentCallsShareOneConnection() async throws {
    try await InteropFixture.with { fixture in
      let client = fixture.client
      let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
        for index in 0..<200 {
          group.addTask {
            var request = Courier_Test_V1_SimpleRequest()
            request.responseSize = Int32(index)
            return try await client.unaryCall(request).payload.body.count
          }
        }
        var sizes: [Int] = []
        for try await size in group { sizes.append(size) }
        return sizes.sorted()
      }
      #expect(sizes == Array(0..<200))
      #expect(fixture.server.connectionCount == 1)
    }
  }

  @Test func gracefulShutdownLetsCallsInFlightFinish() async throws {
    let service = InteropService()
    let server = CourierServer(configuration: .init(shutdownGracePeriod: .seconds(5)), services: [service])
    let port = try server.start()
    let channel = CourierChannel(configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)]))
    defer { channel.close() }
    let client = Courier_Test_V1_TestService.Client(wrapping: channel)
    var request = Courier_Test_V1_StreamingOutputCallRequest()
    request.responseParameters = parameters([10, 10, 10], intervalMicroseconds: 100_000)
    let inFlight = Task {
      try await client.streamingOutputCall(request) { response in
        var count = 0
        for try await _ in response.messages { count += 1 }
        return count
      }
    }
    #expect(await eventually { service.observations.counts.started == 1 })
    let shutdown = Task { await server.shutdown() }
    #expect(try await inFlight.value == 3)
    await shutdown.value
    #expect(server.connectionCount == 0)
    let after = await #expect(throws: RPCError.self) { try await client.emptyCall(Courier_Test_V1_Empty()) }
    #expect(after?.code == .unavailable)
  }

  @Test func gracefulShutdownCancelsCallsThatOutliveTheGracePeriod() async throws {
    let service = InteropService()
    let server = CourierServer(configuration: .init(shutdownGracePeriod: .milliseconds(200)), services: [service])
    let port = try server.start()
    let channel = CourierChannel(configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)]))
    defer { channel.close() }
    let client = Courier_Test_V1_TestService.Client(wrapping: channel)
    var request = Courier_Test_V1_StreamingOutputCallRequest()
    request.responseParameters = parameters([10], intervalMicroseconds: 30_000_000)
    let inFlight = Task {
      try await client.streamingOutputCall(request) { response in
        for try await _ in response.messages {}
      }
    }
    #expect(await eventually { service.observations.counts.started == 1 })
    let started = ContinuousClock.now
    await server.shutdown()
    #expect(ContinuousClock.now - started < .seconds(10))
    let error = await #expect(throws: RPCError.self) { try await inFlight.value }
    #expect(error?.code == .unavailable)
    #expect(await eventually { service.observations.counts.cancelled == 1 })
  }
}
