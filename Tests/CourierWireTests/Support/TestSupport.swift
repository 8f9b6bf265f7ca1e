import CourierWire

/// Bytes from hex pairs, spaces allowed: `"08 96 01"`. A malformed literal is a bug in the
/// test itself, so it yields no bytes (and the test comparing them fails).
func bytes(_ hex: String) -> [UInt8] {
  let digits = hex.filter { !$0.isWhitespace }
  guard digits.count % 2 == 0 else { return [] }
  var result: [UInt8] = []
  var index = digits.startIndex
  while index < digits.endIndex {
    let next = digits.index(index, offsetBy: 2)
    guard let byte = UInt8(digits[index..<next], radix: 16) else { return [] }
    result.append(byte)
    index = next
  }
  return result
}

/// Lowercase hex pairs separated by spaces, for readable failure messages.
func hex(_ bytes: [UInt8]) -> String {
  bytes.map { byte in
    let digits = String(byte, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
  }.joined(separator: " ")
}

/// The error decoding `bytes` as `M` throws, or `nil` if it decodes.
func decodingError<M: Message>(
  _ type: M.Type, _ bytes: [UInt8], options: DecodingOptions = DecodingOptions()
) -> WireDecodingError? {
  do {
    _ = try M(serializedBytes: bytes, options: options)
    return nil
  } catch {
    return error
  }
}

/// The bytes of a varint, written independently of `WireWriter` (the definition: 7 bits per
/// byte, low group first, high bit set on every byte but the last).
func varint(_ value: UInt64) -> [UInt8] {
  var remaining = value
  var result: [UInt8] = []
  while remaining >= 0x80 {
    result.append(UInt8(remaining & 0x7F) | 0x80)
    remaining >>= 7
  }
  result.append(UInt8(remaining))
  return result
}

/// A field key's bytes.
func key(_ fieldNumber: Int, _ wireType: WireType) -> [UInt8] {
  varint(UInt64(fieldNumber) << 3 | UInt64(wireType.rawValue))
}

/// A length-delimited field: key, length, payload.
func lengthDelimited(_ fieldNumber: Int, _ payload: [UInt8]) -> [UInt8] {
  key(fieldNumber, .lengthDelimited) + varint(UInt64(payload.count)) + payload
}

/// Little-endian bytes of a fixed-width value.
func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
  withUnsafeBytes(of: value.littleEndian) { Array($0) }
}
