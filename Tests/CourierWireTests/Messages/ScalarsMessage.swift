import CourierWire

// Hand-written messages in the shape courier-gen emits (see
// Sources/CourierBenchAPI/Generated/bench/v1/bench.courier.swift), so the runtime is tested the
// way generated code drives it. Field numbers and raw tags are spelled out in each comment.

/// An open enum as generated: unknown numbers survive in `.unrecognized`.
enum Color: ProtoEnum {
  case unspecified
  case red
  case green
  case unrecognized(Int32)

  init() { self = .unspecified }

  init(rawValue: Int32) {
    switch rawValue {
    case 0: self = .unspecified
    case 1: self = .red
    case 2: self = .green
    default: self = .unrecognized(rawValue)
    }
  }

  var rawValue: Int32 {
    switch self {
    case .unspecified: return 0
    case .red: return 1
    case .green: return 2
    case .unrecognized(let value): return value
    }
  }
}

/// One field of every scalar type, numbered 1 to 16 in the order of `message Scalars`.
struct Scalars: Message {
  static let protoMessageName = "courier.test.Scalars"

  var int32Value: Int32 = 0  // 1, tag 8
  var int64Value: Int64 = 0  // 2, tag 16
  var uint32Value: UInt32 = 0  // 3, tag 24
  var uint64Value: UInt64 = 0  // 4, tag 32
  var sint32Value: Int32 = 0  // 5, tag 40
  var sint64Value: Int64 = 0  // 6, tag 48
  var boolValue = false  // 7, tag 56
  var fixed32Value: UInt32 = 0  // 8, tag 69
  var fixed64Value: UInt64 = 0  // 9, tag 73
  var sfixed32Value: Int32 = 0  // 10, tag 85
  var sfixed64Value: Int64 = 0  // 11, tag 89
  var floatValue: Float = 0  // 12, tag 101
  var doubleValue: Double = 0  // 13, tag 105
  var stringValue = ""  // 14, tag 114
  var bytesValue: [UInt8] = []  // 15, tag 122
  var colorValue = Color()  // 16, tag 128 (two bytes: 80 01)
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeFields(from reader: inout WireReader) throws(WireDecodingError) {
    while let tag = try reader.nextTag() {
      switch tag.rawValue {
      case 8: self.int32Value = try reader.readInt32()
      case 16: self.int64Value = try reader.readInt64()
      case 24: self.uint32Value = try reader.readUInt32()
      case 32: self.uint64Value = try reader.readUInt64()
      case 40: self.sint32Value = try reader.readSInt32()
      case 48: self.sint64Value = try reader.readSInt64()
      case 56: self.boolValue = try reader.readBool()
      case 69: self.fixed32Value = try reader.readFixed32()
      case 73: self.fixed64Value = try reader.readFixed64()
      case 85: self.sfixed32Value = try reader.readSFixed32()
      case 89: self.sfixed64Value = try reader.readSFixed64()
      case 101: self.floatValue = try reader.readFloat()
      case 105: self.doubleValue = try reader.readDouble()
      case 114: self.stringValue = try reader.readString(fieldNumber: 14)
      case 122: self.bytesValue = try reader.readBytes()
      case 128: self.colorValue = Color(rawValue: try reader.readEnum())
      default: try reader.skipField(tag, into: &self.unknownFields)
      }
    }
  }

  // proto3 leaves out fields at their default. Floats compare by bit pattern, so -0.0 (which
  // is not the default's bit pattern) is written, as protoc's encoders do.
  func computeSize(cache: inout SizeCache) -> Int {
    var size = 0
    if self.int32Value != 0 { size &+= 1 &+ Int32Codec.size(of: self.int32Value, cache: &cache) }
    if self.int64Value != 0 { size &+= 1 &+ Int64Codec.size(of: self.int64Value, cache: &cache) }
    if self.uint32Value != 0 { size &+= 1 &+ UInt32Codec.size(of: self.uint32Value, cache: &cache) }
    if self.uint64Value != 0 { size &+= 1 &+ UInt64Codec.size(of: self.uint64Value, cache: &cache) }
    if self.sint32Value != 0 { size &+= 1 &+ SInt32Codec.size(of: self.sint32Value, cache: &cache) }
    if self.sint64Value != 0 { size &+= 1 &+ SInt64Codec.size(of: self.sint64Value, cache: &cache) }
    if self.boolValue { size &+= 1 &+ BoolCodec.size(of: self.boolValue, cache: &cache) }
    if self.fixed32Value != 0 {
      size &+= 1 &+ Fixed32Codec.size(of: self.fixed32Value, cache: &cache)
    }
    if self.fixed64Value != 0 {
      size &+= 1 &+ Fixed64Codec.size(of: self.fixed64Value, cache: &cache)
    }
    if self.sfixed32Value != 0 {
      size &+= 1 &+ SFixed32Codec.size(of: self.sfixed32Value, cache: &cache)
    }
    if self.sfixed64Value != 0 {
      size &+= 1 &+ SFixed64Codec.size(of: self.sfixed64Value, cache: &cache)
    }
    if self.floatValue.bitPattern != 0 {
      size &+= 1 &+ FloatCodec.size(of: self.floatValue, cache: &cache)
    }
    if self.doubleValue.bitPattern != 0 {
      size &+= 1 &+ DoubleCodec.size(of: self.doubleValue, cache: &cache)
    }
    if !self.stringValue.isEmpty {
      size &+= 1 &+ StringCodec.size(of: self.stringValue, cache: &cache)
    }
    if !self.bytesValue.isEmpty {
      size &+= 1 &+ BytesCodec.size(of: self.bytesValue, cache: &cache)
    }
    if self.colorValue.rawValue != 0 {
      size &+= 2 &+ EnumCodec<Color>.size(of: self.colorValue, cache: &cache)
    }
    size &+= self.unknownFields.size
    return size
  }

  func encodeFields(to writer: inout WireWriter) {
    if self.int32Value != 0 {
      writer.writeTag(8)
      writer.writeInt32(self.int32Value)
    }
    if self.int64Value != 0 {
      writer.writeTag(16)
      writer.writeInt64(self.int64Value)
    }
    if self.uint32Value != 0 {
      writer.writeTag(24)
      writer.writeUInt32(self.uint32Value)
    }
    if self.uint64Value != 0 {
      writer.writeTag(32)
      writer.writeUInt64(self.uint64Value)
    }
    if self.sint32Value != 0 {
      writer.writeTag(40)
      writer.writeSInt32(self.sint32Value)
    }
    if self.sint64Value != 0 {
      writer.writeTag(48)
      writer.writeSInt64(self.sint64Value)
    }
    if self.boolValue {
      writer.writeTag(56)
      writer.writeBool(self.boolValue)
    }
    if self.fixed32Value != 0 {
      writer.writeTag(69)
      writer.writeFixed32(self.fixed32Value)
    }
    if self.fixed64Value != 0 {
      writer.writeTag(73)
      writer.writeFixed64(self.fixed64Value)
    }
    if self.sfixed32Value != 0 {
      writer.writeTag(85)
      writer.writeSFixed32(self.sfixed32Value)
    }
    if self.sfixed64Value != 0 {
      writer.writeTag(89)
      writer.writeSFixed64(self.sfixed64Value)
    }
    if self.floatValue.bitPattern != 0 {
      writer.writeTag(101)
      writer.writeFloat(self.floatValue)
    }
    if self.doubleValue.bitPattern != 0 {
      writer.writeTag(105)
      writer.writeDouble(self.doubleValue)
    }
    if !self.stringValue.isEmpty {
      writer.writeTag(114)
      writer.writeString(self.stringValue)
    }
    if !self.bytesValue.isEmpty {
      writer.writeTag(122)
      writer.writeBytes(self.bytesValue)
    }
    if self.colorValue.rawValue != 0 {
      writer.writeTag(128)
      writer.writeEnum(self.colorValue.rawValue)
    }
    writer.writeUnknownFields(self.unknownFields)
  }
}

/// A small message to nest: `a` = 1, `b` = 2, `name` = 3.
struct Nested: Message {
  static let protoMessageName = "courier.test.Nested"

  var a: Int32 = 0  // 1, tag 8
  var b: Int32 = 0  // 2, tag 16
  var name = ""  // 3, tag 26
  var unknownFields = UnknownFields()

  init() {}

  init(a: Int32 = 0, b: Int32 = 0, name: String = "") {
    self.a = a
    self.b = b
    self.name = name
  }

  mutating func decodeFields(from reader: inout WireReader) throws(WireDecodingError) {
    while let tag = try reader.nextTag() {
      switch tag.rawValue {
      case 8: self.a = try reader.readInt32()
      case 16: self.b = try reader.readInt32()
      case 26: self.name = try reader.readString(fieldNumber: 3)
      default: try reader.skipField(tag, into: &self.unknownFields)
      }
    }
  }

  func computeSize(cache: inout SizeCache) -> Int {
    var size = 0
    if self.a != 0 { size &+= 1 &+ Int32Codec.size(of: self.a, cache: &cache) }
    if self.b != 0 { size &+= 1 &+ Int32Codec.size(of: self.b, cache: &cache) }
    if !self.name.isEmpty { size &+= 1 &+ StringCodec.size(of: self.name, cache: &cache) }
    size &+= self.unknownFields.size
    return size
  }

  func encodeFields(to writer: inout WireWriter) {
    if self.a != 0 {
      writer.writeTag(8)
      writer.writeInt32(self.a)
    }
    if self.b != 0 {
      writer.writeTag(16)
      writer.writeInt32(self.b)
    }
    if !self.name.isEmpty {
      writer.writeTag(26)
      writer.writeString(self.name)
    }
    writer.writeUnknownFields(self.unknownFields)
  }
}
