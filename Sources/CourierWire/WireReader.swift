/// Reads the protobuf wire format from borrowed memory, checking every byte it trusts.
///
/// The reader never traps on malformed input: each read checks the remaining length and throws
/// a `WireDecodingError`. Nested messages narrow `end` to their declared length and restore it
/// afterwards, and each level counts against `DecodingOptions.nestingDepthMax`.
///
/// Invariant: `0 <= position <= end <= inputCount`.
public struct WireReader {
  @usableFromInline let base: UnsafeRawPointer?
  @usableFromInline var position: Int
  /// Where the message being decoded ends (exclusive).
  @usableFromInline var end: Int
  /// The size of the whole input: bytes past `end` may be *loaded* (never interpreted) by
  /// word-at-a-time fast paths, as long as they are below this.
  @usableFromInline let inputCount: Int
  @usableFromInline var depth: Int
  @usableFromInline let depthMax: Int
  @usableFromInline var lastTagStart: Int

  /// How many bytes have been read so far.
  @inlinable
  public var offset: Int { position }

  /// Creates a reader over `bytes`, which must stay valid while the reader is used.
  @inlinable
  public init(bytes: UnsafeRawBufferPointer, options: DecodingOptions = DecodingOptions()) {
    self.base = bytes.baseAddress
    self.position = 0
    self.end = bytes.count
    self.inputCount = bytes.count
    self.depth = 0
    self.depthMax = options.nestingDepthMax
    self.lastTagStart = 0
  }

  /// Whether the current message has no bytes left.
  @inlinable
  public var isAtEnd: Bool { position >= end }

  @inlinable
  var remaining: Int { end &- position }

  @inlinable
  func byte(at offset: Int) -> UInt8 {
    base.unsafelyUnwrapped.load(fromByteOffset: offset, as: UInt8.self)
  }

  // MARK: - Keys

  /// The next field key of the current message, or `nil` at its end.
  ///
  /// - Throws: `.invalidWireType` for wire types 4, 6 and 7 (an end-group key is only valid
  ///   inside a group that `skipField` is skipping), `.invalidFieldNumber` for 0 or > 2^29-1.
  @inlinable
  public mutating func nextTag() throws(WireDecodingError) -> FieldTag? {
    guard position < end else { return nil }
    lastTagStart = position
    let key: UInt64
    let first = byte(at: position)
    if first < 0x80 {
      position &+= 1
      key = UInt64(first)
    } else {
      key = try readVarintMultiByte()
    }
    return try Self.fieldTag(key)
  }

  @inlinable
  static func fieldTag(_ key: UInt64) throws(WireDecodingError) -> FieldTag {
    let number = key >> 3
    guard number >= 1, number <= UInt64(FieldTag.fieldNumberMax) else {
      throw .invalidFieldNumber(number)
    }
    guard let wireType = WireType(rawValue: UInt8(key & 7)), wireType != .endGroup else {
      throw .invalidWireType(UInt8(key & 7))
    }
    return FieldTag(fieldNumber: Int(number), wireType: wireType)
  }

  // MARK: - Varints

  /// Reads a varint of up to 10 bytes.
  ///
  /// - Throws: `.truncated` if the message ends inside it, `.overlongVarint` if it runs past
  ///   10 bytes or its 10th byte carries more than the 64th bit.
  @inlinable @inline(__always)
  public mutating func readVarint() throws(WireDecodingError) -> UInt64 {
    if position < end {
      let first = byte(at: position)
      if first < 0x80 {
        position &+= 1
        return UInt64(first)
      }
    }
    return try readVarintMultiByte()
  }

  /// A varint that does not fit one byte (or a read at the end, which throws).
  @inlinable
  mutating func readVarintMultiByte() throws(WireDecodingError) -> UInt64 {
    // Only the bytes that can belong to the varint are looked at: at most 10, and none past
    // the end of the current message.
    let limit = Swift.min(remaining, Wire.varintBytesMax)
    guard limit > 0 else { throw .truncated }
    let start = base.unsafelyUnwrapped + position
    var result: UInt64 = 0
    var index = 0
    while index < limit {
      let byte = start.load(fromByteOffset: index, as: UInt8.self)
      if index == 9 {
        // The 10th byte holds bit 63 only; anything more, or a continuation, is overlong.
        guard byte <= 1 else { throw .overlongVarint }
        position &+= 10
        return result | UInt64(byte) &<< 63
      }
      result |= UInt64(byte & 0x7F) &<< UInt64(index &* 7)
      index &+= 1
      if byte < 0x80 {
        position &+= index
        return result
      }
    }
    throw .truncated
  }

  /// `int32`: a varint truncated to 32 bits (negative values arrive sign-extended).
  @inlinable
  public mutating func readInt32() throws(WireDecodingError) -> Int32 {
    Int32(truncatingIfNeeded: try readVarint())
  }

  /// `int64`.
  @inlinable
  public mutating func readInt64() throws(WireDecodingError) -> Int64 {
    Int64(bitPattern: try readVarint())
  }

  /// `uint32`: a varint truncated to 32 bits.
  @inlinable
  public mutating func readUInt32() throws(WireDecodingError) -> UInt32 {
    UInt32(truncatingIfNeeded: try readVarint())
  }

  /// `uint64`.
  @inlinable
  public mutating func readUInt64() throws(WireDecodingError) -> UInt64 {
    try readVarint()
  }

  /// `sint32` (ZigZag).
  @inlinable
  public mutating func readSInt32() throws(WireDecodingError) -> Int32 {
    Wire.unZigZag(UInt32(truncatingIfNeeded: try readVarint()))
  }

  /// `sint64` (ZigZag).
  @inlinable
  public mutating func readSInt64() throws(WireDecodingError) -> Int64 {
    Wire.unZigZag(try readVarint())
  }

  /// `bool`: any non-zero varint is true.
  @inlinable
  public mutating func readBool() throws(WireDecodingError) -> Bool {
    try readVarint() != 0
  }

  /// An enum's number (open enums keep numbers they do not know).
  @inlinable
  public mutating func readEnum() throws(WireDecodingError) -> Int32 {
    try readInt32()
  }

  // MARK: - Fixed width

  /// `fixed32`.
  @inlinable
  public mutating func readFixed32() throws(WireDecodingError) -> UInt32 {
    guard remaining >= 4 else { throw .truncated }
    let value = base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: position, as: UInt32.self)
    position &+= 4
    return UInt32(littleEndian: value)
  }

  /// `fixed64`.
  @inlinable
  public mutating func readFixed64() throws(WireDecodingError) -> UInt64 {
    guard remaining >= 8 else { throw .truncated }
    let value = base.unsafelyUnwrapped.loadUnaligned(fromByteOffset: position, as: UInt64.self)
    position &+= 8
    return UInt64(littleEndian: value)
  }

  /// `sfixed32`.
  @inlinable
  public mutating func readSFixed32() throws(WireDecodingError) -> Int32 {
    Int32(bitPattern: try readFixed32())
  }

  /// `sfixed64`.
  @inlinable
  public mutating func readSFixed64() throws(WireDecodingError) -> Int64 {
    Int64(bitPattern: try readFixed64())
  }

  /// `float`.
  @inlinable
  public mutating func readFloat() throws(WireDecodingError) -> Float {
    Float(bitPattern: try readFixed32())
  }

  /// `double`.
  @inlinable
  public mutating func readDouble() throws(WireDecodingError) -> Double {
    Double(bitPattern: try readFixed64())
  }
}
