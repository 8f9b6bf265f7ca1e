import CourierBenchAPI
import CourierCore
import Testing

@testable import CourierTransport

extension TransportLimits {
  /// Small size limits, so each can be crossed cheaply, and timeouts that never fire in a test
  /// that is not about them: the suite runs in parallel with every other one on two cores,
  /// where a step can take hundreds of milliseconds. A test about a timeout shortens only that
  /// one.
  static func testing(
    handshakeTimeout: Duration = .seconds(10), frameTimeout: Duration = .seconds(10),
    idleTimeout: Duration = .seconds(30)
  ) -> TransportLimits {
    TransportLimits(
      messageBytesMax: 64 * 1024, concurrentStreamsMax: 4, connectionsMax: 8,
      handshakeTimeout: handshakeTimeout, frameTimeout: frameTimeout, idleTimeout: idleTimeout,
      pingsPerSecondMax: 10)
  }
}

/// The connection errors a server reported through its `ServerObserver`.
final class ServerEvents: Sendable {
  private let reasons = LockedValue<[String]>([])

  var connectionErrors: [String] { reasons.withLock { $0 } }

  func record(_ reason: String) { reasons.withLock { $0.append(reason) } }

  /// Whether some reported connection error mentions `text`.
  func sawConnectionError(containing text: String) -> Bool {
    connectionErrors.contains { $0.contains(text) }
  }
}

/// A `CourierServer` on 127.0.0.1, port 0, serving `TestService`, for one test.
struct ServerFixture: Sendable {
  let server: CourierServer
  let port: Int
  let probe: ServiceProbe
  let events: ServerEvents

  /// Starts a server, runs `body` with it, and shuts it down whatever `body` does.
  static func with(
    limits: TransportLimits = .testing(), _ body: (ServerFixture) async throws -> Void
  ) async throws {
    let probe = ServiceProbe()
    let events = ServerEvents()
    let observer = ServerObserver(connectionError: { reason, _ in events.record(reason) })
    let server = CourierServer(
      configuration: .init(
        host: "127.0.0.1", port: 0, limits: limits, shutdownGracePeriod: .milliseconds(200),
        observer: observer),
      services: [TestService(probe: probe)])
    let port = try server.start()
    let fixture = ServerFixture(server: server, port: port, probe: probe, events: events)
    do {
      try await body(fixture)
    } catch {
      await server.shutdown(gracePeriod: .milliseconds(100))
      throw error
    }
    await server.shutdown(gracePeriod: .milliseconds(100))
  }

  /// A raw client connected to the server, having sent `initialBytes` (nothing by default).
  func connect(sending initialBytes: [UInt8] = [], receiveBufferBytes: Int32? = nil) async throws -> RawClient {
    try await RawClient.connect(port: port, sending: initialBytes, receiveBufferBytes: receiveBufferBytes)
  }

  /// A raw client that has completed the handshake.
  func connectAndHandshake() async throws -> RawClient {
    let client = try await connect(sending: Wire.preface + Wire.settings())
    try await client.readServerHandshake()
    return client
  }

  /// Checks that a well-behaved client can still make a call, then that no connection is left
  /// open once it has gone: the end of every bad-input test.
  func expectHealthyAndNoLeaks(sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let channel = CourierChannel(
      configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)]))
    let client = Bench_V1_Bench.Client(wrapping: channel)
    let request = TestService.sampleRequest()
    do {
      let reply = try await client.transfer(request, options: CallOptions(timeout: .seconds(3)))
      #expect(reply == TestService.reply(to: request), sourceLocation: sourceLocation)
    } catch {
      channel.close()
      throw error
    }
    channel.close()
    try await expectConnectionCount(0, sourceLocation: sourceLocation)
  }

  /// Waits (polling, bounded) until the server counts `expected` open connections.
  func expectConnectionCount(
    _ expected: Int, within timeout: Duration = .seconds(3),
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let reached = await eventually(timeout: timeout) { server.connectionCount == expected }
    #expect(
      reached, "the server still has \(server.connectionCount) connections, expected \(expected)",
      sourceLocation: sourceLocation)
  }
}

/// The outcome a test expects of a GOAWAY's debug message.
enum ExpectedMessage: CustomStringConvertible {
  case exactly(String)
  case starting(with: String)

  func matches(_ message: String) -> Bool {
    switch self {
    case .exactly(let text): return message == text
    case .starting(let prefix): return message.hasPrefix(prefix)
    }
  }

  var description: String {
    switch self {
    case .exactly(let text): return "\"\(text)\""
    case .starting(let prefix): return "\"\(prefix)…\""
    }
  }
}

extension RawClient {
  /// Reads the next frame, expects a GOAWAY with `code` and `message`, then expects the
  /// server to close the connection (read returns 0).
  func expectGoAwayAndClose(
    code: UInt32, message: ExpectedMessage, lastStreamID: UInt32 = 0,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let frame = try await readFrame()
    let goAway = try #require(
      frame.goAway, "expected GOAWAY, got \(frame)", sourceLocation: sourceLocation)
    #expect(frame.streamID == 0, sourceLocation: sourceLocation)
    #expect(
      goAway.errorCode == code, "GOAWAY \(goAway.debugMessage)", sourceLocation: sourceLocation)
    #expect(
      message.matches(goAway.debugMessage),
      "debug message \"\(goAway.debugMessage)\", expected \(message)",
      sourceLocation: sourceLocation)
    #expect(goAway.lastStreamID == lastStreamID, sourceLocation: sourceLocation)
    try await expectClosed(sourceLocation: sourceLocation)
  }

  /// Expects the server to close the connection in order: the next read returns 0.
  func expectClosed(sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let end = try await readEndOfStream()
    #expect(end == .closed, sourceLocation: sourceLocation)
  }

  /// Reads the next frame and expects TRAILERS on `streamID` with `code` (and `message`).
  @discardableResult
  func expectTrailers(
    streamID: UInt32, code: StatusCode, message: ExpectedMessage? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> RawFrame {
    let frame = try await readFrame()
    let trailers = try #require(
      frame.trailers, "expected TRAILERS, got \(frame)", sourceLocation: sourceLocation)
    #expect(frame.streamID == streamID, sourceLocation: sourceLocation)
    #expect(
      trailers.code == UInt32(code.rawValue), "TRAILERS \(trailers.message)",
      sourceLocation: sourceLocation)
    if let message {
      #expect(
        message.matches(trailers.message),
        "trailers message \"\(trailers.message)\", expected \(message)",
        sourceLocation: sourceLocation)
    }
    return frame
  }

  /// Reads a successful unary response on `streamID`: HEADERS, MESSAGE, TRAILERS(OK).
  func expectUnaryOK(
    streamID: UInt32, request: Bench_V1_TransferRequest = TestService.sampleRequest(),
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let headers = try await readFrame()
    #expect(
      headers == RawFrame(type: Wire.FrameType.headers, flags: 0, streamID: streamID, payload: []),
      sourceLocation: sourceLocation)
    let message = try await readFrame()
    #expect(
      message.type == Wire.FrameType.message && message.streamID == streamID, "\(message)",
      sourceLocation: sourceLocation)
    #expect(
      try Bench_V1_TransferReply(serializedBytes: message.payload)
        == TestService.reply(to: request),
      sourceLocation: sourceLocation)
    try await expectTrailers(
      streamID: streamID, code: .ok, message: .exactly(""), sourceLocation: sourceLocation)
  }
}
