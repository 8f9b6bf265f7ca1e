/// How one protobuf field type is sized, written and read, for the code that handles fields
/// generically: map entries and repeated fields. Singular fields call `WireWriter` and
/// `WireReader` directly from generated code.
public protocol FieldCodec {
  /// The Swift type that holds the value.
  associatedtype Value: Sendable & Hashable
  /// The wire type of the value.
  static var wireType: WireType { get }
  /// The value proto3 does not write.
  static var defaultValue: Value { get }
  /// The encoded size of `value` (with its length prefix, if length-delimited). Message values
  /// record their size in `cache`.
  static func size(of value: Value, cache: inout SizeCache) -> Int
  /// Writes `value` (with its length prefix, if length-delimited).
  static func write(_ value: Value, to writer: inout WireWriter)
  /// Reads one value.
  static func read(from reader: inout WireReader, fieldNumber: Int) throws(WireDecodingError)
    -> Value
  /// Whether sizing a value records entries in the size cache (only messages do). A
  /// requirement, not just an extension member, so generic code sees `MessageCodec`'s answer.
  static var usesSizeCache: Bool { get }
}

/// A scalar that `repeated` fields write packed.
public protocol PackableCodec: FieldCodec {
  /// The size of every value, for fixed-width types; `nil` for varints.
  static var fixedWidth: Int? { get }
}

extension PackableCodec {
  @inlinable public static var fixedWidth: Int? { nil }
}

/// `int32`.
public enum Int32Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Int32 { 0 }
  @inlinable public static func size(of value: Int32, cache: inout SizeCache) -> Int {
    Wire.varintSize(UInt64(bitPattern: Int64(value)))
  }
  @inlinable public static func write(_ value: Int32, to writer: inout WireWriter) {
    writer.writeInt32(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Int32
  {
    try reader.readInt32()
  }
}

/// `int64`.
public enum Int64Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Int64 { 0 }
  @inlinable public static func size(of value: Int64, cache: inout SizeCache) -> Int {
    Wire.varintSize(UInt64(bitPattern: value))
  }
  @inlinable public static func write(_ value: Int64, to writer: inout WireWriter) {
    writer.writeInt64(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Int64
  {
    try reader.readInt64()
  }
}

/// `uint32`.
public enum UInt32Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: UInt32 { 0 }
  @inlinable public static func size(of value: UInt32, cache: inout SizeCache) -> Int {
    Wire.varintSize(UInt64(value))
  }
  @inlinable public static func write(_ value: UInt32, to writer: inout WireWriter) {
    writer.writeUInt32(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> UInt32
  {
    try reader.readUInt32()
  }
}

/// `uint64`.
public enum UInt64Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: UInt64 { 0 }
  @inlinable public static func size(of value: UInt64, cache: inout SizeCache) -> Int {
    Wire.varintSize(value)
  }
  @inlinable public static func write(_ value: UInt64, to writer: inout WireWriter) {
    writer.writeUInt64(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> UInt64
  {
    try reader.readUInt64()
  }
}

/// `sint32` (ZigZag).
public enum SInt32Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Int32 { 0 }
  @inlinable public static func size(of value: Int32, cache: inout SizeCache) -> Int {
    Wire.varintSize(UInt64(Wire.zigZag(value)))
  }
  @inlinable public static func write(_ value: Int32, to writer: inout WireWriter) {
    writer.writeSInt32(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Int32
  {
    try reader.readSInt32()
  }
}

/// `sint64` (ZigZag).
public enum SInt64Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Int64 { 0 }
  @inlinable public static func size(of value: Int64, cache: inout SizeCache) -> Int {
    Wire.varintSize(Wire.zigZag(value))
  }
  @inlinable public static func write(_ value: Int64, to writer: inout WireWriter) {
    writer.writeSInt64(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Int64
  {
    try reader.readSInt64()
  }
}

/// `bool`.
public enum BoolCodec: PackableCodec {
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: Bool { false }
  @inlinable public static func size(of value: Bool, cache: inout SizeCache) -> Int { 1 }
  @inlinable public static func write(_ value: Bool, to writer: inout WireWriter) {
    writer.writeBool(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Bool
  {
    try reader.readBool()
  }
}

/// `fixed32`.
public enum Fixed32Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .fixed32 }
  @inlinable public static var fixedWidth: Int? { 4 }
  @inlinable public static var defaultValue: UInt32 { 0 }
  @inlinable public static func size(of value: UInt32, cache: inout SizeCache) -> Int { 4 }
  @inlinable public static func write(_ value: UInt32, to writer: inout WireWriter) {
    writer.writeFixed32(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> UInt32
  {
    try reader.readFixed32()
  }
}

/// `fixed64`.
public enum Fixed64Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .fixed64 }
  @inlinable public static var fixedWidth: Int? { 8 }
  @inlinable public static var defaultValue: UInt64 { 0 }
  @inlinable public static func size(of value: UInt64, cache: inout SizeCache) -> Int { 8 }
  @inlinable public static func write(_ value: UInt64, to writer: inout WireWriter) {
    writer.writeFixed64(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> UInt64
  {
    try reader.readFixed64()
  }
}

/// `sfixed32`.
public enum SFixed32Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .fixed32 }
  @inlinable public static var fixedWidth: Int? { 4 }
  @inlinable public static var defaultValue: Int32 { 0 }
  @inlinable public static func size(of value: Int32, cache: inout SizeCache) -> Int { 4 }
  @inlinable public static func write(_ value: Int32, to writer: inout WireWriter) {
    writer.writeSFixed32(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Int32
  {
    try reader.readSFixed32()
  }
}

/// `sfixed64`.
public enum SFixed64Codec: PackableCodec {
  @inlinable public static var wireType: WireType { .fixed64 }
  @inlinable public static var fixedWidth: Int? { 8 }
  @inlinable public static var defaultValue: Int64 { 0 }
  @inlinable public static func size(of value: Int64, cache: inout SizeCache) -> Int { 8 }
  @inlinable public static func write(_ value: Int64, to writer: inout WireWriter) {
    writer.writeSFixed64(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Int64
  {
    try reader.readSFixed64()
  }
}

/// `float`.
public enum FloatCodec: PackableCodec {
  @inlinable public static var wireType: WireType { .fixed32 }
  @inlinable public static var fixedWidth: Int? { 4 }
  @inlinable public static var defaultValue: Float { 0 }
  @inlinable public static func size(of value: Float, cache: inout SizeCache) -> Int { 4 }
  @inlinable public static func write(_ value: Float, to writer: inout WireWriter) {
    writer.writeFloat(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Float
  {
    try reader.readFloat()
  }
}

/// `double`.
public enum DoubleCodec: PackableCodec {
  @inlinable public static var wireType: WireType { .fixed64 }
  @inlinable public static var fixedWidth: Int? { 8 }
  @inlinable public static var defaultValue: Double { 0 }
  @inlinable public static func size(of value: Double, cache: inout SizeCache) -> Int { 8 }
  @inlinable public static func write(_ value: Double, to writer: inout WireWriter) {
    writer.writeDouble(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> Double
  {
    try reader.readDouble()
  }
}

/// An open enum, written as its `int32` number.
public enum EnumCodec<E: ProtoEnum>: PackableCodec {
  @inlinable public static var wireType: WireType { .varint }
  @inlinable public static var defaultValue: E { E() }
  @inlinable public static func size(of value: E, cache: inout SizeCache) -> Int {
    Wire.varintSize(UInt64(bitPattern: Int64(value.rawValue)))
  }
  @inlinable public static func write(_ value: E, to writer: inout WireWriter) {
    writer.writeEnum(value.rawValue)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> E
  {
    E(rawValue: try reader.readEnum())
  }
}

/// `string`, validated as UTF-8 when read.
public enum StringCodec: FieldCodec {
  @inlinable public static var wireType: WireType { .lengthDelimited }
  @inlinable public static var defaultValue: String { "" }
  @inlinable @inline(__always) public static func size(of value: String, cache: inout SizeCache)
    -> Int
  {
    let count = value.utf8.count
    return Wire.varintSize(count) + count
  }
  @inlinable public static func write(_ value: String, to writer: inout WireWriter) {
    writer.writeString(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> String
  {
    try reader.readString(fieldNumber: fieldNumber)
  }
}

/// `bytes`.
public enum BytesCodec: FieldCodec {
  @inlinable public static var wireType: WireType { .lengthDelimited }
  @inlinable public static var defaultValue: [UInt8] { [] }
  @inlinable public static func size(of value: [UInt8], cache: inout SizeCache) -> Int {
    Wire.varintSize(value.count) + value.count
  }
  @inlinable public static func write(_ value: [UInt8], to writer: inout WireWriter) {
    writer.writeBytes(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> [UInt8]
  {
    try reader.readBytes()
  }
}

/// A nested message; its size goes through the size cache.
public enum MessageCodec<M: Message>: FieldCodec {
  @inlinable public static var wireType: WireType { .lengthDelimited }
  @inlinable public static var defaultValue: M { M() }
  @inlinable public static func size(of value: M, cache: inout SizeCache) -> Int {
    let slot = cache.reserve()
    let size = value.computeSize(cache: &cache)
    cache.fill(slot, with: size)
    return Wire.varintSize(size) + size
  }
  @inlinable public static func write(_ value: M, to writer: inout WireWriter) {
    writer.writeMessage(value)
  }
  @inlinable public static func read(from reader: inout WireReader, fieldNumber: Int)
    throws(WireDecodingError) -> M
  {
    try reader.readMessage(M.self)
  }
}
