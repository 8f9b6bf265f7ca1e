/// The bytes of docs/PROTOCOL.md, built by hand for the abusive clients: they must send what
/// no well-behaved Courier client would, so they cannot use the transport's own writer (whose
/// control messages are internal anyway). Only the application messages come from LedgerAPI.
enum SoakWire {
  /// Frame types, section 2.
  enum FrameType {
    static let settings: UInt8 = 0x00
    static let headers: UInt8 = 0x01
    static let message: UInt8 = 0x02
    static let trailers: UInt8 = 0x03
    static let cancel: UInt8 = 0x04
    static let halfClose: UInt8 = 0x05
    static let windowUpdate: UInt8 = 0x06
    static let ping: UInt8 = 0x07
    static let goAway: UInt8 = 0x08
  }

  static let endStream: UInt8 = 0x01
  static let frameHeaderBytes = 12
  /// The protocol's hard limit on a frame payload (16 MiB).
  static let frameBytesMax = 16 * 1024 * 1024
  /// The server's default limit on HEADERS payloads (16 KiB); the soak does not change it.
  static let headerBytesMax = 16 * 1024

  /// `COURIER` and version 1.
  static let preface: [UInt8] = Array("COURIER".utf8) + [0x01]

  /// The preface and an empty SETTINGS (all defaults): a complete client handshake.
  static let handshake: [UInt8] = preface + frame(type: FrameType.settings, streamID: 0)

  static func header(length: UInt32, type: UInt8, flags: UInt8 = 0, streamID: UInt32) -> [UInt8] {
    bigEndian(length) + [type, flags, 0, 0] + bigEndian(streamID)
  }

  static func frame(type: UInt8, flags: UInt8 = 0, streamID: UInt32, payload: [UInt8] = []) -> [UInt8] {
    header(length: UInt32(payload.count), type: type, flags: flags, streamID: streamID) + payload
  }

  /// HEADERS opening `streamID` for `path`; `timeoutMicroseconds` 0 means no deadline;
  /// `authorization`, when given, is sent as the `authorization` metadata entry.
  static func headers(
    streamID: UInt32, path: String, timeoutMicroseconds: UInt64 = 0, authorization: String? = nil,
    endStream: Bool = false
  ) -> [UInt8] {
    var payload = ProtobufBytes.lengthDelimited(field: 1, Array(path.utf8))
    if timeoutMicroseconds > 0 { payload += ProtobufBytes.varint(field: 2, timeoutMicroseconds) }
    if let authorization {
      // CallHeaders.metadata (3): a MetadataEntry with key (1) and text (2).
      let entry =
        ProtobufBytes.lengthDelimited(field: 1, Array("authorization".utf8))
        + ProtobufBytes.lengthDelimited(field: 2, Array(authorization.utf8))
      payload += ProtobufBytes.lengthDelimited(field: 3, entry)
    }
    return frame(type: FrameType.headers, flags: endStream ? Self.endStream : 0, streamID: streamID, payload: payload)
  }

  static func message(streamID: UInt32, _ payload: [UInt8], endStream: Bool = true) -> [UInt8] {
    frame(type: FrameType.message, flags: endStream ? Self.endStream : 0, streamID: streamID, payload: payload)
  }

  /// A PING (8 bytes of payload), which the server answers with a PING ACK.
  static let ping = frame(type: FrameType.ping, streamID: 0, payload: [0, 0, 0, 0, 0, 0, 0, 1])

  /// CANCEL with code CANCELLED.
  static func cancel(streamID: UInt32) -> [UInt8] {
    frame(type: FrameType.cancel, streamID: streamID, payload: ProtobufBytes.varint(field: 1, 1))
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
  }

  static func uint32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// GOAWAY error codes by number, section 8.
  static func goAwayCodeName(_ code: UInt64) -> String {
    let names = [
      "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "FRAME_TOO_LARGE",
      "UNSUPPORTED_VERSION", "HANDSHAKE_TIMEOUT", "ENHANCE_YOUR_CALM",
    ]
    return code < names.count ? names[Int(code)] : "CODE_\(code)"
  }
}

/// The little protobuf the control frames need: varint and length-delimited fields, written and
/// scanned. Enough for `CallHeaders`, `Cancel`, `GoAway` and `Trailers`.
enum ProtobufBytes {
  static func varint(_ value: UInt64) -> [UInt8] {
    var value = value
    var bytes: [UInt8] = []
    while value >= 0x80 {
      bytes.append(UInt8(value & 0x7f) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
    return bytes
  }

  static func varint(field: UInt64, _ value: UInt64) -> [UInt8] {
    varint(field << 3) + varint(value)
  }

  static func lengthDelimited(field: UInt64, _ bytes: [UInt8]) -> [UInt8] {
    varint(field << 3 | 2) + varint(UInt64(bytes.count)) + bytes
  }

  /// The varint fields and the length-delimited fields of a message, by field number (the last
  /// occurrence wins); nil when the bytes are not a well-formed message of those wire types.
  static func scan(_ bytes: ArraySlice<UInt8>) -> (varints: [UInt64: UInt64], strings: [UInt64: ArraySlice<UInt8>])? {
    var varints: [UInt64: UInt64] = [:]
    var strings: [UInt64: ArraySlice<UInt8>] = [:]
    var index = bytes.startIndex
    func readVarint() -> UInt64? {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while index < bytes.endIndex, shift < 64 {
        let byte = bytes[index]
        index += 1
        value |= UInt64(byte & 0x7f) << shift
        if byte < 0x80 { return value }
        shift += 7
      }
      return nil
    }
    while index < bytes.endIndex {
      guard let key = readVarint() else { return nil }
      switch key & 7 {
      case 0:
        guard let value = readVarint() else { return nil }
        varints[key >> 3] = value
      case 2:
        guard let length = readVarint(), length <= UInt64(bytes.endIndex - index) else { return nil }
        strings[key >> 3] = bytes[index..<(index + Int(length))]
        index += Int(length)
      default:
        return nil
      }
    }
    return (varints, strings)
  }
}
