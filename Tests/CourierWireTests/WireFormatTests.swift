import CourierWire
import Testing

/// The size and ZigZag helpers against their definitions.
@Suite struct WireFormatTests {
  @Test func varintSizeMatchesTheBytesWritten() {
    var values: [UInt64] = [
      0, 1, 127, 128, 16_383, 16_384, UInt64(UInt32.max), UInt64.max, 1 << 63,
    ]
    for bit in 0..<64 {
      values.append(UInt64(1) << bit)
      values.append((UInt64(1) << bit) &- 1)
    }
    for value in values {
      #expect(Wire.varintSize(value) == varint(value).count, "varintSize(\(value))")
    }
  }

  @Test func varintSizeOfLimits() {
    #expect(Wire.varintSize(UInt64(0)) == 1)
    #expect(Wire.varintSize(UInt64(127)) == 1)
    #expect(Wire.varintSize(UInt64(128)) == 2)
    #expect(Wire.varintSize(UInt64.max) == 10)
    #expect(Wire.varintSize(0) == 1)
    #expect(Wire.varintSize(Int.max) == 9)
    // A negative Int (never a valid length) is sized as its 64-bit pattern.
    #expect(Wire.varintSize(-1) == 10)
  }

  @Test func tagSizes() {
    #expect(Wire.tagSize(fieldNumber: 1) == 1)
    #expect(Wire.tagSize(fieldNumber: 15) == 1)
    #expect(Wire.tagSize(fieldNumber: 16) == 2)
    #expect(Wire.tagSize(fieldNumber: 2047) == 2)
    #expect(Wire.tagSize(fieldNumber: 2048) == 3)
    #expect(Wire.tagSize(fieldNumber: FieldTag.fieldNumberMax) == 5)
  }

  @Test func fieldTagRawValues() {
    #expect(FieldTag(fieldNumber: 1, wireType: .varint).rawValue == 8)
    #expect(FieldTag(fieldNumber: 2, wireType: .lengthDelimited).rawValue == 18)
    #expect(FieldTag(fieldNumber: 16, wireType: .varint).rawValue == 128)
    #expect(
      FieldTag(fieldNumber: FieldTag.fieldNumberMax, wireType: .fixed32).rawValue == 0xFFFF_FFFD)
  }

  /// ZigZag by its definition: 0, -1, 1, -2, 2, ... map to 0, 1, 2, 3, 4, ...
  static func zigZagDefinition(_ value: Int64) -> UInt64 {
    value >= 0 ? UInt64(value) * 2 : UInt64(-(value + 1)) * 2 + 1
  }

  @Test(arguments: [Int32.min, Int32.min + 1, -2, -1, 0, 1, 2, Int32.max - 1, Int32.max])
  func zigZag32(_ value: Int32) {
    let encoded = Wire.zigZag(value)
    #expect(UInt64(encoded) == Self.zigZagDefinition(Int64(value)))
    #expect(Wire.unZigZag(encoded) == value)
  }

  @Test(arguments: [Int64.min, Int64.min + 1, -2, -1, 0, 1, 2, Int64.max - 1, Int64.max])
  func zigZag64(_ value: Int64) {
    let encoded = Wire.zigZag(value)
    #expect(encoded == Self.zigZagDefinition(value))
    #expect(Wire.unZigZag(encoded) == value)
  }

  @Test func zigZagSpecTable() {
    #expect(Wire.zigZag(Int32(0)) == 0)
    #expect(Wire.zigZag(Int32(-1)) == 1)
    #expect(Wire.zigZag(Int32(1)) == 2)
    #expect(Wire.zigZag(Int32(-2)) == 3)
    #expect(Wire.zigZag(Int32.max) == 0xFFFF_FFFE)
    #expect(Wire.zigZag(Int32.min) == 0xFFFF_FFFF)
    #expect(Wire.unZigZag(UInt32.max) == Int32.min)
    #expect(Wire.unZigZag(UInt64.max) == Int64.min)
  }

  @Test func sizeCacheKeepsPreOrderBeyondItsInlineSlots() {
    var cache = SizeCache()
    var slots: [Int] = []
    for index in 0..<20 {
      slots.append(cache.reserve())
      cache.fill(slots[index], with: index * 3)
    }
    #expect(slots == Array(0..<20))
    for index in 0..<20 { #expect(cache.next() == index * 3) }
  }

  @Test func asciiDetection() {
    let samples: [([UInt8], Bool)] = [
      ([], true), (Array("abc".utf8), true), (Array("abcdefgh".utf8), true),
      (Array("abcdefghi".utf8), true), (Array("abcdefghijklmnop".utf8) + [0x80], false),
      ([0x80] + Array("abcdefghijklmnop".utf8), false), (Array("abcd".utf8) + [0xC3], false),
      ([0x7F], true), ([0xFF], false),
    ]
    for (sample, expected) in samples {
      #expect(sample.withUnsafeBytes { UTF8Validation.isASCII($0) } == expected, "\(hex(sample))")
    }
  }
}
