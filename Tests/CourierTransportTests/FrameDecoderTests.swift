import Testing

@testable import CourierTransport

/// `FrameDecoder` fed one byte at a time: every split of a frame must give the same frames.
@Suite struct FrameDecoderTests {
  /// What the decoder reported, with payloads copied out of the borrowed buffer.
  enum Decoded: Equatable {
    case frame(FrameHeader, [UInt8])
    case oversized(FrameHeader)
  }

  /// Appends `bytes` one at a time, decoding after each, and returns everything decoded.
  static func decodeByteByByte(
    _ bytes: [UInt8], decoder: inout FrameDecoder, buffer: inout ByteBuffer
  ) throws -> [Decoded] {
    var decoded: [Decoded] = []
    for byte in bytes {
      buffer.writeUInt8(byte)
      try decoder.decode(&buffer) { event in
        switch event {
        case .frame(let header, let payload): decoded.append(.frame(header, [UInt8](payload)))
        case .oversized(let header): decoded.append(.oversized(header))
        }
      }
    }
    return decoded
  }

  @Test func framesSplitAtEveryByteDecodeWhole() throws {
    var decoder = FrameDecoder(messageBytesMax: 64, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    let bytes =
      Wire.frame(type: Wire.FrameType.settings, streamID: 0)
      + Wire.frame(
        type: Wire.FrameType.message, flags: Wire.endStream, streamID: 7, payload: [1, 2, 3])
      + Wire.ping([8, 7, 6, 5, 4, 3, 2, 1])
    let decoded = try Self.decodeByteByByte(bytes, decoder: &decoder, buffer: &buffer)
    #expect(
      decoded == [
        .frame(FrameHeader(payloadLength: 0, type: .settings, flags: [], streamID: 0), []),
        .frame(
          FrameHeader(payloadLength: 3, type: .message, flags: .endStream, streamID: 7), [1, 2, 3]),
        .frame(
          FrameHeader(payloadLength: 8, type: .ping, flags: [], streamID: 0),
          [8, 7, 6, 5, 4, 3, 2, 1]),
      ])
    #expect(buffer.readableBytes == 0)
    #expect(!decoder.hasPartialFrame(in: buffer))
  }

  @Test func partialFrameIsReportedUntilComplete() throws {
    var decoder = FrameDecoder(messageBytesMax: 64, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    let frame = Wire.ping([1, 2, 3, 4, 5, 6, 7, 8])
    for (index, byte) in frame.enumerated() {
      buffer.writeUInt8(byte)
      var count = 0
      try decoder.decode(&buffer) { _ in count += 1 }
      let complete = index == frame.count - 1
      #expect(count == (complete ? 1 : 0))
      #expect(decoder.hasPartialFrame(in: buffer) == !complete)
    }
  }

  @Test func oversizedIsReportedOnceAndSkipped() throws {
    var decoder = FrameDecoder(messageBytesMax: 4, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    let bytes =
      Wire.frame(
        type: Wire.FrameType.message, streamID: 1, payload: [UInt8](repeating: 9, count: 5))
      + Wire.frame(type: Wire.FrameType.message, streamID: 3, payload: [1, 2, 3, 4])
    let decoded = try Self.decodeByteByByte(bytes, decoder: &decoder, buffer: &buffer)
    #expect(
      decoded == [
        .oversized(FrameHeader(payloadLength: 5, type: .message, flags: [], streamID: 1)),
        .frame(
          FrameHeader(payloadLength: 4, type: .message, flags: [], streamID: 3), [1, 2, 3, 4]),
      ])
    #expect(decoder.discardRemaining == 0)
  }

  @Test func skippingAnOversizedMessageCountsAsAPartialFrame() throws {
    var decoder = FrameDecoder(messageBytesMax: 4, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    _ = try Self.decodeByteByByte(
      Wire.header(length: 10, type: Wire.FrameType.message, streamID: 1) + [0, 0],
      decoder: &decoder, buffer: &buffer)
    #expect(decoder.discardRemaining == 8)
    #expect(buffer.readableBytes == 0)
    #expect(decoder.hasPartialFrame(in: buffer))
  }

  @Test func lengthAbove16MiBThrowsOnceTheHeaderIsIn() throws {
    var decoder = FrameDecoder(messageBytesMax: 64, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    let header = Wire.header(
      length: FrameDecoder.frameBytesMax + 1, type: Wire.FrameType.headers, streamID: 1)
    _ = try Self.decodeByteByByte(Array(header.dropLast()), decoder: &decoder, buffer: &buffer)
    #expect(
      throws: ConnectionError(.frameTooLarge, "frame of 16777217 bytes exceeds the 16 MiB limit")
    ) {
      _ = try Self.decodeByteByByte([header.last!], decoder: &decoder, buffer: &buffer)
    }
  }

  @Test func exactly16MiBIsAllowed() throws {
    var decoder = FrameDecoder(messageBytesMax: 64, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    let decoded = try Self.decodeByteByByte(
      Wire.header(length: FrameDecoder.frameBytesMax, type: Wire.FrameType.message, streamID: 1),
      decoder: &decoder,
      buffer: &buffer)
    #expect(
      decoded == [
        .oversized(
          FrameHeader(
            payloadLength: FrameDecoder.frameBytesMax, type: .message, flags: [], streamID: 1))
      ])
  }

  @Test func unknownTypeThrows() throws {
    var decoder = FrameDecoder(messageBytesMax: 64, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    #expect(throws: ConnectionError(.protocolError, "unknown frame type 0xff")) {
      _ = try Self.decodeByteByByte(
        Wire.header(length: 0, type: 0xff, streamID: 0), decoder: &decoder, buffer: &buffer)
    }
  }

  @Test func reservedBitsAreIgnored() throws {
    var decoder = FrameDecoder(messageBytesMax: 64, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    var bytes = Wire.frame(type: Wire.FrameType.halfClose, streamID: 5)
    bytes[6] = 0xff
    bytes[7] = 0x01
    let decoded = try Self.decodeByteByByte(bytes, decoder: &decoder, buffer: &buffer)
    #expect(
      decoded == [
        .frame(FrameHeader(payloadLength: 0, type: .halfClose, flags: [], streamID: 5), [])
      ])
  }

  @Test func decodeReportsWhetherAFrameEnded() throws {
    var decoder = FrameDecoder(messageBytesMax: 4, headerBytesMax: 1024)
    var buffer = ByteBuffer()
    let ping = Wire.ping()
    buffer.writeBytes(Array(ping[..<10]))
    #expect(try decoder.decode(&buffer) { _ in } == false)
    // The end of the first frame and the start of the next: a frame ended.
    buffer.writeBytes(Array(ping[10...]) + Array(ping[..<3]))
    #expect(try decoder.decode(&buffer) { _ in } == true)
    #expect(decoder.hasPartialFrame(in: buffer))
    // The end of a skipped payload counts too.
    buffer.clear()
    buffer.writeBytes(Wire.header(length: 6, type: Wire.FrameType.message, streamID: 1) + [0, 0])
    #expect(try decoder.decode(&buffer) { _ in } == false)
    buffer.writeBytes([0, 0, 0, 0])
    #expect(try decoder.decode(&buffer) { _ in } == true)
    #expect(!decoder.hasPartialFrame(in: buffer))
  }

  @Test func oversizedHeadersAndTrailersAreSkippedLikeMessages() throws {
    var decoder = FrameDecoder(messageBytesMax: 1024, headerBytesMax: 4)
    var buffer = ByteBuffer()
    let bytes =
      Wire.frame(type: Wire.FrameType.headers, streamID: 1, payload: [1, 2, 3, 4, 5])
      + Wire.frame(type: Wire.FrameType.trailers, streamID: 1, payload: [1, 2, 3, 4, 5])
      + Wire.frame(type: Wire.FrameType.message, streamID: 1, payload: [1, 2, 3, 4, 5])
    let decoded = try Self.decodeByteByByte(bytes, decoder: &decoder, buffer: &buffer)
    #expect(
      decoded == [
        .oversized(FrameHeader(payloadLength: 5, type: .headers, flags: [], streamID: 1)),
        .oversized(FrameHeader(payloadLength: 5, type: .trailers, flags: [], streamID: 1)),
        .frame(
          FrameHeader(payloadLength: 5, type: .message, flags: [], streamID: 1), [1, 2, 3, 4, 5]),
      ])
  }

  @Test func otherFramesAboveTheHeaderLimitThrowOnceTheHeaderIsIn() throws {
    var decoder = FrameDecoder(messageBytesMax: 1024, headerBytesMax: 256)
    var buffer = ByteBuffer()
    #expect(
      throws: ConnectionError(.protocolError, "GOAWAY frame of 257 bytes exceeds the limit of 256")
    ) {
      _ = try Self.decodeByteByByte(
        Wire.header(length: 257, type: Wire.FrameType.goAway, streamID: 0), decoder: &decoder,
        buffer: &buffer)
    }
  }
}
