/// Reads the protobuf wire format from borrowed memory, checking every byte it trusts.
///
/// The reader never traps on malformed input: each read checks the remaining length and throws
/// a `WireDecodingError`. Nested messages narrow `end` to their declared length and restore it
/// afterwards, and each level counts against `DecodingOptions.nestingDepthMax`.
///
/// Invariant: `0 <= position <= end <= bytes.count`.
public struct WireReader {
  @usableFromInline let base: UnsafeRawPointer?
  @usableFromInline var position: Int
  /// Where the message being decoded ends (exclusive).
  @usableFromInline var end: Int
  @usableFromInline var depth: Int
  @usableFromInline let depthMax: Int
  @usableFromInline var lastTagStart: Int

  /// Creates a reader over `bytes`, which must stay valid while the reader is used.
  /// How many bytes have been consumed or produced so far.
  @inlinable
  public var offset: Int { position }

  @inlinable
  public init(bytes: UnsafeRawBufferPointer, options: DecodingOptions = DecodingOptions()) {
    self.base = bytes.baseAddress
    self.position = 0
    self.end = bytes.count
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
      key = try readVarintSlow()
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
  @inlinable
  public mutating func readVarint() throws(WireDecodingError) -> UInt64 {
    if position < end {
      let first = byte(at: position)
      if first < 0x80 {
        position &+= 1
        return UInt64(first)
      }
    }
    return try readVarintSlow()
  }

  @usableFromInline
  mutating func readVarintSlow() throws(WireDecodingError) -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    var index = position
    while true {
      guard index < end else { throw .truncated }
      let byte = self.byte(at: index)
      index &+= 1
      if shift == 63 && byte > 1 { throw .overlongVarint }
      result |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { break }
      shift &+= 7
      if shift > 63 { throw .overlongVarint }
    }
    position = index
    return result
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

  // MARK: - Length-delimited

  /// Reads a length prefix and checks that many bytes remain in the current message.
  @inlinable
  public mutating func readLength() throws(WireDecodingError) -> Int {
    let length = try readVarint()
    guard length <= UInt64(remaining) else {
      throw .lengthPastEnd(declared: length, available: remaining)
    }
    return Int(length)
  }

  /// Reads a length-delimited payload and returns the memory it occupies (valid as long as the
  /// input is).
  @inlinable
  public mutating func readLengthDelimited() throws(WireDecodingError) -> UnsafeRawBufferPointer {
    let length = try readLength()
    let start = position
    position &+= length
    guard length > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: base.unsafelyUnwrapped + start, count: length)
  }

  /// `string`: validated as UTF-8.
  ///
  /// - Throws: `.invalidUTF8(fieldNumber:)` naming `fieldNumber`.
  @inlinable
  public mutating func readString(fieldNumber: Int) throws(WireDecodingError) -> String {
    let payload = try readLengthDelimited()
    guard let string = UTF8Validation.string(from: payload) else {
      throw .invalidUTF8(fieldNumber: fieldNumber)
    }
    return string
  }

  /// `bytes`.
  @inlinable
  public mutating func readBytes() throws(WireDecodingError) -> [UInt8] {
    let payload = try readLengthDelimited()
    return payload.isEmpty ? [] : [UInt8](payload)
  }

  /// Decodes a nested message and merges it into `message` (protobuf merges repeated
  /// occurrences of a singular message field).
  @inlinable
  public mutating func readMessage<M: Message>(into message: inout M) throws(WireDecodingError) {
    let length = try readLength()
    let outerEnd = end
    guard depth < depthMax else { throw .nestingTooDeep(limit: depthMax) }
    depth &+= 1
    end = position &+ length
    try message.decodeFields(from: &self)
    // decodeFields stops only at `end`; restore the enclosing message's limit.
    end = outerEnd
    depth &-= 1
  }

  /// Decodes a nested message into a new value.
  @inlinable
  public mutating func readMessage<M: Message>(_ type: M.Type = M.self) throws(WireDecodingError) -> M {
    var message = M()
    try readMessage(into: &message)
    return message
  }

  /// Reads a packed run of `Codec` values (or one unpacked value, when the key says so) and
  /// appends to `values`.
  @inlinable
  public mutating func readRepeated<Codec: PackableCodec>(
    _ codec: Codec.Type, tag: FieldTag, into values: inout [Codec.Value]
  ) throws(WireDecodingError) {
    if tag.wireType == .lengthDelimited {
      let length = try readLength()
      if let width = Codec.fixedWidth {
        guard length % width == 0 else { throw .invalidPackedLength(fieldNumber: tag.fieldNumber) }
        values.reserveCapacity(values.count + length / width)
      }
      let outerEnd = end
      end = position &+ length
      while position < end {
        values.append(try Codec.read(from: &self, fieldNumber: tag.fieldNumber))
      }
      end = outerEnd
    } else {
      values.append(try Codec.read(from: &self, fieldNumber: tag.fieldNumber))
    }
  }

  /// Reads one map entry (key field 1, value field 2; either may be missing and then takes its
  /// default) and stores it in `map`, replacing an earlier value for the same key.
  @inlinable
  public mutating func readMapEntry<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, into map: inout [Key.Value: Value.Value]
  ) throws(WireDecodingError) where Key.Value: Hashable {
    let length = try readLength()
    let outerEnd = end
    guard depth < depthMax else { throw .nestingTooDeep(limit: depthMax) }
    depth &+= 1
    end = position &+ length
    var key = Key.defaultValue
    var value = Value.defaultValue
    while let tag = try nextTag() {
      switch (tag.fieldNumber, tag.wireType) {
      case (1, Key.wireType): key = try Key.read(from: &self, fieldNumber: 1)
      case (2, Value.wireType): value = try Value.read(from: &self, fieldNumber: 2)
      default: try skipValue(tag)
      }
    }
    end = outerEnd
    depth &-= 1
    map[key] = value
  }

  // MARK: - Unknown fields

  /// Skips the value of the field whose key `nextTag()` just returned and appends the whole
  /// field (key and value) to `unknownFields`.
  @inlinable
  public mutating func skipField(_ tag: FieldTag, into unknownFields: inout UnknownFields) throws(WireDecodingError) {
    let start = lastTagStart
    try skipValue(tag)
    let field = UnsafeRawBufferPointer(start: base.unsafelyUnwrapped + start, count: position &- start)
    unknownFields.bytes.append(contentsOf: field)
  }

  /// Skips the value of a field without keeping it.
  @usableFromInline
  mutating func skipValue(_ tag: FieldTag) throws(WireDecodingError) {
    switch tag.wireType {
    case .varint: _ = try readVarint()
    case .fixed64: _ = try readFixed64()
    case .fixed32: _ = try readFixed32()
    case .lengthDelimited: _ = try readLengthDelimited()
    case .startGroup: try skipGroup(fieldNumber: tag.fieldNumber)
    case .endGroup: throw .invalidWireType(WireType.endGroup.rawValue)
    }
  }

  /// Skips a proto2 group (found among unknown fields) up to its matching end-group key.
  @usableFromInline
  mutating func skipGroup(fieldNumber: Int) throws(WireDecodingError) {
    guard depth < depthMax else { throw .nestingTooDeep(limit: depthMax) }
    depth &+= 1
    defer { depth &-= 1 }
    while true {
      guard position < end else { throw .truncated }
      let key = try readVarint()
      let number = key >> 3
      guard number >= 1, number <= UInt64(FieldTag.fieldNumberMax) else {
        throw .invalidFieldNumber(number)
      }
      guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
        throw .invalidWireType(UInt8(key & 7))
      }
      if wireType == .endGroup {
        guard number == UInt64(fieldNumber) else { throw .invalidWireType(WireType.endGroup.rawValue) }
        return
      }
      try skipValue(FieldTag(fieldNumber: Int(number), wireType: wireType))
    }
  }
}
