import CourierWire
import Testing

/// Malformed input ends in the exact `WireDecodingError` case, never a trap.
@Suite struct DecodingErrorTests {
  @Test func truncatedValues() {
    #expect(decodingError(Scalars.self, bytes("08")) == .truncated)  // no value after the key
    #expect(decodingError(Scalars.self, bytes("08 96")) == .truncated)  // varint cut short
    #expect(decodingError(Scalars.self, bytes("08 ff ff ff")) == .truncated)
    #expect(decodingError(Scalars.self, bytes("45 01 02 03")) == .truncated)  // fixed32, 3 bytes
    #expect(decodingError(Scalars.self, bytes("49 01 02 03 04 05 06 07")) == .truncated)  // fixed64
    #expect(decodingError(Scalars.self, bytes("72")) == .truncated)  // no length
    #expect(decodingError(Scalars.self, bytes("72 80")) == .truncated)  // length cut short
    #expect(decodingError(Scalars.self, bytes("80")) == .truncated)  // key cut short
  }

  @Test func truncatedInsideANestedMessage() {
    // The nested message declares 2 bytes and holds a key whose varint needs more.
    #expect(decodingError(SpecExample.self, bytes("1a 02 08 96 01")) == .truncated)
    // A fixed32 must not read past the nested message's end into the outer one.
    #expect(decodingError(Repeated.self, bytes("3a 02 1d 01 00 00 00")) == .truncated)
  }

  @Test func lengthsPastTheEnd() {
    #expect(
      decodingError(Scalars.self, bytes("72 05 61 62")) == .lengthPastEnd(declared: 5, available: 2)
    )
    #expect(
      decodingError(Scalars.self, bytes("7a 01")) == .lengthPastEnd(declared: 1, available: 0))
    // The largest length a varint can declare is compared, never added to the position.
    let huge = bytes("72") + varint(UInt64.max)
    #expect(decodingError(Scalars.self, huge) == .lengthPastEnd(declared: UInt64.max, available: 0))
    let nested = bytes("1a 03 12 05 61")
    #expect(decodingError(SpecExample.self, nested) == .lengthPastEnd(declared: 5, available: 1))
    #expect(
      decodingError(MapHolder.self, bytes("0a 04 0a 09 61 62"))
        == .lengthPastEnd(declared: 9, available: 2))
  }

  @Test func overlongVarints() {
    // 11 bytes.
    #expect(
      decodingError(Scalars.self, bytes("08 ff ff ff ff ff ff ff ff ff ff 01")) == .overlongVarint)
    #expect(
      decodingError(Scalars.self, bytes("08 80 80 80 80 80 80 80 80 80 80 00")) == .overlongVarint)
    // 10 bytes whose last carries more than bit 63.
    #expect(
      decodingError(Scalars.self, bytes("08 ff ff ff ff ff ff ff ff ff 02")) == .overlongVarint)
    #expect(
      decodingError(Scalars.self, bytes("08 80 80 80 80 80 80 80 80 80 7f")) == .overlongVarint)
    // In a key, in a length, and at the very end of the input (the bounds-checked path).
    #expect(
      decodingError(Scalars.self, bytes("ff ff ff ff ff ff ff ff ff ff 01")) == .overlongVarint)
    #expect(
      decodingError(Scalars.self, bytes("72 ff ff ff ff ff ff ff ff ff 02")) == .overlongVarint)
    // The 10-byte maximum is fine.
    #expect(decodingError(Scalars.self, bytes("20 ff ff ff ff ff ff ff ff ff 01")) == nil)
  }

  @Test func invalidWireTypes() {
    #expect(decodingError(Scalars.self, bytes("0e 00")) == .invalidWireType(6))
    #expect(decodingError(Scalars.self, bytes("0f 00")) == .invalidWireType(7))
    #expect(decodingError(Scalars.self, bytes("fe 01")) == .invalidWireType(6))  // field 31
    // Wire types 6 and 7 inside a group, too.
    #expect(decodingError(Nested.self, bytes("bb 01 0f bc 01")) == .invalidWireType(7))
  }

  @Test func endGroupWithoutStart() {
    #expect(decodingError(Scalars.self, bytes("0c")) == .invalidWireType(4))
    #expect(decodingError(Nested.self, bytes("08 01 bc 01")) == .invalidWireType(4))
  }

  @Test func invalidFieldNumbers() {
    #expect(decodingError(Scalars.self, bytes("00 00")) == .invalidFieldNumber(0))
    #expect(decodingError(Scalars.self, bytes("02 00")) == .invalidFieldNumber(0))
    // 2^29: one past the largest field number.
    let tooLarge = varint(UInt64(536_870_912) << 3)
    #expect(decodingError(Scalars.self, tooLarge + [0]) == .invalidFieldNumber(536_870_912))
    // A key above 32 bits.
    let wide = varint(UInt64(1) << 40)
    #expect(decodingError(Scalars.self, wide + [0]) == .invalidFieldNumber(UInt64(1) << 37))
    // Inside a group being skipped.
    #expect(decodingError(Nested.self, bytes("bb 01 00 00 bc 01")) == .invalidFieldNumber(0))
  }

  static let invalidUTF8: [[UInt8]] = [
    [0xC0, 0xAF],  // overlong "/"
    [0xE0, 0x80, 0xAF],  // overlong, 3 bytes
    [0xF0, 0x80, 0x80, 0xAF],  // overlong, 4 bytes
    [0xED, 0xA0, 0x80],  // U+D800, a surrogate
    [0xED, 0xBF, 0xBF],  // U+DFFF
    [0xE2, 0x82],  // truncated sequence
    [0x61, 0xE2],  // truncated at the end
    [0xFF],
    [0xFE, 0x61],
    [0x80],  // lone continuation byte
    [0xF4, 0x90, 0x80, 0x80],  // U+110000, past Unicode
    [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0xC3],  // 8 bytes, the last one bad
    Array("fifteen bytes!".utf8) + [0xE9],  // 15 bytes
    Array(repeating: 0x61, count: 40) + [0xC3, 0x28],  // long, bad near the end
  ]

  @Test(arguments: invalidUTF8)
  func invalidUTF8IsRejected(_ payload: [UInt8]) {
    #expect(
      decodingError(Scalars.self, lengthDelimited(14, payload)) == .invalidUTF8(fieldNumber: 14))
    // Inside map keys and values, the entry's field number is named.
    let keyEntry = lengthDelimited(1, lengthDelimited(1, payload))
    #expect(decodingError(MapHolder.self, keyEntry) == .invalidUTF8(fieldNumber: 1))
    let valueEntry = lengthDelimited(2, bytes("08 01") + lengthDelimited(2, payload))
    #expect(decodingError(MapHolder.self, valueEntry) == .invalidUTF8(fieldNumber: 2))
    // In a repeated field, and as `bytes`, where anything goes.
    #expect(
      decodingError(Repeated.self, lengthDelimited(5, payload)) == .invalidUTF8(fieldNumber: 5))
    #expect(decodingError(Scalars.self, lengthDelimited(15, payload)) == nil)
  }

  @Test func validUTF8EdgesAreAccepted() throws {
    let edges: [[UInt8]] = [
      [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
      [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
    ]
    for payload in edges {
      let decoded = try Scalars(serializedBytes: lengthDelimited(14, payload))
      #expect(Array(decoded.stringValue.utf8) == payload)
    }
  }

  @Test func nestingDeeperThanTheLimit() {
    func chain(_ depth: Int) -> [UInt8] {
      var input = bytes("08 01")
      for _ in 0..<depth { input = lengthDelimited(3, input) }
      return input
    }
    let options = DecodingOptions(nestingDepthMax: 5)
    #expect(decodingError(Tree.self, chain(5), options: options) == nil)
    #expect(decodingError(Tree.self, chain(6), options: options) == .nestingTooDeep(limit: 5))
    // The default limit (100) holds for repeated nesting too, and ends deep inputs cleanly.
    var deep = bytes("08 01")
    for _ in 0..<150 { deep = lengthDelimited(2, deep) }
    #expect(decodingError(Tree.self, deep) == .nestingTooDeep(limit: 100))
  }

  @Test func mapEntriesCountAsANestingLevel() {
    let entry = lengthDelimited(
      3, lengthDelimited(1, Array("k".utf8)) + lengthDelimited(2, bytes("08 01")))
    #expect(
      decodingError(MapHolder.self, entry, options: DecodingOptions(nestingDepthMax: 2)) == nil)
    #expect(
      decodingError(MapHolder.self, entry, options: DecodingOptions(nestingDepthMax: 1))
        == .nestingTooDeep(limit: 1))
  }

  @Test func packedFixedWidthLengthsMustBeMultiples() {
    #expect(
      decodingError(Repeated.self, bytes("1a 03 01 02 03")) == .invalidPackedLength(fieldNumber: 3))
    #expect(
      decodingError(Repeated.self, bytes("22 07 00 00 00 00 00 00 00"))
        == .invalidPackedLength(fieldNumber: 4))
    #expect(decodingError(Repeated.self, bytes("1a 04 01 02 03 04")) == nil)
  }

  @Test func packedVarintRunsMustEndInside() {
    // The run's last varint continues past the run's declared length.
    #expect(decodingError(Repeated.self, bytes("0a 02 01 96 01")) == .truncated)
  }

  @Test func errorsDescribeThemselves() {
    #expect(WireDecodingError.truncated.description.contains("truncated"))
    #expect(WireDecodingError.invalidUTF8(fieldNumber: 3).description.contains("field 3"))
  }
}
