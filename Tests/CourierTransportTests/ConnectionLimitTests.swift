import CourierBenchAPI
import CourierCore
import Testing

@testable import CourierTransport

#if canImport(Glibc)
  import Glibc
#endif

/// Limits on whole connections (docs/PROTOCOL.md sections 7, 8 and 9): how many, how chatty,
/// how idle, and a peer that vanishes.
@Suite struct ConnectionLimitTests {
  @Test func connectionsPastTheLimitAreTurnedAway() async throws {
    try await ServerFixture.with { fixture in
      // Eight connections (the limit) that complete the handshake and stay.
      var admitted: [RawClient] = []
      for _ in 0..<8 { admitted.append(try await fixture.connectAndHandshake()) }
      try await fixture.expectConnectionCount(8)
      // The flood: each one past the limit hears why and is closed.
      for _ in 0..<6 {
        let extra = try await fixture.connect()
        try await extra.sendHandshake()
        #expect(try await extra.readExactly(8, what: "preface") == Wire.preface)
        try await extra.expectGoAwayAndClose(
          code: Wire.GoAwayCode.enhanceYourCalm, message: .exactly("too many connections"))
      }
      #expect(
        fixture.events.connectionErrors.filter { $0.contains("too many connections") }.count == 6)
      #expect(fixture.server.connectionCount == 8)
      // The admitted ones still work.
      try await admitted[0].send(Wire.transferCall(streamID: 1))
      try await admitted[0].expectUnaryOK(streamID: 1)
      // Once the flood is gone, a legitimate client gets in.
      admitted.removeAll()
      try await fixture.expectConnectionCount(0)
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func peerThatVanishesMidStreamHasItsHandlerCancelled() async throws {
    try await ServerFixture.with { fixture in
      var client: RawClient? = try await fixture.connectAndHandshake()
      try await client!.send(
        Wire.headers(
          streamID: 1, path: TestService.streamPath, metadata: [("count", "3"), ("hold", "1")])
          + Wire.message(streamID: 1, TestService.sampleRequest().serializedBytes()))
      #expect(try await client!.readFrame().type == Wire.FrameType.headers)
      for _ in 0..<3 {
        let message = try await client!.readFrame()
        #expect(message.type == Wire.FrameType.message && message.streamID == 1)
      }
      #expect(fixture.server.connectionCount == 1)
      client = nil  // closes the socket
      #expect(await eventually { fixture.probe.snapshot.cancelled == 1 })
      try await fixture.expectConnectionCount(0)
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func peerThatVanishesWhileStreamIsBlockedByFlowControl() async throws {
    try await ServerFixture.with { fixture in
      var client: RawClient? = try await fixture.connect()
      // A client window of 64 bytes: the handler blocks after three 26-byte replies.
      var settings = Courier_V1_Settings()
      settings.initialStreamWindowBytes = 64
      try await client!.send(Wire.preface + Wire.settings(settings))
      try await client!.readServerHandshake()
      try await client!.send(
        Wire.headers(streamID: 1, path: TestService.streamPath, metadata: [("count", "1000")])
          + Wire.message(streamID: 1, TestService.sampleRequest().serializedBytes()))
      #expect(try await client!.readFrame().type == Wire.FrameType.headers)
      for _ in 0..<3 { #expect(try await client!.readFrame().type == Wire.FrameType.message) }
      client = nil
      #expect(await eventually { fixture.probe.snapshot.cancelled == 1 })
      try await fixture.expectConnectionCount(0)
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  /// Opens a stream of `count` replies of about 60 KB with flow control wide open (windows of
  /// 2^31−1 bytes) and a client that does not read, and returns once the handler has stopped
  /// making progress: with everything the socket buffers hold (the client's receive buffer is
  /// set to 64 KB; the server's send buffer grows to 4 MB at most) plus `pendingOutputBytesMax`
  /// (1 MiB) in the server's output buffer, its next `write` waits for the client to read.
  static func backedUpStream(_ fixture: ServerFixture, count: Int = 120) async throws -> RawClient {
    let client = try await fixture.connect(receiveBufferBytes: 64 * 1024)
    var settings = Courier_V1_Settings()
    settings.initialStreamWindowBytes = UInt32(Int32.max)
    settings.connectionWindowBytes = UInt32(Int32.max)
    try await client.send(Wire.preface + Wire.settings(settings))
    try await client.readServerHandshake()
    var request = TestService.sampleRequest()
    request.idempotencyKey = String(repeating: "k", count: 60_000)
    try await client.send(
      Wire.headers(streamID: 1, path: TestService.streamPath, metadata: [("count", "\(count)")])
        + Wire.message(streamID: 1, request.serializedBytes()))
    try #require(await fixture.probe.writtenStopsGrowing(for: .milliseconds(500), within: .seconds(30)))
    return client
  }

  /// A connection error while the server's output is backed up (the client is not reading):
  /// the GOAWAY must still reach the client, after what was already queued.
  @Test func goAwayIsNotLostWhenTheClientReadsSlowly() async throws {
    // frameTimeout also bounds how long the server waits for a peer to take its last frames:
    // the default of `.testing()` leaves the client time to read 7 MB, even under TSan.
    try await ServerFixture.with { fixture in
      let client = try await Self.backedUpStream(fixture)
      try await client.send(Wire.frame(type: 0x7f, streamID: 0))
      // Read only once the server has failed the connection, so its GOAWAY is queued behind
      // megabytes the client has not taken yet.
      #expect(
        await eventually {
          fixture.events.sawConnectionError(containing: "unknown frame type 0x7f")
        })
      // Everything queued before the failure arrives first: HEADERS and every MESSAGE the
      // handler wrote (it is still waiting to write the rest, so no TRAILERS).
      var messages = 0
      var trailers: Courier_V1_Trailers?
      while true {
        let frame = try await client.readFrame()
        if frame.type == Wire.FrameType.message { messages += 1 }
        if let received = frame.trailers { trailers = received }
        guard let goAway = frame.goAway else { continue }
        #expect(goAway.errorCode == Wire.GoAwayCode.protocolError)
        #expect(goAway.debugMessage == "unknown frame type 0x7f")
        break
      }
      // The handler's last message was queued before its `write` started waiting.
      let written = fixture.probe.snapshot.written
      #expect(written < 120)
      #expect(messages == written || messages == written + 1)
      #expect(trailers == nil)
      try await client.expectClosed()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  /// The same, but the client never reads: the server must not wait for it forever.
  @Test func peerThatNeverReadsIsCutOffAfterTheLingerTimeout() async throws {
    try await ServerFixture.with(limits: .testing(frameTimeout: .milliseconds(300))) { fixture in
      let client = try await Self.backedUpStream(fixture)
      // The server fails the connection after this instant, and then gives its last frames
      // frameTimeout (300 ms) to leave before it closes anyway.
      let sentAt = ContinuousClock.now
      try await client.send(Wire.frame(type: 0x7f, streamID: 0))
      try await fixture.expectConnectionCount(0, within: .seconds(2))
      #expect(ContinuousClock.now - sentAt >= .milliseconds(300))
      #expect(fixture.events.sawConnectionError(containing: "unknown frame type 0x7f"))
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func pingFloodIsEnhanceYourCalm() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      // Ten PINGs a second are allowed; the eleventh, with no call in between, is not.
      try await client.send((0..<11).flatMap { Wire.ping([0, 0, 0, 0, 0, 0, 0, UInt8($0)]) })
      for index in 0..<10 {
        #expect(
          try await client.readFrame()
            == RawFrame(
              type: Wire.FrameType.ping, flags: Wire.ack, streamID: 0,
              payload: [0, 0, 0, 0, 0, 0, 0, UInt8(index)]))
      }
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.enhanceYourCalm, message: .exactly("too many pings"))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func idleConnectionIsClosedWithNoError() async throws {
    try await ServerFixture.with(limits: .testing(idleTimeout: .seconds(1))) { fixture in
      // The server's idle clock starts when it accepts the connection, after this instant.
      let beforeConnect = ContinuousClock.now
      let client = try await fixture.connectAndHandshake()
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.noError, message: .exactly("idle"))
      #expect(ContinuousClock.now - beforeConnect >= .seconds(1))
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func idleClockRestartsWhenTheLastCallEnds() async throws {
    try await ServerFixture.with(limits: .testing(idleTimeout: .seconds(1))) { fixture in
      // Handshake and a call of 1.5 s in the connection's first bytes: it outlives idleTimeout
      // and still completes; the idle clock starts only when it ends.
      let beforeConnect = ContinuousClock.now
      let client = try await fixture.connect(
        sending: Wire.preface + Wire.settings()
          + Wire.transferCall(streamID: 1, metadata: [("sleep-ms", "1500")]))
      try await client.readServerHandshake()
      try await client.expectUnaryOK(streamID: 1)
      try await client.expectGoAwayAndClose(
        code: Wire.GoAwayCode.noError, message: .exactly("idle"), lastStreamID: 1)
      #expect(ContinuousClock.now - beforeConnect >= .milliseconds(2500))
    }
  }

  @Test func clientGoAwayDrainsAndCloses() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connectAndHandshake()
      var goAway = Courier_V1_GoAway()
      goAway.errorCode = 0
      try await client.send(
        Wire.transferCall(streamID: 1, metadata: [("sleep-ms", "100")])
          + Wire.frame(type: Wire.FrameType.goAway, streamID: 0, payload: goAway.serializedBytes()))
      let frame = try await client.readFrame()
      #expect(frame.goAway?.errorCode == Wire.GoAwayCode.noError)
      #expect(frame.goAway?.lastStreamID == 1)
      try await client.expectUnaryOK(streamID: 1)
      try await client.expectClosed()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  @Test func gracefulShutdownLetsOpenCallsFinish() async throws {
    let probe = ServiceProbe()
    let server = CourierServer(
      configuration: .init(limits: .testing(), shutdownGracePeriod: .seconds(5)),
      services: [TestService(probe: probe)])
    let port = try server.start()
    let client = try await RawClient.connect(port: port)
    try await client.handshake()
    // Held open until the client has read the GOAWAY and had another stream refused, however
    // slowly this machine runs the test (a timed sleep lost that race on a busy pool).
    try await client.send(Wire.transferCall(streamID: 1, metadata: [("hold-until-released", "1")]))
    #expect(await eventually { probe.snapshot.started == 1 })
    async let stopped: Void = server.shutdown()
    let frame = try await client.readFrame()
    #expect(frame.goAway?.errorCode == Wire.GoAwayCode.noError)
    #expect(frame.goAway?.lastStreamID == 1)
    // A call opened after the GOAWAY was never processed: refused, trailers-only.
    try await client.send(Wire.transferCall(streamID: 3))
    try await client.expectTrailers(
      streamID: 3, code: .unavailable, message: .exactly("server is shutting down"))
    probe.releaseHeldCalls()
    try await client.expectUnaryOK(streamID: 1)
    try await client.expectClosed()
    await stopped
    #expect(server.connectionCount == 0)
  }
}

/// A peer that sends and never reads (docs/PROTOCOL.md section 8: nothing a peer sends may make
/// the server's memory grow without limit).
@Suite struct OutputBackpressureTests {
  /// Found while soaking: with one call open (so PINGs are not limited to 10 a second) a client
  /// that sent PINGs and never read the ACKs made the server buffer every ACK, about 900 MB in
  /// 8 s from one connection. The server must stop reading from a peer that does not take what
  /// it is sent, and carry on once it does.
  @Test func aPeerThatDoesNotReadIsNotReadFromUntilItDoes() async throws {
    try await ServerFixture.with { fixture in
      let client = try await fixture.connect(receiveBufferBytes: 4096)
      try await client.send(Wire.preface + Wire.settings())
      try await client.readServerHandshake()
      try await client.send(Wire.headers(streamID: 1, path: TestService.transferPath))
      // PINGs, never reading the ACKs, for as long as the server takes them (a send that makes
      // no progress for 500 ms means it stopped reading).
      let ping = Wire.ping()
      let burst = [[UInt8]](repeating: ping, count: (1 << 20) / ping.count).flatMap { $0 }
      var sentBytes = 0
      while sentBytes < 48 << 20 {
        let sent = await Self.sendWhileTaken(client.fd, burst, patience: .milliseconds(500))
        sentBytes += sent
        if sent < burst.count { break }
      }
      // Kernel buffers on both sides hold a few MiB; the server's own buffer at most 1 MiB more.
      try #require(sentBytes < 32 << 20, "the server took \(sentBytes) bytes of PINGs while its ACKs were not read")
      // Reading now lets the server go on: every whole PING is answered, then the one cut short
      // once it is completed.
      let ack = Wire.frame(type: Wire.FrameType.ping, flags: Wire.ack, streamID: 0, payload: Array(ping[12...]))
      let pings = sentBytes / ping.count
      let acks = try await client.readExactly(pings * ack.count, what: "\(pings) PING ACKs")
      #expect(acks == [[UInt8]](repeating: ack, count: pings).flatMap { $0 })
      let cut = sentBytes % ping.count
      if cut > 0 {
        try await client.send(Array(ping[cut...]))
        #expect(try await client.readFrame().bytes == ack)
      }
      try await client.send(Wire.transferCall(streamID: 3))
      try await client.expectUnaryOK(streamID: 3)
      client.disconnect()
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  /// A client may grant windows of 2^31−1 bytes and still not read. A streaming handler's
  /// `write` must then wait once the connection's unsent output passes `pendingOutputBytesMax`,
  /// instead of buffering the whole stream (24 MB here), and go on once the client reads.
  @Test func aStreamingHandlerWaitsForAPeerThatGrantsWindowsButDoesNotRead() async throws {
    try await ServerFixture.with { fixture in
      var client: RawClient? = try await ConnectionLimitTests.backedUpStream(fixture, count: 400)
      let stalledAt = fixture.probe.snapshot.written
      // Kernel buffers hold about 4 MB (the server's send buffer at most, the client's receive
      // buffer 64 KB), the server's output buffer 1 MiB more: about 85 replies of 60 KB.
      #expect(stalledAt * 60_000 < 12_000_000, "the handler wrote \(stalledAt) replies of 60 KB to a client that does not read")
      #expect(fixture.probe.snapshot.finishedWriting == 0)
      // Reading lets it go on.
      #expect(try await client!.readFrame().type == Wire.FrameType.headers)
      var messages = 0
      while fixture.probe.snapshot.written <= stalledAt + 20 {
        let frame = try await client!.readFrame()
        try #require(frame.type == Wire.FrameType.message)
        messages += 1
      }
      #expect(messages > 0)
      // Closing with replies unread resets the connection: the handler's next write fails (or
      // its wait is cancelled), so it does not write the rest of its 400 replies into nothing.
      // (A polite `shutdown` would not do: with its reading paused, the server would not see
      // the FIN until it had sent everything.)
      client = nil
      try await fixture.expectConnectionCount(0)
      #expect(fixture.probe.snapshot.finishedWriting == 0)
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  /// Sends `bytes` without blocking, as far as the socket takes them, waiting while it makes
  /// progress; returns how many were sent.
  static func sendWhileTaken(_ fd: Int32, _ bytes: [UInt8], patience: Duration) async -> Int {
    var sent = 0
    var lastProgress = ContinuousClock.now
    while sent < bytes.count {
      let count = bytes.withUnsafeBytes { raw in
        Glibc.send(fd, raw.baseAddress! + sent, bytes.count - sent, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
      }
      if count > 0 {
        sent += count
        lastProgress = .now
      } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && ContinuousClock.now - lastProgress < patience {
        try? await Task.sleep(for: .milliseconds(5))
      } else if count < 0 && errno == EINTR {
        continue
      } else {
        break
      }
    }
    return sent
  }
}
