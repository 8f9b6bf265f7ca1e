import CourierBenchAPI
import CourierCore
import Testing

@testable import CourierTransport

/// The connection's first bytes (docs/PROTOCOL.md sections 1 and 10): the preface, the first
/// SETTINGS, the handshake timeout, and a unary call byte by byte.
@Suite struct HandshakeTests {
  @Test func garbagePrefaceIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connect()
      try await client.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
      // Exactly the bad-preface example of section 10: the preface, then GOAWAY, no SETTINGS.
      let expected = Wire.hex(
        """
        43 4f 55 52 49 45 52 01
        00 00 00 0f  08 00 00 00  00 00 00 00
           10 01
           1a 0b 62 61 64 20 70 72 65 66 61 63 65
        """)
      #expect(try await client.readExactly(expected.count, what: "preface and GOAWAY") == expected)
      try await client.expectClosed()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func rightMagicWrongVersionIsUnsupportedVersion() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connect()
      try await client.send(Array("COURIER".utf8) + [0x02] + Wire.settings())
      #expect(try await client.readExactly(8, what: "preface") == Wire.preface)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.unsupportedVersion,
        message: .exactly("unsupported protocol version 2"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func firstFrameNotSettingsIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connect()
      try await client.send(Wire.preface + Wire.ping())
      #expect(try await client.readExactly(8, what: "preface") == Wire.preface)
      #expect(try await client.readFrame().type == Wire.FrameType.settings)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("the first frame must be SETTINGS"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func settingsAckAsFirstFrameIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connect()
      try await client.send(
        Wire.preface + Wire.frame(type: Wire.FrameType.settings, flags: Wire.ack, streamID: 0))
      #expect(try await client.readExactly(8, what: "preface") == Wire.preface)
      #expect(try await client.readFrame().type == Wire.FrameType.settings)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("the first frame must be SETTINGS"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func secondSettingsIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.settings())
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("SETTINGS sent twice"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func noPrefaceAtAllTimesOut() async throws {
    try await ServerFixture.with(limits: .testing(handshakeTimeout: .milliseconds(300))) {
      fixture in
      let start = ContinuousClock.now
      let client = try await fixture.connect()
      #expect(try await client.readExactly(8, what: "preface") == Wire.preface)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.handshakeTimeout,
        message: .starting(with: "no preface and SETTINGS within"))
      #expect(ContinuousClock.now - start >= .milliseconds(300))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func partialPrefaceTimesOut() async throws {
    try await ServerFixture.with(limits: .testing(handshakeTimeout: .milliseconds(300))) {
      fixture in
      let client = try await fixture.connect()
      try await client.send(Array("COUR".utf8))
      #expect(try await client.readExactly(8, what: "preface") == Wire.preface)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.handshakeTimeout,
        message: .starting(with: "no preface and SETTINGS within"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func prefaceWithoutSettingsTimesOut() async throws {
    // The preface leaves with the connect, so it arrives in time and is answered with
    // SETTINGS; the missing SETTINGS from the client then times out.
    try await ServerFixture.with(limits: .testing(handshakeTimeout: .milliseconds(300))) {
      fixture in
      let client = try await fixture.connect(sending: Wire.preface)
      #expect(try await client.readExactly(8, what: "preface") == Wire.preface)
      #expect(try await client.readFrame().type == Wire.FrameType.settings)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.handshakeTimeout,
        message: .starting(with: "no preface and SETTINGS within"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func serverSettingsAdvertiseItsLimits() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connect()
      let settingsFrame = try await client.handshake()
      let settings = try Courier_V1_Settings(serializedBytes: settingsFrame.payload)
      #expect(settings.messageBytesMax == 64 * 1024)
      #expect(settings.concurrentStreamsMax == 4)
      // Fields at the protocol's defaults are left out (0 means default).
      #expect(settings.initialStreamWindowBytes == 0)
      #expect(settings.connectionWindowBytes == 0)
      #expect(settings.headerBytesMax == 0)
    }
  }

  /// docs/PROTOCOL.md section 10, both directions, byte for byte.
  @Test func unaryCallByteByByte() async throws {
    try await ServerFixture.with(limits: TransportLimits()) { fixture in
      let request = TestService.sampleRequest().serializedBytes()
      #expect(request.count == 136)
      let clientBytes =
        Wire.hex(
          """
          43 4f 55 52 49 45 52 01
          00 00 00 00  00 00 00 00  00 00 00 00
          00 00 00 32  01 00 00 00  00 00 00 01
             0a 18 2f 62 65 6e 63 68 2e 76 31 2e 42 65 6e 63 68 2f 54 72 61 6e 73 66 65 72
             10 c0 84 3d
             1a 12 0a 0c 78 2d 72 65 71 75 65 73 74 2d 69 64 12 02 72 31
          00 00 00 88  02 01 00 00  00 00 00 01
          """) + request
      let client = try await fixture.connect()
      try await client.send(clientBytes)

      let reply = TestService.reply(to: TestService.sampleRequest()).serializedBytes()
      #expect(reply.count == 26)
      #expect(Array(reply.prefix(4)) == [0x0a, 0x12, 0x69, 0x64])
      let expected =
        Wire.hex(
          """
          43 4f 55 52 49 45 52 01
          00 00 00 00  00 00 00 00  00 00 00 00
          00 00 00 00  00 01 00 00  00 00 00 00
          00 00 00 00  01 00 00 00  00 00 00 01
          00 00 00 1a  02 00 00 00  00 00 00 01
          """) + reply
        + Wire.hex("00 00 00 00  03 00 00 00  00 00 00 01")
      let received = try await client.readExactly(
        expected.count, what: "the response of section 10")
      #expect(received == expected)
      // The client acknowledges the server's SETTINGS; the connection stays up for more calls.
      try await client.send(Wire.frame(type: Wire.FrameType.settings, flags: Wire.ack, streamID: 0))
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  /// docs/PROTOCOL.md section 10, the trailers-only failure, checked against the transport's
  /// own writer.
  @Test func trailersOnlyExampleEncoding() {
    let buffer = ByteBufferProbe.trailers(
      streamID: 3, code: .notFound, message: "account not found",
      metadata: ["ledger-error-code": "ACCOUNT_NOT_FOUND"])
    let expected = Wire.hex(
      """
      00 00 00 3d  03 00 00 00  00 00 00 03
         08 05
         12 11 61 63 63 6f 75 6e 74 20 6e 6f 74 20 66 6f 75 6e 64
         1a 26 0a 11 6c 65 64 67 65 72 2d 65 72 72 6f 72 2d 63 6f 64 65
               12 11 41 43 43 4f 55 4e 54 5f 4e 4f 54 5f 46 4f 55 4e 44
      """)
    #expect(buffer.readAll() == expected)
  }

  /// docs/PROTOCOL.md section 10, the bad-preface GOAWAY.
  @Test func badPrefaceGoAwayExampleEncoding() {
    let buffer = ByteBufferProbe.goAway(lastStreamID: 0, code: 1, reason: "bad preface")
    let expected = Wire.hex(
      """
      00 00 00 0f  08 00 00 00  00 00 00 00
         10 01
         1a 0b 62 61 64 20 70 72 65 66 61 63 65
      """)
    #expect(buffer.readAll() == expected)
  }
}
