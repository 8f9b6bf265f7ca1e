import CourierWire
import Testing

/// Fields a message does not know are kept byte for byte, in arrival order, and written back
/// after the known fields.
@Suite struct UnknownFieldTests {
  /// One unknown field of every wire type, including a group with a nested group inside.
  static let unknowns: [UInt8] =
    key(20, .varint) + varint(300)
    + key(21, .fixed64) + littleEndian(UInt64(0x0102_0304_0506_0708))
    + lengthDelimited(22, Array("opaque".utf8))
    + key(23, .startGroup)
    + key(1, .varint) + varint(7)
    + key(24, .startGroup) + key(2, .fixed32) + littleEndian(UInt32(9)) + key(24, .endGroup)
    + lengthDelimited(3, [0xFF, 0x00])
    + key(23, .endGroup)
    + key(25, .fixed32) + littleEndian(UInt32(0xDEAD_BEEF))
    + key(536_870_911, .varint) + varint(1)  // the largest field number

  @Test func everyWireTypeIsKeptAndWrittenBack() throws {
    let input = bytes("08 96 01") + Self.unknowns
    let decoded = try Nested(serializedBytes: input)
    #expect(decoded.a == 150)
    #expect(decoded.unknownFields.bytes == Self.unknowns)
    #expect(decoded.serializedBytes() == input)
  }

  @Test func unknownFieldsKeepArrivalOrderAroundKnownOnes() throws {
    // Unknown, known, unknown: the unknowns stay in order and follow the known fields.
    let first = key(30, .varint) + varint(1)
    let second = lengthDelimited(31, [1, 2, 3])
    let input = first + bytes("08 05") + second
    let decoded = try Nested(serializedBytes: input)
    #expect(decoded.unknownFields.bytes == first + second)
    #expect(decoded.serializedBytes() == bytes("08 05") + first + second)
  }

  @Test func aKnownNumberWithTheWrongWireTypeIsUnknown() throws {
    // Field 1 of Nested is an int32; as fixed32 it is kept rather than misread.
    let input = key(1, .fixed32) + littleEndian(UInt32(5))
    let decoded = try Nested(serializedBytes: input)
    #expect(decoded.a == 0)
    #expect(decoded.unknownFields.bytes == input)
  }

  @Test func nestedMessagesKeepTheirOwnUnknownFields() throws {
    let inner = bytes("08 01") + key(99, .varint) + varint(5)
    let input = lengthDelimited(3, inner)
    let decoded = try SpecExample(serializedBytes: input)
    #expect(decoded.c.unknownFields.bytes == key(99, .varint) + varint(5))
    #expect(decoded.serializedBytes() == input)
  }

  @Test func unknownFieldsPassThroughAnOlderSchema() throws {
    // A message written with every Scalars field, read as Nested (which knows 1 and 2 only
    // with these types), then re-read as Scalars: nothing is lost.
    var full = Scalars()
    full.int32Value = 1
    full.int64Value = 2
    full.stringValue = "kept"
    full.doubleValue = 2.5
    full.colorValue = .green
    let relayed = try Nested(serializedBytes: full.serializedBytes()).serializedBytes()
    #expect(try Scalars(serializedBytes: relayed) == full)
  }

  @Test func groupsMustCloseWithTheirOwnNumber() {
    let input = key(23, .startGroup) + key(1, .varint) + varint(7) + key(24, .endGroup)
    #expect(decodingError(Nested.self, input) == .invalidWireType(4))
  }

  @Test func anUnclosedGroupIsTruncated() {
    let input = key(23, .startGroup) + key(1, .varint) + varint(7)
    #expect(decodingError(Nested.self, input) == .truncated)
  }

  @Test func groupsCountTowardsTheNestingLimit() {
    var input: [UInt8] = []
    for _ in 0..<4 { input += key(23, .startGroup) }
    for _ in 0..<4 { input += key(23, .endGroup) }
    #expect(decodingError(Nested.self, input, options: DecodingOptions(nestingDepthMax: 4)) == nil)
    #expect(
      decodingError(Nested.self, input, options: DecodingOptions(nestingDepthMax: 3))
        == .nestingTooDeep(limit: 3))
  }

  @Test func unknownFieldsInMapEntriesAreSkipped() throws {
    // An entry of map<string, int32> with an extra field 3: skipped, not an error.
    let entry = lengthDelimited(1, Array("k".utf8)) + key(3, .varint) + varint(1) + bytes("10 07")
    let decoded = try MapHolder(serializedBytes: lengthDelimited(1, entry))
    #expect(decoded.stringToInt32 == ["k": 7])
  }
}
