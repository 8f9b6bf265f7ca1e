/// Writes the protobuf wire format forward into memory whose size the size pass computed.
///
/// A writer never grows its memory: `Message.serializedBytes()` sizes the message first
/// (filling a `SizeCache`), allocates exactly that many bytes once, and hands the writer the
/// cache so nested lengths are read back instead of recomputed. Writing past the end is a
/// programmer error (the size and write passes disagree) and traps with the two positions.
///
/// Invariant: `0 <= position <= capacity`.
public struct WireWriter {
  @usableFromInline let base: UnsafeMutableRawPointer
  @usableFromInline let capacity: Int
  @usableFromInline var position: Int
  @usableFromInline var sizeCache: SizeCache

  /// How many bytes have been written so far.
  @inlinable
  public var offset: Int { position }

  /// Creates a writer over `capacity` bytes at `base`, which must stay valid while it is used.
  @inlinable
  public init(base: UnsafeMutableRawPointer, capacity: Int, sizeCache: SizeCache) {
    self.base = base
    self.capacity = capacity
    self.position = 0
    self.sizeCache = sizeCache
  }

  /// Traps unless `count` more bytes fit. Every store is preceded by one of these checks, so
  /// a writer can never write past its memory even if the size and write passes disagree.
  @inlinable @inline(__always)
  func ensureRoom(_ count: Int) {
    precondition(
      count <= capacity &- position,
      "WireWriter overflow: writing \(count) bytes at \(position) of \(capacity); size and write passes disagree"
    )
  }

  /// The size of the next nested message (or packed run), as recorded by the size pass.
  @inlinable
  public mutating func nextCachedSize() -> Int {
    sizeCache.next()
  }

  // MARK: - Varints

  /// Writes `value` as a varint (1 to 10 bytes).
  @inlinable @inline(__always)
  public mutating func writeVarint(_ value: UInt64) {
    // Most keys, lengths, enums and small counts fit one byte: keep that path tiny and inline.
    if value < 0x80 {
      ensureRoom(1)
      base.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: position, as: UInt8.self)
      position &+= 1
    } else {
      writeVarintMultiByte(value)
    }
  }

  @inlinable
  mutating func writeVarintMultiByte(_ value: UInt64) {
    ensureRoom(Wire.varintSize(value))
    var remaining = value
    var index = position
    while remaining >= 0x80 {
      base.storeBytes(
        of: UInt8(truncatingIfNeeded: remaining) | 0x80, toByteOffset: index, as: UInt8.self)
      remaining &>>= 7
      index &+= 1
    }
    base.storeBytes(of: UInt8(truncatingIfNeeded: remaining), toByteOffset: index, as: UInt8.self)
    position = index &+ 1
  }

  /// Writes a field key (or a length) that the generator computed as an integer.
  @inlinable @inline(__always)
  public mutating func writeTag(_ rawTag: UInt32) {
    writeVarint(UInt64(rawTag))
  }

  /// Writes a non-negative length prefix.
  @inlinable
  public mutating func writeLength(_ length: Int) {
    writeVarint(UInt64(truncatingIfNeeded: length))
  }

  /// `int32`: negative values are sign-extended to 10 bytes, as protobuf requires.
  @inlinable
  public mutating func writeInt32(_ value: Int32) {
    writeVarint(UInt64(bitPattern: Int64(value)))
  }

  /// `int64`.
  @inlinable
  public mutating func writeInt64(_ value: Int64) {
    writeVarint(UInt64(bitPattern: value))
  }

  /// `uint32`.
  @inlinable
  public mutating func writeUInt32(_ value: UInt32) {
    writeVarint(UInt64(value))
  }

  /// `uint64`.
  @inlinable
  public mutating func writeUInt64(_ value: UInt64) {
    writeVarint(value)
  }

  /// `sint32` (ZigZag).
  @inlinable
  public mutating func writeSInt32(_ value: Int32) {
    writeVarint(UInt64(Wire.zigZag(value)))
  }

  /// `sint64` (ZigZag).
  @inlinable
  public mutating func writeSInt64(_ value: Int64) {
    writeVarint(Wire.zigZag(value))
  }

  /// `bool`: one byte, 0 or 1.
  @inlinable
  public mutating func writeBool(_ value: Bool) {
    ensureRoom(1)
    base.storeBytes(of: value ? 1 : 0, toByteOffset: position, as: UInt8.self)
    position &+= 1
  }

  /// An enum's number, written like `int32`.
  @inlinable
  public mutating func writeEnum(_ rawValue: Int32) {
    writeInt32(rawValue)
  }

  // MARK: - Fixed width (little-endian)

  /// `fixed32`.
  @inlinable
  public mutating func writeFixed32(_ value: UInt32) {
    ensureRoom(4)
    base.storeBytes(of: value.littleEndian, toByteOffset: position, as: UInt32.self)
    position &+= 4
  }

  /// `fixed64`.
  @inlinable
  public mutating func writeFixed64(_ value: UInt64) {
    ensureRoom(8)
    base.storeBytes(of: value.littleEndian, toByteOffset: position, as: UInt64.self)
    position &+= 8
  }

  /// `sfixed32`.
  @inlinable
  public mutating func writeSFixed32(_ value: Int32) { writeFixed32(UInt32(bitPattern: value)) }

  /// `sfixed64`.
  @inlinable
  public mutating func writeSFixed64(_ value: Int64) { writeFixed64(UInt64(bitPattern: value)) }

  /// `float` (IEEE 754 binary32).
  @inlinable
  public mutating func writeFloat(_ value: Float) { writeFixed32(value.bitPattern) }

  /// `double` (IEEE 754 binary64).
  @inlinable
  public mutating func writeDouble(_ value: Double) { writeFixed64(value.bitPattern) }

  // MARK: - Length-delimited

  /// Writes raw bytes with no length prefix.
  @inlinable @inline(__always)
  public mutating func writeRawBytes(_ bytes: UnsafeRawBufferPointer) {
    let count = bytes.count
    guard count > 0, let source = bytes.baseAddress else { return }
    ensureRoom(count)
    ByteCopy.copy(count, from: source, to: base + position)
    position &+= count
  }

  /// A length prefix, then `bytes`.
  @inlinable @inline(__always)
  mutating func writeLengthPrefixed(_ bytes: UnsafeRawBufferPointer) {
    writeLength(bytes.count)
    writeRawBytes(bytes)
  }

  /// `string`: the length in UTF-8 bytes, then the bytes.
  @inlinable @inline(__always)
  public mutating func writeString(_ value: String) {
    // Native strings (all of them on Linux, and small ones inline) expose their UTF-8 without
    // a copy; `withUTF8` would need a mutable copy of the string (a retain and a release).
    let written: Bool? = value.utf8.withContiguousStorageIfAvailable { utf8 in
      writeLengthPrefixed(UnsafeRawBufferPointer(utf8))
      return true
    }
    if written == nil { writeForeignString(value) }
  }

  /// A string without contiguous UTF-8 (bridged from another representation).
  @usableFromInline
  mutating func writeForeignString(_ value: String) {
    var copy = value
    copy.withUTF8 { writeLengthPrefixed(UnsafeRawBufferPointer($0)) }
  }

  /// `bytes`: the length, then the bytes.
  @inlinable
  public mutating func writeBytes(_ value: [UInt8]) {
    value.withUnsafeBytes { writeLengthPrefixed($0) }
  }

  /// A nested message's body, preceded by its length taken from the size cache.
  @inlinable
  public mutating func writeMessage<M: Message>(_ message: M) {
    writeLength(nextCachedSize())
    message.encodeFields(to: &self)
  }

  /// Unknown fields, written back exactly as they were read.
  @inlinable
  public mutating func writeUnknownFields(_ fields: UnknownFields) {
    fields.bytes.withUnsafeBytes { writeRawBytes($0) }
  }
}
