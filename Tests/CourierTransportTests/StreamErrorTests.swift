import CourierBenchAPI
import CourierCore
import Testing

@testable import CourierTransport

/// Bad input on streams (docs/PROTOCOL.md section 4): some ends the connection, some ends one
/// call while the connection stays usable.
@Suite struct StreamErrorTests {
  @Test func messageAboveTheLimitEndsOnlyItsCall() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      let oversized = [UInt8](repeating: 0x5a, count: 64 * 1024 + 1)
      try await client.send(
        Wire.headers(streamID: 1, path: TestService.transferPath)
          + Wire.message(streamID: 1, oversized))
      try await client.expectTrailers(
        streamID: 1, code: .resourceExhausted,
        message: .exactly("request message of 65537 bytes exceeds the limit of 65536"))
      // The payload was skipped, not parsed as frames: the next call on the connection works.
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func messageAboveTheLimitArrivingInPiecesEndsOnlyItsCall() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      let size = 200 * 1024
      try await client.send(
        Wire.headers(streamID: 1, path: TestService.transferPath)
          + Wire.header(
            length: size, type: Wire.FrameType.message, flags: Wire.endStream, streamID: 1))
      try await client.expectTrailers(streamID: 1, code: .resourceExhausted)
      for _ in 0..<4 { try await client.send([UInt8](repeating: 0x02, count: size / 4)) }
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
    }
  }

  @Test func headersAboveTheLimitEndOnlyTheirCall() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      let big = String(repeating: "v", count: 17 * 1024)
      let headers = Wire.headers(
        streamID: 1, path: TestService.transferPath, metadata: [("big", big)], endStream: true)
      try await client.send(headers)
      try await client.expectTrailers(
        streamID: 1, code: .resourceExhausted,
        message: .exactly("headers of \(headers.count - 12) bytes exceed the limit of 16384"))
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func headersAboveTheLimitAreRefusedBeforeTheirPayloadArrives() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      // Only the header of a 1 MiB HEADERS frame: the server answers without buffering it.
      let size = 1024 * 1024
      try await client.send(Wire.header(length: size, type: Wire.FrameType.headers, streamID: 1))
      try await client.expectTrailers(
        streamID: 1, code: .resourceExhausted,
        message: .exactly("headers of 1048576 bytes exceed the limit of 16384"))
      // The payload is skipped as it arrives; a MESSAGE for the refused stream is ignored.
      try await client.send(
        [UInt8](repeating: 0x0a, count: size) + Wire.message(streamID: 1, [1, 2, 3]))
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test(arguments: [[UInt32(1), 1], [3, 1]])
  func reusedOrDecreasingStreamIDIsAProtocolError(_ ids: [UInt32]) async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.transferCall(streamID: ids[0]))
      try await client.expectUnaryOK(streamID: ids[0])
      try await client.send(Wire.transferCall(streamID: ids[1]))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .starting(with: "stream id \(ids[1]) reused"),
        lastStreamID: ids[0])
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func messageForANeverOpenedStreamIsAProtocolError() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.message(streamID: 5, TestService.sampleRequest().serializedBytes()))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError,
        message: .exactly("frame for stream 5, which was never opened"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func framesForAClosedStreamAreIgnored() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.transferCall(streamID: 1))
      try await client.expectUnaryOK(streamID: 1)
      // Stream 1 is closed: a late MESSAGE, HALF_CLOSE, CANCEL and WINDOW_UPDATE for it are
      // dropped, and the next frames the client sees are those of stream 3.
      try await client.send(
        Wire.message(streamID: 1, TestService.sampleRequest().serializedBytes())
          + Wire.frame(type: Wire.FrameType.halfClose, streamID: 1)
          + Wire.cancel(streamID: 1)
          + Wire.frame(type: Wire.FrameType.windowUpdate, streamID: 1, payload: [0, 0, 1, 0])
          + Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func messageAfterEndOfStreamEndsTheCallWithInternal() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.transferCall(streamID: 1, metadata: [("sleep-ms", "60000")])
          + Wire.message(streamID: 1, TestService.sampleRequest().serializedBytes()))
      try await client.expectTrailers(
        streamID: 1, code: .internal, message: .exactly("message after end of stream"))
      #expect(await eventually { fixture.probe.snapshot.cancelled == 1 })
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func unaryCallWithTwoRequestsIsInvalidArgument() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      let request = TestService.sampleRequest().serializedBytes()
      try await client.send(
        Wire.headers(streamID: 1, path: TestService.transferPath)
          + Wire.message(streamID: 1, request, endStream: false)
          + Wire.message(streamID: 1, request))
      try await client.expectTrailers(
        streamID: 1, code: .invalidArgument,
        message: .exactly("/bench.v1.Bench/Transfer: expected one request, got several"))
      #expect(fixture.probe.snapshot.started == 0)
    }
  }

  @Test func unaryCallWithNoRequestIsInvalidArgument() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.headers(streamID: 1, path: TestService.transferPath, endStream: true))
      try await client.expectTrailers(
        streamID: 1, code: .invalidArgument,
        message: .exactly("/bench.v1.Bench/Transfer: expected one request, got none"))
    }
  }

  @Test func requestThatDoesNotDecodeIsInvalidArgument() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.headers(streamID: 1, path: TestService.transferPath)
          + Wire.message(streamID: 1, [0x0a, 0x7f]))
      try await client.expectTrailers(
        streamID: 1, code: .invalidArgument,
        message: .starting(
          with: "/bench.v1.Bench/Transfer: request is not a valid bench.v1.TransferRequest"))
    }
  }

  @Test func oneStreamTooManyIsResourceExhausted() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      var bytes: [UInt8] = []
      let ids: [UInt32] = [1, 3, 5, 7, 9]
      for id in ids {
        bytes += Wire.transferCall(streamID: id, metadata: [("sleep-ms", "300")])
      }
      try await client.send(bytes)
      // The fifth is refused at once, trailers-only; the four others finish normally.
      try await client.expectTrailers(
        streamID: 9, code: .resourceExhausted,
        message: .exactly("too many concurrent streams (limit 4)"))
      var finished: Set<UInt32> = []
      for _ in 0..<12 {
        let frame = try await client.readFrame()
        if let trailers = frame.trailers {
          #expect(trailers.code == 0)
          finished.insert(frame.streamID)
        }
      }
      #expect(finished == [1, 3, 5, 7])
      #expect(fixture.probe.snapshot.started == 4)
      // With the slots free again, a new stream is accepted.
      try await client.send(Wire.transferCall(streamID: 11))
      try await client.expectUnaryOK(streamID: 11)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func unknownMethodIsUnimplemented() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.headers(streamID: 1, path: "/bench.v1.Bench/Nope")
          + Wire.message(streamID: 1, TestService.sampleRequest().serializedBytes()))
      try await client.expectTrailers(
        streamID: 1, code: .unimplemented, message: .exactly("unknown method /bench.v1.Bench/Nope"))
      // The refused stream's MESSAGE is ignored, and the connection goes on.
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
    }
  }

  @Test func unknownServiceIsUnimplemented() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.headers(streamID: 1, path: "/pkg.Svc/M", endStream: true))
      try await client.expectTrailers(
        streamID: 1, code: .unimplemented, message: .exactly("unknown service pkg.Svc"))
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func cancelStopsTheHandlerAndNothingMoreIsSent() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(Wire.transferCall(streamID: 1, metadata: [("sleep-ms", "60000")]))
      #expect(await eventually { fixture.probe.snapshot.started == 1 })
      try await client.send(Wire.cancel(streamID: 1) + Wire.transferCall(streamID: 3))
      // Nothing for stream 1: the next frames are stream 3's.
      try await client.expectUnaryOK(streamID: 3)
      #expect(await eventually { fixture.probe.snapshot.cancelled == 1 })
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func deadlineCancelsTheHandler() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.headers(
          streamID: 1, path: TestService.transferPath, timeoutMicroseconds: 100_000,
          metadata: [("sleep-ms", "60000")])
          + Wire.message(streamID: 1, TestService.sampleRequest().serializedBytes()))
      try await client.expectTrailers(streamID: 1, code: .deadlineExceeded)
      #expect(await eventually { fixture.probe.snapshot.cancelled == 1 })
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func connectionErrorCancelsEveryOpenCall() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.transferCall(streamID: 1, metadata: [("sleep-ms", "60000")])
          + Wire.transferCall(streamID: 3, metadata: [("sleep-ms", "60000")]))
      #expect(await eventually { fixture.probe.snapshot.started == 2 })
      try await client.send(Wire.frame(type: 0x7f, streamID: 0))
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.protocolError, message: .exactly("unknown frame type 0x7f"),
        lastStreamID: 3)
      #expect(await eventually { fixture.probe.snapshot.cancelled == 2 })
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func hugeTimeoutIsAcceptedAsNoPracticalDeadline() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.headers(streamID: 1, path: TestService.transferPath, timeoutMicroseconds: .max)
          + Wire.message(streamID: 1, TestService.sampleRequest().serializedBytes()))
      try await client.expectUnaryOK(streamID: 1)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func invalidMetadataFailsTheCallWithInternal() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      try await client.send(
        Wire.headers(
          streamID: 1, path: TestService.transferPath, metadata: [("Upper-Case", "x")],
          endStream: true))
      try await client.expectTrailers(
        streamID: 1, code: .internal, message: .exactly("invalid metadata key \"Upper-Case\""))
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
    }
  }
}
