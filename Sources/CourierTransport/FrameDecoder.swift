/// Splits the bytes a connection reads into frames, enforcing the frame-level limits.
///
/// The decoder owns no memory of its own: it parses frames in place in the connection's read
/// buffer and hands each payload to the caller as borrowed memory, valid only during the call.
/// A MESSAGE announcing more than `messageBytesMax`, or a HEADERS or TRAILERS announcing more
/// than `headerBytesMax` (but within the protocol's 16 MiB), is not buffered: its header is
/// reported as `.oversized` and its payload is skipped as it arrives, so a peer cannot make
/// the receiver hold more than one acceptable frame at a time. Any other frame above
/// `headerBytesMax` (their payloads are a few bytes) is a connection error as soon as its
/// header has arrived.
struct FrameDecoder {
  /// The protocol's hard limit on a frame payload (16 MiB).
  static let frameBytesMax = 16 * 1024 * 1024

  enum Event {
    /// A complete frame; the payload is borrowed from the read buffer.
    case frame(FrameHeader, UnsafeRawBufferPointer)
    /// A MESSAGE, HEADERS or TRAILERS too large to accept; its payload is being discarded.
    case oversized(FrameHeader)
  }

  var messageBytesMax: Int
  var headerBytesMax: Int
  /// Payload bytes of an oversized MESSAGE still to be skipped.
  private(set) var discardRemaining = 0

  init(messageBytesMax: Int, headerBytesMax: Int) {
    self.messageBytesMax = messageBytesMax
    self.headerBytesMax = headerBytesMax
  }

  /// Whether the buffer holds the start of a frame that has not fully arrived.
  func hasPartialFrame(in buffer: ByteBuffer) -> Bool {
    discardRemaining > 0 || buffer.readableBytes > 0
  }

  /// Parses every complete frame in `buffer`, calling `body` for each, and consumes them.
  ///
  /// Returns whether a frame ended during the call (a complete frame, or the last byte of a
  /// skipped payload): a partial frame left in the buffer then started in the bytes just
  /// added, which is what the caller's frame timeout measures from.
  ///
  /// - Throws: `ConnectionError` for an unknown frame type or a length above 16 MiB (the
  ///   connection must then be closed), or whatever `body` throws.
  @discardableResult
  mutating func decode(
    _ buffer: inout ByteBuffer, _ body: (Event) throws -> Void
  ) throws -> Bool {
    var frameEnded = false
    while true {
      if discardRemaining > 0 {
        let skipped = min(discardRemaining, buffer.readableBytes)
        buffer.moveReaderIndex(forwardBy: skipped)
        discardRemaining -= skipped
        if discardRemaining > 0 { return frameEnded }
        frameEnded = true
      }
      guard let header = try peekHeader(buffer) else { return frameEnded }
      if header.payloadLength > payloadBytesMax(header.type) {
        guard header.type == .message || header.type == .headers || header.type == .trailers else {
          throw ConnectionError(
            .protocolError, "\(header.type) frame of \(header.payloadLength) bytes exceeds the limit of \(headerBytesMax)")
        }
        buffer.moveReaderIndex(forwardBy: FrameHeader.size)
        discardRemaining = header.payloadLength
        try body(.oversized(header))
        continue
      }
      guard buffer.readableBytes >= FrameHeader.size + header.payloadLength else { return frameEnded }
      try buffer.withReadableBytes(offset: FrameHeader.size, count: header.payloadLength) { payload in
        try body(.frame(header, payload))
      }
      buffer.moveReaderIndex(forwardBy: FrameHeader.size + header.payloadLength)
      frameEnded = true
    }
  }

  /// The largest payload accepted for frames of `type`.
  func payloadBytesMax(_ type: FrameType) -> Int {
    type == .message ? messageBytesMax : headerBytesMax
  }

  /// The header at the buffer's read position, once its 12 bytes have arrived.
  private func peekHeader(_ buffer: ByteBuffer) throws(ConnectionError) -> FrameHeader? {
    guard let length = buffer.getUInt32(at: 0), let typeByte = buffer.getUInt8(at: 4),
      let flags = buffer.getUInt8(at: 5), let streamID = buffer.getUInt32(at: 8)
    else { return nil }
    guard length <= UInt32(Self.frameBytesMax) else {
      throw ConnectionError(.frameTooLarge, "frame of \(length) bytes exceeds the 16 MiB limit")
    }
    guard let type = FrameType(rawValue: typeByte) else {
      throw ConnectionError(.protocolError, "unknown frame type 0x\(String(typeByte, radix: 16))")
    }
    return FrameHeader(
      payloadLength: Int(length), type: type, flags: FrameFlags(rawValue: flags), streamID: streamID)
  }
}
