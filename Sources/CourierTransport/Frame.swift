/// The kinds of frame (docs/PROTOCOL.md, section 2).
enum FrameType: UInt8, Sendable, CustomStringConvertible {
  case settings = 0x00
  case headers = 0x01
  case message = 0x02
  case trailers = 0x03
  case cancel = 0x04
  case halfClose = 0x05
  case windowUpdate = 0x06
  case ping = 0x07
  case goAway = 0x08

  /// Whether frames of this type belong to a call (stream id ≥ 1) rather than the connection.
  var isCallFrame: Bool {
    switch self {
    case .headers, .message, .trailers, .cancel, .halfClose: return true
    case .settings, .ping, .goAway: return false
    case .windowUpdate: return false  // either; checked separately
    }
  }

  /// The name docs/PROTOCOL.md uses, for debug messages ("HEADERS frame on stream 0").
  var description: String {
    switch self {
    case .settings: return "SETTINGS"
    case .headers: return "HEADERS"
    case .message: return "MESSAGE"
    case .trailers: return "TRAILERS"
    case .cancel: return "CANCEL"
    case .halfClose: return "HALF_CLOSE"
    case .windowUpdate: return "WINDOW_UPDATE"
    case .ping: return "PING"
    case .goAway: return "GOAWAY"
    }
  }
}

/// Frame flags. Only two bits are defined, and their meaning depends on the frame type.
struct FrameFlags: OptionSet, Sendable, Hashable {
  let rawValue: UInt8

  /// HEADERS and MESSAGE from the client: no request messages follow.
  static let endStream = FrameFlags(rawValue: 0x01)
  /// SETTINGS and PING: this frame acknowledges the peer's.
  static let ack = FrameFlags(rawValue: 0x01)
}

/// The 12-byte header every frame starts with.
struct FrameHeader: Sendable, Hashable {
  static let size = 12

  var payloadLength: Int
  var type: FrameType
  var flags: FrameFlags
  var streamID: UInt32

  /// Appends the header, big-endian, to `buffer`.
  func write(to buffer: inout ByteBuffer) {
    buffer.writeUInt32(UInt32(payloadLength))
    buffer.writeUInt8(type.rawValue)
    buffer.writeUInt8(flags.rawValue)
    buffer.writeUInt16(0)
    buffer.writeUInt32(streamID)
  }
}

/// The 8-byte connection preface: "COURIER" and the protocol version.
enum Preface {
  static let version: UInt8 = 1
  static let bytes: [UInt8] = Array("COURIER".utf8) + [version]
  static let magic: [UInt8] = Array("COURIER".utf8)
}

/// GOAWAY error codes (docs/PROTOCOL.md, section 8).
enum ConnectionErrorCode: UInt32, Sendable {
  case noError = 0
  case protocolError = 1
  case internalError = 2
  case flowControlError = 3
  case frameTooLarge = 4
  case unsupportedVersion = 5
  case handshakeTimeout = 6
  case enhanceYourCalm = 7
}

/// A problem that ends the whole connection: sent as GOAWAY, then the socket is closed.
struct ConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
  var code: ConnectionErrorCode
  var reason: String

  init(_ code: ConnectionErrorCode, _ reason: String) {
    self.code = code
    self.reason = reason
  }

  var description: String { "\(code): \(reason)" }
}
