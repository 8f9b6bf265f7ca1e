import CourierCore
import Testing

@testable import CourierTransport

/// Frames that are wrong in themselves (docs/PROTOCOL.md sections 2, 7 and 8): each is a
/// connection error, answered with GOAWAY and a close.
@Suite struct FrameErrorTests {
  @Test func frameAbove16MiBIsFrameTooLarge() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      // Only the header: the server must not wait for (or buffer) the payload.
      try await client.send(
        Wire.header(length: 16 * 1024 * 1024 + 1, type: Wire.FrameType.message, streamID: 1))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.frameTooLarge,
        message: .exactly("frame of 16777217 bytes exceeds the 16 MiB limit"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func frameTooLargeIsDetectedBeforeTheHandshakeCompletes() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connect()
      try await client.send(
        Wire.preface
          + Wire.header(length: Int(UInt32.max), type: Wire.FrameType.settings, streamID: 0))
      _ = try await client.readExactly(8, what: "preface")
      #expect(try await client.readFrame().type == Wire.FrameType.settings)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.frameTooLarge,
        message: .exactly("frame of 4294967295 bytes exceeds the 16 MiB limit"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func controlFrameAboveTheHeaderLimitIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      // Only the header: the server must not wait for (or buffer) the megabyte it announces.
      try await client.send(
        Wire.header(length: 1024 * 1024, type: Wire.FrameType.ping, streamID: 0))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError,
        message: .exactly("PING frame of 1048576 bytes exceeds the limit of 16384"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func unknownFrameTypeIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.frame(type: 0x09, streamID: 0, payload: [1, 2, 3]))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("unknown frame type 0x9"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test(arguments: [
    TruncatedFrame(
      name: "half a header",
      bytes: Array(Wire.header(length: 4, type: Wire.FrameType.ping, streamID: 0).prefix(6))),
    TruncatedFrame(
      name: "a header and half its payload",
      bytes: Wire.header(length: 8, type: Wire.FrameType.ping, streamID: 0) + [1, 2, 3, 4]),
  ])
  func truncatedFrameTimesOut(_ truncated: TruncatedFrame) async throws {
    try await ServerFixture.with(limits: .testing(frameTimeout: .milliseconds(300))) { fixture in
      let client = try await fixture.connectAndHandshake()
      let start = ContinuousClock.now
      try await client.send(truncated.bytes)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("incomplete frame"))
      #expect(ContinuousClock.now - start >= .milliseconds(300), "closed before frameTimeout")
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  /// frameTimeout bounds one frame, not a connection that is always in the middle of one: a
  /// client streaming frames whose reads always end mid-frame must not be cut off.
  @Test func framesArrivingAcrossReadBoundariesForLongerThanFrameTimeoutAreFine() async throws {
    try await ServerFixture.with(limits: .testing(frameTimeout: .seconds(1))) { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.transferCall(streamID: 1))
      try await client.expectUnaryOK(streamID: 1)
      // MESSAGE frames for the closed stream 1 (ignored), sent so that every write ends in the
      // middle of a frame, for twice frameTimeout.
      let frame = Wire.message(streamID: 1, [UInt8](repeating: 7, count: 88), endStream: false)
      let half = frame.count / 2
      // Paced off the cooperative pool, so a busy pool cannot stretch a gap past frameTimeout.
      let tailAndHead = Array(frame[half...]) + Array(frame[..<half])
      try await client.send(Array(frame[..<half]))
      try await client.sendPaced(
        Array(repeating: tailAndHead, count: 50), interval: .milliseconds(40))
      try await client.send(Array(frame[half...]) + Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func headersThatAreNotProtobufAreAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      // Field 1, length-delimited, announcing 32 bytes of which one follows.
      try await client.send(
        Wire.frame(type: Wire.FrameType.headers, streamID: 1, payload: [0x0a, 0x20, 0x41]))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError,
        message: .starting(with: "malformed courier.v1.CallHeaders"), lastStreamID: 1)
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func windowUpdateOfThreeBytesIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.frame(type: Wire.FrameType.windowUpdate, streamID: 0, payload: [0, 0, 1]))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError,
        message: .exactly("WINDOW_UPDATE payload must be 4 bytes"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func windowUpdateOfZeroIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.frame(type: Wire.FrameType.windowUpdate, streamID: 0, payload: [0, 0, 0, 0]))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError,
        message: .exactly("WINDOW_UPDATE increment 0 out of range"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func windowOverflowIsAFlowControlError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      // The connection window starts at 16 MiB; adding 2^31-1 passes 2^31-1.
      try await client.send(
        Wire.frame(
          type: Wire.FrameType.windowUpdate, streamID: 0, payload: Wire.bigEndian(UInt32(Int32.max))
        ))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.flowControlError, message: .exactly("connection window above 2^31-1"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func pingOfSevenBytesIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.ping([1, 2, 3, 4, 5, 6, 7]))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("PING payload must be 8 bytes"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func pingIsAnsweredWithTheSameBytes() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.ping([9, 8, 7, 6, 5, 4, 3, 2]))
      #expect(
        try await client.readFrame()
          == RawFrame(
            type: Wire.FrameType.ping, flags: Wire.ack, streamID: 0,
            payload: [9, 8, 7, 6, 5, 4, 3, 2]))
      // A PING ACK from the client is accepted silently.
      try await client.send(
        Wire.frame(
          type: Wire.FrameType.ping, flags: Wire.ack, streamID: 0,
          payload: [0, 0, 0, 0, 0, 0, 0, 0]))
      try await client.send(Wire.transferCall(streamID: 1))
      try await client.expectUnaryOK(streamID: 1)
    }
  }

  @Test func callFrameOnStreamZeroIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.headers(streamID: 0, path: TestService.transferPath))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("HEADERS frame on stream 0"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func connectionFrameOnAStreamIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.frame(type: Wire.FrameType.ping, streamID: 1, payload: [0, 0, 0, 0, 0, 0, 0, 0]))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("PING frame on stream 1"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func trailersFromAClientAreAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.transferCall(streamID: 1))
      try await client.expectUnaryOK(streamID: 1)
      try await client.send(Wire.frame(type: Wire.FrameType.trailers, streamID: 1))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("TRAILERS from a client"),
        lastStreamID: 1)
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func goAwayThatIsNotProtobufIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.frame(type: Wire.FrameType.goAway, streamID: 0, payload: [0xff]))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .starting(with: "malformed courier.v1.GoAway")
      )
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func settingsThatAreNotProtobufAreAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connect()
      try await client.send(
        Wire.preface + Wire.frame(type: Wire.FrameType.settings, streamID: 0, payload: [0x08]))
      #expect(try await client.readExactly(8, what: "preface") == Wire.preface)
      #expect(try await client.readFrame().type == Wire.FrameType.settings)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError,
        message: .starting(with: "malformed courier.v1.Settings"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }
}

/// A frame cut short, for the frame-timeout tests.
struct TruncatedFrame: Sendable, CustomTestStringConvertible {
  var name: String
  var bytes: [UInt8]
  var testDescription: String { name }
}
