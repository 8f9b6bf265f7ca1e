/// Strict UTF-8 validation for `string` fields.
///
/// protobuf requires proto3 `string` fields to hold valid UTF-8; a decoder must reject the rest
/// rather than repair it. Most payloads are ASCII, so the fast path checks eight bytes at a time
/// and builds the string without a second validation; anything else goes through the standard
/// library's validating initializer.
public enum UTF8Validation {
  /// The string `bytes` encode, or `nil` if they are not valid UTF-8.
  @inlinable
  public static func string(from bytes: UnsafeRawBufferPointer) -> String? {
    if bytes.isEmpty { return "" }
    let utf8 = bytes.bindMemory(to: UInt8.self)
    if isASCII(bytes) {
      return String(decoding: utf8, as: UTF8.self)
    }
    return String(validating: utf8, as: UTF8.self)
  }

  /// Whether every byte is below 0x80.
  @inlinable
  public static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let count = bytes.count
    guard let base = bytes.baseAddress else { return true }
    var index = 0
    var accumulated: UInt64 = 0
    while index &+ 8 <= count {
      accumulated |= base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      index &+= 8
    }
    while index < count {
      accumulated |= UInt64(base.load(fromByteOffset: index, as: UInt8.self))
      index &+= 1
    }
    return accumulated & 0x8080_8080_8080_8080 == 0
  }
}
