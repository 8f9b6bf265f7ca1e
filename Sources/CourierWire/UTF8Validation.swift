/// Strict UTF-8 validation for `string` fields.
///
/// protobuf requires proto3 `string` fields to hold valid UTF-8; a decoder must reject the rest
/// rather than repair it. Most payloads are short ASCII (ids, names, codes), so ASCII is
/// checked first, eight bytes at a time; an ASCII payload is valid as it stands and is turned
/// into a string without a second, byte-by-byte validation. (`WireReader.readString` has an
/// even shorter path for up to 8 bytes.) Everything else goes through the standard library's
/// strict validating initializer, which rejects overlong forms, surrogates, code points above
/// U+10FFFF and truncated sequences.
public enum UTF8Validation {
  /// The string `bytes` encode, or `nil` if they are not valid UTF-8.
  @inlinable
  public static func string(from bytes: UnsafeRawBufferPointer) -> String? {
    let count = bytes.count
    guard count > 0, let source = bytes.baseAddress else { return "" }
    if isASCII(bytes) {
      if count <= 15 {
        // Up to 15 bytes the string lives inside the `String` value. Built from the source
        // bytes it is assembled in registers; copied in through the initializer's buffer, it
        // would be read back right after being stored in pieces (a store-forwarding stall).
        return String(decoding: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
      }
      return String(unsafeUninitializedCapacity: count) { buffer in
        // The standard library hands over at least `count` bytes.
        ByteCopy.copy(
          count, from: source, to: UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped))
        return count
      }
    }
    return String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
  }

  /// The string of the `count` (1...8) ASCII bytes held in the low bytes of `word`, whose
  /// other bytes are zero.
  ///
  /// The bytes go into the new string's storage with a single 8-byte store. A string of up to
  /// 15 bytes lives inside the `String` value, which the standard library reads back as two
  /// words right after the initializer returns; a load that spans several smaller stores
  /// cannot be forwarded from them and stalls the pipeline for more than the copy costs.
  @inlinable
  static func string(asciiWord word: UInt64, count: Int) -> String {
    precondition(count >= 1 && count <= 8, "an ASCII word holds 1 to 8 bytes, not \(count)")
    return String(unsafeUninitializedCapacity: 8) { buffer in
      // `buffer` has room for at least the 8 bytes requested; the ones past `count` are zero.
      UnsafeMutableRawPointer(buffer.baseAddress.unsafelyUnwrapped).storeBytes(
        of: word.littleEndian, as: UInt64.self)
      return count
    }
  }

  /// Whether every byte is below 0x80.
  @inlinable
  public static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let count = bytes.count
    guard let base = bytes.baseAddress else { return true }
    var accumulated: UInt64 = 0
    if count >= 8 {
      var index = 0
      while index &+ 8 <= count {
        accumulated |= base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        index &+= 8
      }
      // The last word overlaps bytes already seen, which does not change the answer.
      accumulated |= base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
    } else if count >= 4 {
      accumulated =
        UInt64(base.loadUnaligned(as: UInt32.self))
        | UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
    } else {
      var index = 0
      while index < count {
        accumulated |= UInt64(base.load(fromByteOffset: index, as: UInt8.self))
        index &+= 1
      }
    }
    return accumulated & 0x8080_8080_8080_8080 == 0
  }
}
