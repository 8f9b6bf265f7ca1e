/// The protobuf wire types (https://protobuf.dev/programming-guides/encoding/#structure).
///
/// Groups (3 and 4) are proto2-only; a proto3 decoder still has to *skip* them inside unknown
/// fields, so they are named here, but no generated field ever uses them.
public enum WireType: UInt8, Sendable, Hashable {
  case varint = 0
  case fixed64 = 1
  case lengthDelimited = 2
  case startGroup = 3
  case endGroup = 4
  case fixed32 = 5
}

/// A decoded field key: the field number and the wire type of the value that follows.
public struct FieldTag: Sendable, Hashable {
  /// The field number, in `1...FieldTag.fieldNumberMax`.
  public let fieldNumber: Int
  /// How the value that follows is encoded.
  public let wireType: WireType

  /// The largest field number protobuf allows (2^29 - 1).
  public static let fieldNumberMax = 536_870_911

  @inlinable
  public init(fieldNumber: Int, wireType: WireType) {
    self.fieldNumber = fieldNumber
    self.wireType = wireType
  }

  /// The key as it is written on the wire: `fieldNumber << 3 | wireType`.
  @inlinable
  public var rawValue: UInt32 {
    UInt32(truncatingIfNeeded: fieldNumber) << 3 | UInt32(wireType.rawValue)
  }
}

/// Sizes and transforms of the wire format that both the encoder and generated code need.
public enum Wire {
  /// A varint is at most 10 bytes: 64 bits in 7-bit groups.
  @inlinable public static var varintBytesMax: Int { 10 }

  /// Messages up to this size are encoded in a stack buffer and copied once into their array;
  /// larger ones are encoded in place in the array.
  @inlinable public static var stackEncodingBytesMax: Int { 1024 }

  /// The number of bytes `value` takes as a varint.
  @inlinable
  public static func varintSize(_ value: UInt64) -> Int {
    // 1 byte per started group of 7 significant bits; 0 takes 1 byte.
    let significantBits = 64 - (value | 1).leadingZeroBitCount
    return (significantBits + 6) / 7
  }

  /// The number of bytes a non-negative length or count takes as a varint.
  @inlinable
  public static func varintSize(_ value: Int) -> Int {
    varintSize(UInt64(truncatingIfNeeded: value))
  }

  /// The number of bytes the key of `fieldNumber` takes (the wire type does not change it).
  @inlinable
  public static func tagSize(fieldNumber: Int) -> Int {
    varintSize(UInt64(truncatingIfNeeded: fieldNumber) << 3)
  }

  /// ZigZag-encodes a signed 32-bit value so that small magnitudes stay small (`sint32`).
  @inlinable
  public static func zigZag(_ value: Int32) -> UInt32 {
    UInt32(bitPattern: (value << 1) ^ (value >> 31))
  }

  /// ZigZag-encodes a signed 64-bit value (`sint64`).
  @inlinable
  public static func zigZag(_ value: Int64) -> UInt64 {
    UInt64(bitPattern: (value << 1) ^ (value >> 63))
  }

  /// Reverses `zigZag(_:)` for `sint32`.
  @inlinable
  public static func unZigZag(_ value: UInt32) -> Int32 {
    Int32(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
  }

  /// Reverses `zigZag(_:)` for `sint64`.
  @inlinable
  public static func unZigZag(_ value: UInt64) -> Int64 {
    Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
  }
}
