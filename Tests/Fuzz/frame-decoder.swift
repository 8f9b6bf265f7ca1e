// libFuzzer target `frame-decoder`: the transport's FrameDecoder fed an arbitrary byte stream
// (what a peer sends after the preface), read in chunks whose sizes come from the input, and
// every frame's payload decoded the way ServerConnection and ClientConnection decode it.
//
// Input: byte 0 picks the receiver's limits, byte 1 how the stream is cut into reads, the rest
// is the stream. Properties:
// - the decoder returns or throws a `ConnectionError`, never traps, and never holds more than
//   one acceptable frame (the buffer stays below 12 + the largest accepted payload);
// - the frames (and the error, if any) are the same however the stream is cut into reads;
// - each control payload decodes through `ControlFrames` / `MetadataCoding` or throws their
//   typed error; whatever decodes, written back with the transport's frame writer, decodes to
//   the same value.

import CourierBenchAPI
import CourierCore
import CourierWire
import FuzzSupport

@testable import CourierTransport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let input = fuzzInput(start, count)
  guard input.count >= 2 else { return 0 }
  let configuration = ReceiverConfiguration(input[0])
  let stream = UnsafeRawBufferPointer(rebasing: input.dropFirst(2))
  var random = SplitMix64(seed: UInt64(input[1]) << 32 | UInt64(stream.count))
  let chunkBytesMax = 1 << (Int(input[1] & 7) + 1)

  let whole = decode(stream, configuration) { remaining in remaining }
  let chunked = decode(stream, configuration) { remaining in
    min(remaining, 1 + Int(random.next() % UInt64(chunkBytesMax)))
  }
  fuzzRequire(
    whole == chunked,
    "reads of up to \(chunkBytesMax) bytes decode differently from one read\nwhole: \(whole)\nchunked: \(chunked)")

  var window = Window()
  for event in whole.events {
    if case .frame(let header, let payload) = event {
      payload.withUnsafeBytes { checkPayload(header, $0, &window) }
    }
  }
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
  writeSeedsIfRequested(frameSeeds)
  return 0
}

// MARK: - Decoding in reads

/// The receiver's limits and read buffer, from one input byte (small limits reach the
/// oversized-frame paths with small inputs).
struct ReceiverConfiguration: CustomStringConvertible {
  static let messageBytesMaxChoices = [16, 300, 4096, 4 * 1024 * 1024]
  static let headerBytesMaxChoices = [256, 1024, 16 * 1024, 16 * 1024]
  static let readBufferBytesChoices = [0, 16, 256, 64 * 1024]

  var messageBytesMax: Int
  var headerBytesMax: Int
  var readBufferBytes: Int

  init(_ byte: UInt8) {
    messageBytesMax = Self.messageBytesMaxChoices[Int(byte & 3)]
    headerBytesMax = Self.headerBytesMaxChoices[Int(byte >> 2 & 3)]
    readBufferBytes = Self.readBufferBytesChoices[Int(byte >> 4 & 3)]
  }

  /// The byte that selects these choices (the inverse of `init`).
  static func byte(messageBytesMax: Int, headerBytesMax: Int, readBufferBytes: Int) -> UInt8 {
    let message = messageBytesMaxChoices.firstIndex(of: messageBytesMax)!
    let header = headerBytesMaxChoices.firstIndex(of: headerBytesMax)!
    let buffer = readBufferBytesChoices.firstIndex(of: readBufferBytes)!
    return UInt8(message | header << 2 | buffer << 4)
  }

  var description: String {
    "messageBytesMax \(messageBytesMax), headerBytesMax \(headerBytesMax), read buffer \(readBufferBytes)"
  }
}

/// What the decoder reported, with payloads copied out of the borrowed buffer.
enum Decoded: Equatable {
  case frame(FrameHeader, [UInt8])
  case oversized(FrameHeader)
}

/// Everything one pass over the stream produced.
struct Outcome: Equatable {
  var events: [Decoded] = []
  var error: ConnectionError?
  /// Whether a frame had started but not ended when the stream ran out.
  var hasPartialFrame = false
}

/// Feeds `stream` to a fresh decoder the way `SocketIO` reads a socket: each read appends up
/// to `nextReadBytes(remaining)` bytes to one `ByteBuffer`, then every complete frame is
/// decoded. Stops at the first error, as a connection does.
func decode(
  _ stream: UnsafeRawBufferPointer, _ configuration: ReceiverConfiguration, nextReadBytes: (Int) -> Int
) -> Outcome {
  var decoder = FrameDecoder(
    messageBytesMax: configuration.messageBytesMax, headerBytesMax: configuration.headerBytesMax)
  let limits = decoder
  var buffer = ByteBuffer(capacity: configuration.readBufferBytes)
  var outcome = Outcome()
  var offset = 0
  let bufferedBytesMax = FrameHeader.size + max(configuration.messageBytesMax, configuration.headerBytesMax)
  while offset < stream.count {
    let count = nextReadBytes(stream.count - offset)
    let read = UnsafeRawBufferPointer(rebasing: stream[offset..<(offset + count)])
    offset += count
    _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { space in
      space.copyMemory(from: read)
      return count
    }
    do {
      try decoder.decode(&buffer) { event in
        switch event {
        case .frame(let header, let payload):
          fuzzRequire(
            payload.count == header.payloadLength,
            "\(header.type) frame of \(header.payloadLength) bytes came with \(payload.count)")
          fuzzRequire(
            payload.count <= limits.payloadBytesMax(header.type),
            "\(header.type) frame of \(payload.count) bytes passed a limit of \(limits.payloadBytesMax(header.type))")
          outcome.events.append(.frame(header, [UInt8](payload)))
        case .oversized(let header):
          fuzzRequire(
            header.payloadLength > limits.payloadBytesMax(header.type),
            "\(header.type) frame of \(header.payloadLength) bytes reported oversized")
          outcome.events.append(.oversized(header))
        }
      }
    } catch let error as ConnectionError {
      outcome.error = error
      return outcome
    } catch {
      fuzzFailure("FrameDecoder threw \(error), not a ConnectionError")
    }
    fuzzRequire(
      buffer.readableBytes < bufferedBytesMax,
      "\(buffer.readableBytes) bytes buffered with \(configuration)")
    fuzzRequire(
      decoder.discardRemaining == 0 || buffer.readableBytes == 0,
      "\(buffer.readableBytes) bytes buffered while \(decoder.discardRemaining) are being discarded")
    buffer.shrinkIfEmpty(toCapacity: configuration.readBufferBytes)
  }
  outcome.hasPartialFrame = decoder.hasPartialFrame(in: buffer)
  return outcome
}

// MARK: - Payloads, as the connections decode them

/// A send window that WINDOW_UPDATE frames credit, as both connection sides keep one.
struct Window {
  static let initialBytes = TransportLimits().connectionWindowBytes
  var bytes = Window.initialBytes
}

/// Decodes one frame's payload as each side would for its type, and checks that what decodes
/// survives the transport's own writer.
func checkPayload(_ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ window: inout Window) {
  switch header.type {
  case .settings:
    if header.flags.contains(.ack) { return }
    if let settings = decodeControl(Courier_V1_Settings.self, payload) {
      checkRewritten(header, settings)
    }
  case .headers:
    if let headers = decodeControl(Courier_V1_CallHeaders.self, payload) {
      checkRewritten(header, headers)
      if let metadata = checkMetadata(headers.metadata) {
        var rewritten = Courier_V1_CallHeaders()
        rewritten.path = headers.path
        rewritten.timeoutMicroseconds = headers.timeoutMicroseconds
        rewritten.metadata = MetadataCoding.entries(metadata)
        checkRewritten(header, rewritten)
      }
      _ = ServerConnection.unimplementedMessage(path: headers.path, router: RPCRouter())
    }
    if let headers = decodeControl(Courier_V1_ResponseHeaders.self, payload) {
      if let metadata = checkMetadata(headers.metadata) {
        var buffer = ByteBuffer()
        buffer.writeResponseHeaders(streamID: header.streamID, metadata: metadata)
        let reread = readBack(buffer, Courier_V1_ResponseHeaders.self)
        fuzzRequire(reread.metadata == MetadataCoding.entries(metadata), "response headers changed on rewrite")
      }
    }
  case .trailers:
    if let trailers = decodeControl(Courier_V1_Trailers.self, payload), let metadata = checkMetadata(trailers.metadata) {
      let code = StatusCode(rawValue: Int(trailers.code))
      _ = code.name
      var buffer = ByteBuffer()
      buffer.writeTrailers(streamID: header.streamID, code: code, message: trailers.message, metadata: metadata)
      let reread = readBack(buffer, Courier_V1_Trailers.self)
      fuzzRequire(
        reread.code == trailers.code && reread.message == trailers.message
          && reread.metadata == MetadataCoding.entries(metadata),
        "trailers changed on rewrite: \(trailers) became \(reread)")
    }
  case .cancel:
    if let cancel = decodeControl(Courier_V1_Cancel.self, payload) {
      checkRewritten(header, cancel)
    }
  case .goAway:
    if let goAway = decodeControl(Courier_V1_GoAway.self, payload) {
      checkRewritten(header, goAway)
      if let code = ConnectionErrorCode(rawValue: goAway.errorCode) {
        var buffer = ByteBuffer()
        buffer.writeGoAway(lastStreamID: goAway.lastStreamID, code: code, reason: goAway.debugMessage)
        var expected = goAway
        expected.unknownFields = UnknownFields()
        fuzzRequire(readBack(buffer, Courier_V1_GoAway.self) == expected, "GOAWAY changed on rewrite")
      }
    }
  case .windowUpdate:
    checkWindowUpdate(header, payload, &window)
  case .ping:
    guard payload.count == 8 else { return }  // a connection error, as both sides decide
    let value = UInt64(bigEndian: payload.loadUnaligned(as: UInt64.self))
    var buffer = ByteBuffer()
    buffer.writePing(value, ack: true)
    fuzzRequire(
      buffer.getBytes(offset: FrameHeader.size, count: 8).elementsEqual(payload),
      "PING payload changed on rewrite")
  case .message, .halfClose:
    break  // application bytes, and an empty payload: nothing to decode here
  }
}

/// `ControlFrames.decode`, which both connections call: the message, or nil when it threw its
/// typed protocol error.
func decodeControl<M: Message>(_ type: M.Type, _ payload: UnsafeRawBufferPointer) -> M? {
  do {
    return try ControlFrames.decode(M.self, payload)
  } catch {
    fuzzRequire(error.code == .protocolError, "malformed \(M.protoMessageName) gave \(error)")
    return nil
  }
}

/// Metadata entries as the receiving side checks them; whatever passes must survive the
/// sending side's conversion back to entries.
func checkMetadata(_ entries: [Courier_V1_MetadataEntry]) -> Metadata? {
  switch MetadataCoding.metadata(entries) {
  case .success(let metadata):
    fuzzRequire(metadata.count == entries.count, "\(entries.count) entries gave \(metadata.count) values")
    switch MetadataCoding.metadata(MetadataCoding.entries(metadata)) {
    case .success(let again): fuzzRequire(again == metadata, "metadata changed on rewrite: \(metadata), \(again)")
    case .failure(let error): fuzzFailure("metadata \(metadata) was accepted, then its rewrite refused: \(error)")
    }
    return metadata
  case .failure(let error):
    fuzzRequire(error.code == .internal, "invalid metadata gave \(error.code), not INTERNAL")
    return nil
  }
}

/// Writes `message` as a frame like the one received, with the transport's writer, and
/// checks that the decoder and `ControlFrames` read back the same frame and message.
func checkRewritten<M: Message>(_ received: FrameHeader, _ message: M) {
  var buffer = ByteBuffer()
  buffer.writeFrame(received.type, flags: received.flags, streamID: received.streamID, message: message)
  let header = FrameHeader(
    payloadLength: message.serializedSize, type: received.type, flags: received.flags, streamID: received.streamID)
  fuzzRequire(readHeader(buffer) == header, "\(M.protoMessageName) frame header changed on rewrite")
  fuzzRequire(readBack(buffer, M.self) == message, "\(M.protoMessageName) changed on rewrite: \(message)")
}

/// The one frame `buffer` holds, decoded with protocol-sized limits.
func readHeader(_ buffer: ByteBuffer) -> FrameHeader? {
  var decoder = FrameDecoder(messageBytesMax: FrameDecoder.frameBytesMax, headerBytesMax: FrameDecoder.frameBytesMax)
  var copy = buffer
  var header: FrameHeader?
  do {
    try decoder.decode(&copy) { event in
      guard case .frame(let decoded, _) = event, header == nil else { fuzzFailure("rewritten frame decoded as \(event)") }
      header = decoded
    }
  } catch {
    fuzzFailure("a frame the transport wrote does not decode: \(error)")
  }
  fuzzRequire(copy.readableBytes == 0, "\(copy.readableBytes) bytes left after the rewritten frame")
  return header
}

/// The control message in the one frame `buffer` holds.
func readBack<M: Message>(_ buffer: ByteBuffer, _ type: M.Type) -> M {
  let length = buffer.readableBytes - FrameHeader.size
  fuzzRequire(length >= 0 && buffer.getUInt32(at: 0) == UInt32(length), "rewritten frame has a wrong length")
  return buffer.withReadableBytes(offset: FrameHeader.size, count: length) { payload in
    do {
      return try ControlFrames.decode(M.self, payload)
    } catch {
      fuzzFailure("a \(M.protoMessageName) the transport wrote does not decode: \(error)")
    }
  }
}

/// WINDOW_UPDATE: 4 bytes, 1 ... 2^31-1, credited to a window that may not pass 2^31-1.
func checkWindowUpdate(_ header: FrameHeader, _ payload: UnsafeRawBufferPointer, _ window: inout Window) {
  let increment: Int
  do {
    increment = try ControlFrames.windowIncrement(payload)
  } catch {
    fuzzRequire(error.code == .protocolError, "bad WINDOW_UPDATE gave \(error)")
    return
  }
  fuzzRequire(increment >= 1 && increment <= Int(Int32.max), "WINDOW_UPDATE increment \(increment) accepted")
  var buffer = ByteBuffer()
  buffer.writeWindowUpdate(streamID: header.streamID, increment: increment)
  let rewritten = buffer.withReadableBytes(offset: FrameHeader.size, count: 4) { try? ControlFrames.windowIncrement($0) }
  fuzzRequire(rewritten == increment, "WINDOW_UPDATE \(increment) rewritten as \(String(describing: rewritten))")
  do {
    try ControlFrames.credit(&window.bytes, by: increment, streamID: header.streamID)
    fuzzRequire(window.bytes <= Int(Int32.max), "window credited to \(window.bytes)")
  } catch {
    fuzzRequire(error.code == .flowControlError, "window overflow gave \(error)")
    window = Window()
  }
}

// MARK: - Seeds: frames as the transport and docs/PROTOCOL.md write them

/// Streams a client and a server really send, each behind two configuration bytes.
func frameSeeds() -> [Seed] {
  var seeds: [Seed] = []
  let defaults = ReceiverConfiguration.byte(
    messageBytesMax: 4 * 1024 * 1024, headerBytesMax: 16 * 1024, readBufferBytes: 64 * 1024)
  let small = ReceiverConfiguration.byte(messageBytesMax: 16, headerBytesMax: 256, readBufferBytes: 16)
  func add(_ name: String, configuration: UInt8 = defaults, chunking: UInt8 = 0x03, _ stream: [UInt8]) {
    seeds.append(Seed(name, [configuration, chunking] + stream))
  }
  func frames(_ write: (inout ByteBuffer) -> Void) -> [UInt8] {
    var buffer = ByteBuffer()
    write(&buffer)
    return buffer.getBytes(count: buffer.readableBytes)
  }

  // docs/PROTOCOL.md section 10, after the prefaces (application payloads elided there are
  // real bench messages here).
  let documentedHeaders: [UInt8] =
    [0x0a, 0x18] + Array("/bench.v1.Bench/Transfer".utf8) + [0x10, 0xc0, 0x84, 0x3d]
    + [0x1a, 0x12, 0x0a, 0x0c] + Array("x-request-id".utf8) + [0x12, 0x02] + Array("r1".utf8)
  let request = benchRequest()
  add(
    "protocol-md-unary-client",
    Wire.header(length: 0, type: 0x00, streamID: 0) + Wire.header(length: documentedHeaders.count, type: 0x01, streamID: 1)
      + documentedHeaders + Wire.header(length: request.count, type: 0x02, flags: 0x01, streamID: 1) + request)
  let reply = benchReply()
  add(
    "protocol-md-unary-server",
    Wire.header(length: 0, type: 0x00, streamID: 0) + Wire.header(length: 0, type: 0x00, flags: 0x01, streamID: 0)
      + Wire.header(length: 0, type: 0x01, streamID: 1) + Wire.header(length: reply.count, type: 0x02, streamID: 1)
      + reply + Wire.header(length: 0, type: 0x03, streamID: 1))
  let notFound: [UInt8] =
    [0x08, 0x05, 0x12, 0x11] + Array("account not found".utf8) + [0x1a, 0x26, 0x0a, 0x11]
    + Array("ledger-error-code".utf8) + [0x12, 0x11] + Array("ACCOUNT_NOT_FOUND".utf8)
  add("protocol-md-trailers-only", Wire.header(length: notFound.count, type: 0x03, streamID: 3) + notFound)
  let badPreface: [UInt8] = [0x10, 0x01, 0x1a, 0x0b] + Array("bad preface".utf8)
  add("protocol-md-goaway", Wire.header(length: badPreface.count, type: 0x08, streamID: 0) + badPreface)

  // The transport's own writer.
  var limits = TransportLimits()
  limits.messageBytesMax = 1024 * 1024
  limits.streamWindowBytes = 64 * 1024
  limits.concurrentStreamsMax = 8
  add("settings-custom", frames { $0.writeSettings(limits) })
  add("settings-ack", frames { $0.writeSettingsAck() })
  var metadata = Metadata()
  metadata.addString("Bearer abc.def", forKey: "authorization")
  metadata.addString("r-42", forKey: "x-correlation-id")
  metadata.addBinary([0, 1, 2, 0xff], forKey: "trace-bin")
  add(
    "client-streaming-call",
    frames { buffer in
      buffer.writeSettings(TransportLimits())
      var headers = Courier_V1_CallHeaders()
      headers.path = "/ledger.v1.Transfers/ImportTransfers"
      headers.timeoutMicroseconds = 30_000_000
      headers.metadata = MetadataCoding.entries(metadata)
      buffer.writeFrame(.headers, streamID: 5, message: headers)
      buffer.writeFrame(.message, streamID: 5, payload: request)
      buffer.writeFrame(.message, streamID: 5, payload: [])
      buffer.writeFrame(.halfClose, streamID: 5, payload: [])
      buffer.writeWindowUpdate(streamID: 0, increment: 8 * 1024 * 1024)
      buffer.writeWindowUpdate(streamID: 5, increment: 512 * 1024)
    })
  add(
    "server-streaming-response",
    frames { buffer in
      buffer.writeSettings(limits)
      buffer.writeSettingsAck()
      buffer.writeResponseHeaders(streamID: 7, metadata: ["x-served-by": "ledger-1"])
      buffer.writeFrame(.message, streamID: 7, payload: reply)
      buffer.writeFrame(.message, streamID: 7, payload: reply)
      buffer.writeTrailers(streamID: 7, code: .ok, message: "", metadata: metadata)
    })
  add(
    "cancel-ping-goaway",
    frames { buffer in
      var cancel = Courier_V1_Cancel()
      cancel.code = UInt32(StatusCode.deadlineExceeded.rawValue)
      cancel.reason = "deadline exceeded"
      buffer.writeFrame(.cancel, streamID: 9, message: cancel)
      buffer.writePing(0x0102_0304_0506_0708, ack: false)
      buffer.writePing(0x0102_0304_0506_0708, ack: true)
      buffer.writeGoAway(lastStreamID: 9, code: .noError, reason: "server shutting down")
    })
  add(
    "trailers-error",
    frames { buffer in
      buffer.writeTrailers(
        streamID: 11, code: .resourceExhausted, message: "too many concurrent streams (limit 100)",
        metadata: ["retry-after-ms": "250"])
      buffer.writeTrailers(streamID: 13, code: StatusCode(rawValue: 42), message: "from the future", metadata: [:])
    })

  // Limits and malformed frames: each ends in a typed error or an oversized report.
  add(
    "oversized-message", configuration: small, chunking: 0x01,
    frames { buffer in
      buffer.writeFrame(.message, streamID: 1, payload: request)
      buffer.writePing(7, ack: false)
    })
  add(
    "oversized-headers", configuration: small,
    frames { buffer in
      var headers = Courier_V1_CallHeaders()
      headers.path = "/" + String(repeating: "p", count: 300)
      buffer.writeFrame(.headers, streamID: 1, message: headers)
      buffer.writeSettingsAck()
    })
  add(
    "oversized-ping", configuration: small,
    Wire.header(length: 300, type: 0x07, streamID: 0) + [UInt8](repeating: 0, count: 300))
  add("frame-too-large", Wire.header(length: 16 * 1024 * 1024 + 1, type: 0x02, streamID: 1))
  add("unknown-type", Wire.header(length: 0, type: 0x09, streamID: 0))
  add(
    "window-update-overflow",
    frames { buffer in
      buffer.writeWindowUpdate(streamID: 0, increment: Int(Int32.max))
      buffer.writeWindowUpdate(streamID: 0, increment: Int(Int32.max))
    })
  add("window-update-zero", Wire.header(length: 4, type: 0x06, streamID: 3) + [0, 0, 0, 0])
  add("ping-short", Wire.header(length: 4, type: 0x07, streamID: 0) + [1, 2, 3, 4])
  add(
    "metadata-invalid",
    frames { buffer in
      var entry = Courier_V1_MetadataEntry()
      entry.key = "Upper-Case"
      entry.text = "line\nbreak"
      var binary = Courier_V1_MetadataEntry()
      binary.key = "not-binary"
      binary.binary = [0xff]
      var headers = Courier_V1_ResponseHeaders()
      headers.metadata = [entry, binary]
      buffer.writeFrame(.headers, streamID: 1, message: headers)
    })
  add(
    "settings-malformed", Wire.header(length: 3, type: 0x00, streamID: 0) + [0x08, 0xff, 0xff])
  return seeds
}

/// A bench `TransferRequest` as the peer benchmark (courier-bench) sends it.
func benchRequest() -> [UInt8] {
  var request = Bench_V1_TransferRequest()
  request.idempotencyKey = "idem-0001"
  request.fromAccount = "acct-a"
  request.toAccount = "acct-b"
  request.amount.units = 1_000
  request.amount.currency = "EUR"
  request.tags = ["priority", "batch-7"]
  request.metadata = ["region": "eu-west", "channel": "api"]
  request.createdAtUnixNanos = 1_717_171_717_000_000_000
  return request.serializedBytes()
}

/// A bench `TransferReply`.
func benchReply() -> [UInt8] {
  var reply = Bench_V1_TransferReply()
  reply.transferID = "tr-0001"
  reply.balanceAfter = 200
  reply.status = 1
  return reply.serializedBytes()
}

/// Frame headers by hand, as docs/PROTOCOL.md section 2 draws them.
enum Wire {
  static func header(length: Int, type: UInt8, flags: UInt8 = 0, streamID: UInt32) -> [UInt8] {
    bigEndian(UInt32(length)) + [type, flags, 0, 0] + bigEndian(streamID)
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
  }
}
