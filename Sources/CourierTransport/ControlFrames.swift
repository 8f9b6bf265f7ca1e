import CourierWire

/// Rules both sides of a connection apply to control frames (docs/PROTOCOL.md, sections 2 and 5).
enum ControlFrames {
  /// Decodes a control payload; one that is not valid protobuf is a connection error.
  static func decode<M: Message>(_ type: M.Type, _ payload: UnsafeRawBufferPointer) throws(ConnectionError) -> M {
    do {
      return try M(serializedBytes: payload)
    } catch {
      throw ConnectionError(.protocolError, "malformed \(M.protoMessageName): \(error)")
    }
  }

  /// The increment a WINDOW_UPDATE carries: 4 bytes, 1 ... 2^31-1.
  static func windowIncrement(_ payload: UnsafeRawBufferPointer) throws(ConnectionError) -> Int {
    guard payload.count == 4 else { throw ConnectionError(.protocolError, "WINDOW_UPDATE payload must be 4 bytes") }
    let increment = Int(UInt32(bigEndian: payload.loadUnaligned(as: UInt32.self)))
    guard increment >= 1 && increment <= Int(Int32.max) else {
      throw ConnectionError(.protocolError, "WINDOW_UPDATE increment \(increment) out of range")
    }
    return increment
  }

  /// Adds credit to a send window; a window above 2^31-1 is the peer's error.
  static func credit(_ window: inout Int, by increment: Int, streamID: UInt32) throws(ConnectionError) {
    window += increment
    guard window <= Int(Int32.max) else {
      let owner = streamID == 0 ? "connection" : "stream \(streamID)"
      throw ConnectionError(.flowControlError, "\(owner) window above 2^31-1")
    }
  }
}
