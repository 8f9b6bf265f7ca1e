import CourierCore
import CourierWire

/// Appending whole frames to an output buffer. Protobuf payloads are encoded straight into the
/// buffer after their header: the size pass runs first, so the length is known and nothing is
/// copied.
extension ByteBuffer {
  mutating func writeFrame(_ type: FrameType, flags: FrameFlags = [], streamID: UInt32, payload: UnsafeRawBufferPointer) {
    FrameHeader(payloadLength: payload.count, type: type, flags: flags, streamID: streamID).write(to: &self)
    writeBytes(payload)
  }

  mutating func writeFrame(_ type: FrameType, flags: FrameFlags = [], streamID: UInt32, payload: [UInt8]) {
    payload.withUnsafeBytes { writeFrame(type, flags: flags, streamID: streamID, payload: $0) }
  }

  /// A frame whose payload is `message`, encoded in place.
  mutating func writeFrame<M: Message>(_ type: FrameType, flags: FrameFlags = [], streamID: UInt32, message: M) {
    var cache = SizeCache()
    let size = message.computeSize(cache: &cache)
    FrameHeader(payloadLength: size, type: type, flags: flags, streamID: streamID).write(to: &self)
    guard size > 0 else { return }
    _ = writeWithUnsafeMutableBytes(minimumWritableBytes: size) { space in
      var writer = WireWriter(base: space.baseAddress!, capacity: size, sizeCache: cache)
      message.encodeFields(to: &writer)
      precondition(writer.offset == size, "encoded \(writer.offset) bytes, size pass said \(size)")
      return size
    }
  }

  mutating func writePreface() {
    writeBytes(Preface.bytes)
  }

  /// SETTINGS with the receive-side limits. A field is sent only when it differs from the
  /// protocol's default (zero means "default", docs/PROTOCOL.md section 3), so a side with
  /// default limits sends an empty payload, as in the byte-level example of section 10.
  mutating func writeSettings(_ limits: TransportLimits) {
    let defaults = TransportLimits()
    func field(_ value: Int, _ standard: Int) -> UInt32 { value == standard ? 0 : UInt32(value) }
    var settings = Courier_V1_Settings()
    settings.messageBytesMax = field(limits.messageBytesMax, defaults.messageBytesMax)
    settings.initialStreamWindowBytes = field(limits.streamWindowBytes, defaults.streamWindowBytes)
    settings.connectionWindowBytes = field(limits.connectionWindowBytes, defaults.connectionWindowBytes)
    settings.concurrentStreamsMax = field(limits.concurrentStreamsMax, defaults.concurrentStreamsMax)
    settings.headerBytesMax = field(limits.headerBytesMax, defaults.headerBytesMax)
    writeFrame(.settings, streamID: 0, message: settings)
  }

  mutating func writeSettingsAck() {
    FrameHeader(payloadLength: 0, type: .settings, flags: .ack, streamID: 0).write(to: &self)
  }

  mutating func writeWindowUpdate(streamID: UInt32, increment: Int) {
    FrameHeader(payloadLength: 4, type: .windowUpdate, flags: [], streamID: streamID).write(to: &self)
    writeUInt32(UInt32(increment))
  }

  mutating func writePing(_ payload: UInt64, ack: Bool) {
    FrameHeader(payloadLength: 8, type: .ping, flags: ack ? .ack : [], streamID: 0).write(to: &self)
    writeUInt32(UInt32(truncatingIfNeeded: payload >> 32))
    writeUInt32(UInt32(truncatingIfNeeded: payload))
  }

  mutating func writeGoAway(lastStreamID: UInt32, code: ConnectionErrorCode, reason: String) {
    var goAway = Courier_V1_GoAway()
    goAway.lastStreamID = lastStreamID
    goAway.errorCode = code.rawValue
    goAway.debugMessage = reason
    writeFrame(.goAway, streamID: 0, message: goAway)
  }

  mutating func writeTrailers(streamID: UInt32, code: StatusCode, message: String, metadata: Metadata) {
    var trailers = Courier_V1_Trailers()
    trailers.code = UInt32(clamping: code.rawValue)
    trailers.message = message
    trailers.metadata = MetadataCoding.entries(metadata)
    writeFrame(.trailers, streamID: streamID, message: trailers)
  }

  mutating func writeResponseHeaders(streamID: UInt32, metadata: Metadata) {
    var headers = Courier_V1_ResponseHeaders()
    headers.metadata = MetadataCoding.entries(metadata)
    writeFrame(.headers, streamID: streamID, message: headers)
  }
}

/// Metadata to and from its wire form, with the key and value rules of docs/PROTOCOL.md.
enum MetadataCoding {
  static func entries(_ metadata: Metadata) -> [Courier_V1_MetadataEntry] {
    guard !metadata.isEmpty else { return [] }
    return metadata.map { entry in
      var wire = Courier_V1_MetadataEntry()
      wire.key = entry.key
      switch entry.value {
      case .string(let text): wire.text = text
      case .binary(let bytes): wire.binary = bytes
      }
      return wire
    }
  }

  /// The metadata the entries describe, or a message saying which entry breaks the rules.
  static func metadata(_ entries: [Courier_V1_MetadataEntry]) -> Result<Metadata, RPCError> {
    var metadata = Metadata()
    for entry in entries {
      guard Metadata.isValidKey(entry.key) else {
        return .failure(RPCError(code: .internal, message: "invalid metadata key \"\(entry.key)\""))
      }
      switch entry.value {
      case .binary(let bytes)? where entry.key.hasSuffix("-bin"):
        metadata.append(Metadata.Entry(key: entry.key, value: .binary(bytes)))
      case .text(let text)? where !entry.key.hasSuffix("-bin") && Metadata.isValidTextValue(text):
        metadata.append(Metadata.Entry(key: entry.key, value: .string(text)))
      case nil where !entry.key.hasSuffix("-bin"):
        metadata.append(Metadata.Entry(key: entry.key, value: .string("")))
      case nil:
        metadata.append(Metadata.Entry(key: entry.key, value: .binary([])))
      default:
        return .failure(RPCError(code: .internal, message: "invalid value for metadata key \"\(entry.key)\""))
      }
    }
    return .success(metadata)
  }
}
