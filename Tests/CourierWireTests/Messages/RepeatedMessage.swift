import CourierWire

/// The examples of https://protobuf.dev/programming-guides/encoding/ in one message:
/// `int32 a = 1; string b = 2; Nested c = 3; repeated int32 d = 4;` (packed, as proto3 is).
struct SpecExample: Message {
  static let protoMessageName = "courier.test.SpecExample"

  var a: Int32 = 0  // 1, tag 8
  var b = ""  // 2, tag 18
  var c: Nested {  // 3, tag 26
    get { self._c ?? Nested() }
    set { self._c = newValue }
  }
  var hasC: Bool { self._c != nil }
  private var _c: Nested? = nil
  var d: [Int32] = []  // 4, packed tag 34, unpacked tag 32
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeFields(from reader: inout WireReader) throws(WireDecodingError) {
    while let tag = try reader.nextTag() {
      switch tag.rawValue {
      case 8: self.a = try reader.readInt32()
      case 18: self.b = try reader.readString(fieldNumber: 2)
      case 26: try reader.readMessage(into: &self._c)
      case 34, 32: try reader.readRepeated(Int32Codec.self, tag: tag, into: &self.d)
      default: try reader.skipField(tag, into: &self.unknownFields)
      }
    }
  }

  func computeSize(cache: inout SizeCache) -> Int {
    var size = 0
    if self.a != 0 { size &+= 1 &+ Int32Codec.size(of: self.a, cache: &cache) }
    if !self.b.isEmpty { size &+= 1 &+ StringCodec.size(of: self.b, cache: &cache) }
    if let value = self._c { size &+= 1 &+ MessageCodec<Nested>.size(of: value, cache: &cache) }
    size &+= FieldSize.packed(Int32Codec.self, self.d, tagSize: 1, cache: &cache)
    size &+= self.unknownFields.size
    return size
  }

  func encodeFields(to writer: inout WireWriter) {
    if self.a != 0 {
      writer.writeTag(8)
      writer.writeInt32(self.a)
    }
    if !self.b.isEmpty {
      writer.writeTag(18)
      writer.writeString(self.b)
    }
    if let value = self._c {
      writer.writeTag(26)
      writer.writeMessage(value)
    }
    writer.writePacked(Int32Codec.self, tag: 34, self.d)
    writer.writeUnknownFields(self.unknownFields)
  }
}

/// Repeated fields of every kind: packed varints, zigzag, fixed widths, bools and enums;
/// strings, bytes and messages (always one key per value); and an int32 field declared
/// `[packed = false]`, which is written one key per value.
struct Repeated: Message {
  static let protoMessageName = "courier.test.Repeated"

  var int32s: [Int32] = []  // 1, packed tag 10, unpacked tag 8
  var sint64s: [Int64] = []  // 2, packed tag 18, unpacked tag 16
  var fixed32s: [UInt32] = []  // 3, packed tag 26, unpacked tag 29
  var doubles: [Double] = []  // 4, packed tag 34, unpacked tag 33
  var strings: [String] = []  // 5, tag 42
  var blobs: [[UInt8]] = []  // 6, tag 50
  var children: [Nested] = []  // 7, tag 58
  var bools: [Bool] = []  // 8, packed tag 66, unpacked tag 64
  var colors: [Color] = []  // 9, packed tag 74, unpacked tag 72
  var unpackedInt32s: [Int32] = []  // 10, [packed = false]: tag 80 (packed 82 still accepted)
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeFields(from reader: inout WireReader) throws(WireDecodingError) {
    while let tag = try reader.nextTag() {
      switch tag.rawValue {
      case 10, 8: try reader.readRepeated(Int32Codec.self, tag: tag, into: &self.int32s)
      case 18, 16: try reader.readRepeated(SInt64Codec.self, tag: tag, into: &self.sint64s)
      case 26, 29: try reader.readRepeated(Fixed32Codec.self, tag: tag, into: &self.fixed32s)
      case 34, 33: try reader.readRepeated(DoubleCodec.self, tag: tag, into: &self.doubles)
      case 42: try reader.readRepeated(StringCodec.self, tag: tag, into: &self.strings)
      case 50: try reader.readRepeated(BytesCodec.self, tag: tag, into: &self.blobs)
      case 58: try reader.readRepeated(MessageCodec<Nested>.self, tag: tag, into: &self.children)
      case 66, 64: try reader.readRepeated(BoolCodec.self, tag: tag, into: &self.bools)
      case 74, 72: try reader.readRepeated(EnumCodec<Color>.self, tag: tag, into: &self.colors)
      case 80, 82: try reader.readRepeated(Int32Codec.self, tag: tag, into: &self.unpackedInt32s)
      default: try reader.skipField(tag, into: &self.unknownFields)
      }
    }
  }

  func computeSize(cache: inout SizeCache) -> Int {
    var size = 0
    size &+= FieldSize.packed(Int32Codec.self, self.int32s, tagSize: 1, cache: &cache)
    size &+= FieldSize.packed(SInt64Codec.self, self.sint64s, tagSize: 1, cache: &cache)
    size &+= FieldSize.packed(Fixed32Codec.self, self.fixed32s, tagSize: 1, cache: &cache)
    size &+= FieldSize.packed(DoubleCodec.self, self.doubles, tagSize: 1, cache: &cache)
    size &+= FieldSize.unpacked(StringCodec.self, self.strings, tagSize: 1, cache: &cache)
    size &+= FieldSize.unpacked(BytesCodec.self, self.blobs, tagSize: 1, cache: &cache)
    size &+= FieldSize.unpacked(MessageCodec<Nested>.self, self.children, tagSize: 1, cache: &cache)
    size &+= FieldSize.packed(BoolCodec.self, self.bools, tagSize: 1, cache: &cache)
    size &+= FieldSize.packed(EnumCodec<Color>.self, self.colors, tagSize: 1, cache: &cache)
    size &+= FieldSize.unpacked(Int32Codec.self, self.unpackedInt32s, tagSize: 1, cache: &cache)
    size &+= self.unknownFields.size
    return size
  }

  func encodeFields(to writer: inout WireWriter) {
    writer.writePacked(Int32Codec.self, tag: 10, self.int32s)
    writer.writePacked(SInt64Codec.self, tag: 18, self.sint64s)
    writer.writePacked(Fixed32Codec.self, tag: 26, self.fixed32s)
    writer.writePacked(DoubleCodec.self, tag: 34, self.doubles)
    writer.writeUnpacked(StringCodec.self, tag: 42, self.strings)
    writer.writeUnpacked(BytesCodec.self, tag: 50, self.blobs)
    writer.writeUnpacked(MessageCodec<Nested>.self, tag: 58, self.children)
    writer.writePacked(BoolCodec.self, tag: 66, self.bools)
    writer.writePacked(EnumCodec<Color>.self, tag: 74, self.colors)
    writer.writeUnpacked(Int32Codec.self, tag: 80, self.unpackedInt32s)
    writer.writeUnknownFields(self.unknownFields)
  }
}
