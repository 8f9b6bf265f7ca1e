// Length-delimited values, nested messages, repeated fields and map entries.

extension WireReader {
  /// Reads a length prefix and checks that many bytes remain in the current message.
  ///
  /// - Throws: `.lengthPastEnd` when the declared length is larger than what remains (the
  ///   comparison happens on the 64-bit value, before any arithmetic, so no length overflows).
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
    let length = try readLength()
    let start = position
    position &+= length
    // Up to 8 ASCII bytes (most names, codes and map keys): one word load and one word store
    // build the string. Only the first `length` bytes of the word are kept; the load may
    // reach past the field but never past the input.
    if length <= 8, length > 0, 8 <= inputCount &- start, let base {
      let word =
        base.loadUnaligned(fromByteOffset: start, as: UInt64.self).littleEndian
        & (UInt64.max &>> UInt64(64 &- 8 &* length))
      if word & 0x8080_8080_8080_8080 == 0 {
        return UTF8Validation.string(asciiWord: word, count: length)
      }
    }
    let payload = UnsafeRawBufferPointer(start: base.map { $0 + start }, count: length)
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
  ///
  /// - Throws: `.nestingTooDeep` past `DecodingOptions.nestingDepthMax`, or any error of the
  ///   nested message's fields.
  @inlinable
  public mutating func readMessage<M: Message>(into message: inout M) throws(WireDecodingError) {
    let length = try readLength()
    guard depth < depthMax else { throw .nestingTooDeep(limit: depthMax) }
    let outerEnd = end
    depth &+= 1
    end = position &+ length
    try message.decodeFields(from: &self)
    // decodeFields stops only at `end`; restore the enclosing message's limit.
    end = outerEnd
    depth &-= 1
  }

  /// Decodes a nested message into a new value.
  @inlinable
  public mutating func readMessage<M: Message>(_ type: M.Type = M.self) throws(WireDecodingError)
    -> M
  {
    var message = M()
    try readMessage(into: &message)
    return message
  }

  /// Decodes an optional nested message field: merges into the value already there, or into
  /// a new one. Moving the value out first keeps its storage uniquely referenced, so a message
  /// field that holds a class or arrays is merged in place rather than copied.
  @inlinable
  public mutating func readMessage<M: Message>(into message: inout M?) throws(WireDecodingError) {
    var value = message.take() ?? M()
    try readMessage(into: &value)
    message = value
  }

  /// Reads a packed run of `Codec` values (or one unpacked value, when the key says so) and
  /// appends to `values`.
  ///
  /// - Throws: `.invalidPackedLength` for a fixed-width run whose length is not a multiple of
  ///   the element size; any error of the values.
  @inlinable
  public mutating func readRepeated<Codec: PackableCodec>(
    _ codec: Codec.Type, tag: FieldTag, into values: inout [Codec.Value]
  ) throws(WireDecodingError) {
    guard tag.wireType == .lengthDelimited else {
      if values.isEmpty { reserveForRun(of: tag, in: &values) }
      values.append(try Codec.read(from: &self, fieldNumber: tag.fieldNumber))
      return
    }
    let length = try readLength()
    if let width = Codec.fixedWidth {
      guard length % width == 0 else { throw .invalidPackedLength(fieldNumber: tag.fieldNumber) }
      Self.reserve(length / width, more: &values)
    } else {
      // Every varint ends in exactly one byte below 0x80: counting them sizes the array once.
      Self.reserve(countVarintEnds(in: length), more: &values)
    }
    let outerEnd = end
    end = position &+ length
    while position < end {
      values.append(try Codec.read(from: &self, fieldNumber: tag.fieldNumber))
    }
    end = outerEnd
  }

  /// Reads one occurrence of a repeated `string`, `bytes` or message field and appends it.
  ///
  /// The first occurrence counts the run of identical keys that follows it (encoders write a
  /// repeated field's values together) and reserves room for all of them at once, instead of
  /// growing the array element by element.
  @inlinable
  public mutating func readRepeated<Codec: FieldCodec>(
    _ codec: Codec.Type, tag: FieldTag, into values: inout [Codec.Value]
  ) throws(WireDecodingError) {
    if values.isEmpty { reserveForRun(of: tag, in: &values) }
    values.append(try Codec.read(from: &self, fieldNumber: tag.fieldNumber))
  }

  /// Makes room for `count` more elements. Growth stays geometric: reserving exactly
  /// `values.count + count` for every packed run would copy the array once per run, and many
  /// small runs of one field would take quadratic time.
  @inlinable
  static func reserve<Element>(_ count: Int, more values: inout [Element]) {
    let needed = values.count &+ count
    guard needed > values.capacity else { return }
    values.reserveCapacity(Swift.max(needed, values.capacity &* 2))
  }

  @inlinable
  mutating func reserveForRun<Element>(of tag: FieldTag, in values: inout [Element]) {
    let run = countRun(wireType: tag.wireType)
    if run > 1 { values.reserveCapacity(run) }
  }

  // MARK: - Unknown fields

  /// Skips the value of the field whose key `nextTag()` just returned and appends the whole
  /// field (key and value) to `unknownFields`.
  ///
  /// - Throws: any error of the value; for a group, `.invalidWireType(4)` on a mismatched end.
  @inlinable
  public mutating func skipField(_ tag: FieldTag, into unknownFields: inout UnknownFields)
    throws(WireDecodingError)
  {
    let start = lastTagStart
    try skipValue(tag)
    let field = UnsafeRawBufferPointer(
      start: base.unsafelyUnwrapped + start, count: position &- start)
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
        guard number == UInt64(fieldNumber) else {
          throw .invalidWireType(WireType.endGroup.rawValue)
        }
        return
      }
      try skipValue(FieldTag(fieldNumber: Int(number), wireType: wireType))
    }
  }
}
