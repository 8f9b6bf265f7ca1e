import CourierBenchAPI
import CourierCore
import CourierWire

@testable import CourierTransport

/// Builds the bytes of docs/PROTOCOL.md by hand, independently of the transport's own frame
/// writer (only the generated control messages are shared), so a test checks the code
/// against the page rather than against itself.
enum Wire {
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

  /// GOAWAY error codes, section 8.
  enum GoAwayCode {
    static let noError: UInt32 = 0
    static let protocolError: UInt32 = 1
    static let internalError: UInt32 = 2
    static let flowControlError: UInt32 = 3
    static let frameTooLarge: UInt32 = 4
    static let unsupportedVersion: UInt32 = 5
    static let handshakeTimeout: UInt32 = 6
    static let enhanceYourCalm: UInt32 = 7
  }

  static let endStream: UInt8 = 0x01
  static let ack: UInt8 = 0x01

  static let preface: [UInt8] = [0x43, 0x4f, 0x55, 0x52, 0x49, 0x45, 0x52, 0x01]

  static func header(length: Int, type: UInt8, flags: UInt8 = 0, streamID: UInt32) -> [UInt8] {
    bigEndian(UInt32(length)) + [type, flags, 0, 0] + bigEndian(streamID)
  }

  static func frame(type: UInt8, flags: UInt8 = 0, streamID: UInt32, payload: [UInt8] = [])
    -> [UInt8]
  {
    header(length: payload.count, type: type, flags: flags, streamID: streamID) + payload
  }

  static func settings(_ settings: Courier_V1_Settings = Courier_V1_Settings()) -> [UInt8] {
    frame(type: FrameType.settings, streamID: 0, payload: settings.serializedBytes())
  }

  /// HEADERS opening stream `streamID` for `path`.
  static func headers(
    streamID: UInt32, path: String, timeoutMicroseconds: UInt64 = 0,
    metadata: [(String, String)] = [],
    endStream: Bool = false
  ) -> [UInt8] {
    var headers = Courier_V1_CallHeaders()
    headers.path = path
    headers.timeoutMicroseconds = timeoutMicroseconds
    headers.metadata = metadata.map { key, value in
      var entry = Courier_V1_MetadataEntry()
      entry.key = key
      entry.text = value
      return entry
    }
    return frame(
      type: FrameType.headers, flags: endStream ? Wire.endStream : 0, streamID: streamID,
      payload: headers.serializedBytes())
  }

  static func message(streamID: UInt32, _ payload: [UInt8], endStream: Bool = true) -> [UInt8] {
    frame(
      type: FrameType.message, flags: endStream ? Wire.endStream : 0, streamID: streamID,
      payload: payload)
  }

  static func ping(_ payload: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]) -> [UInt8] {
    frame(type: FrameType.ping, streamID: 0, payload: payload)
  }

  static func cancel(streamID: UInt32) -> [UInt8] {
    var cancel = Courier_V1_Cancel()
    cancel.code = 1
    return frame(type: FrameType.cancel, streamID: streamID, payload: cancel.serializedBytes())
  }

  /// HEADERS + MESSAGE(END_STREAM) for a unary Transfer on `streamID`.
  static func transferCall(
    streamID: UInt32, _ request: Bench_V1_TransferRequest = TestService.sampleRequest(),
    metadata: [(String, String)] = []
  ) -> [UInt8] {
    headers(streamID: streamID, path: TestService.transferPath, metadata: metadata)
      + message(streamID: streamID, request.serializedBytes())
  }

  static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
  }

  static func uint32(_ bytes: [UInt8], at index: Int) -> UInt32 {
    bytes[index..<(index + 4)].reduce(0) { $0 << 8 | UInt32($1) }
  }

  static func hex(_ text: String) -> [UInt8] {
    let digits = text.filter { !$0.isWhitespace }
    precondition(digits.count.isMultiple(of: 2), "odd number of hex digits in \(text)")
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
      let next = digits.index(index, offsetBy: 2)
      bytes.append(UInt8(digits[index..<next], radix: 16)!)
      index = next
    }
    return bytes
  }
}

/// Decoded views of the server's frames.
extension RawFrame {
  var goAway: Courier_V1_GoAway? {
    guard type == Wire.FrameType.goAway else { return nil }
    return try? Courier_V1_GoAway(serializedBytes: payload)
  }

  var trailers: Courier_V1_Trailers? {
    guard type == Wire.FrameType.trailers else { return nil }
    return try? Courier_V1_Trailers(serializedBytes: payload)
  }
}

/// Frames written by the transport's own writer, for checking it against the page.
enum ByteBufferProbe {
  static func trailers(streamID: UInt32, code: StatusCode, message: String, metadata: Metadata)
    -> ByteBuffer
  {
    var buffer = ByteBuffer()
    buffer.writeTrailers(streamID: streamID, code: code, message: message, metadata: metadata)
    return buffer
  }

  static func goAway(lastStreamID: UInt32, code: UInt32, reason: String) -> ByteBuffer {
    var buffer = ByteBuffer()
    buffer.writeGoAway(
      lastStreamID: lastStreamID, code: ConnectionErrorCode(rawValue: code)!, reason: reason)
    return buffer
  }
}

extension ByteBuffer {
  /// Every readable byte, without consuming them.
  func readAll() -> [UInt8] { getBytes(count: readableBytes) }
}
