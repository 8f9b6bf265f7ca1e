import CourierWire
import Testing

/// Byte vectors checked by hand against https://protobuf.dev/programming-guides/encoding/.
@Suite struct SpecVectorTests {
  @Test func varintFieldOneIs150() throws {
    var message = SpecExample()
    message.a = 150
    #expect(hex(message.serializedBytes()) == "08 96 01")
    #expect(try SpecExample(serializedBytes: bytes("08 96 01")).a == 150)
  }

  @Test func stringTestingInFieldTwo() throws {
    var message = SpecExample()
    message.b = "testing"
    #expect(hex(message.serializedBytes()) == "12 07 74 65 73 74 69 6e 67")
    #expect(try SpecExample(serializedBytes: bytes("12 07 74 65 73 74 69 6e 67")).b == "testing")
  }

  @Test func nestedMessageInFieldThree() throws {
    var message = SpecExample()
    message.c = Nested(a: 150)
    #expect(hex(message.serializedBytes()) == "1a 03 08 96 01")
    let decoded = try SpecExample(serializedBytes: bytes("1a 03 08 96 01"))
    #expect(decoded.hasC && decoded.c.a == 150)
  }

  @Test func emptyNestedMessageIsPresent() throws {
    var message = SpecExample()
    message.c = Nested()
    #expect(hex(message.serializedBytes()) == "1a 00")
    #expect(try SpecExample(serializedBytes: bytes("1a 00")).hasC)
  }

  @Test func packedRepeatedInFieldFour() throws {
    var message = SpecExample()
    message.d = [3, 270, 86942]
    #expect(hex(message.serializedBytes()) == "22 06 03 8e 02 9e a7 05")
    #expect(
      try SpecExample(serializedBytes: bytes("22 06 03 8e 02 9e a7 05")).d == [3, 270, 86942])
  }

  @Test func negativeInt32TakesTenBytes() throws {
    var message = Scalars()
    message.int32Value = -1
    #expect(hex(message.serializedBytes()) == "08 ff ff ff ff ff ff ff ff ff 01")
    #expect(try Scalars(serializedBytes: message.serializedBytes()).int32Value == -1)
    message.int32Value = Int32.min
    #expect(hex(message.serializedBytes()) == "08 80 80 80 80 f8 ff ff ff ff 01")
  }

  @Test func zigZagIsSmallForSmallMagnitudes() {
    var message = Scalars()
    message.sint32Value = -1
    #expect(hex(message.serializedBytes()) == "28 01")
    message.sint32Value = -2
    #expect(hex(message.serializedBytes()) == "28 03")
    message.sint32Value = 1
    #expect(hex(message.serializedBytes()) == "28 02")
    message = Scalars()
    message.sint64Value = Int64.max
    #expect(hex(message.serializedBytes()) == "30 fe ff ff ff ff ff ff ff ff 01")
    message.sint64Value = Int64.min
    #expect(hex(message.serializedBytes()) == "30 ff ff ff ff ff ff ff ff ff 01")
  }

  @Test func fixedWidthValuesAreLittleEndian() {
    var message = Scalars()
    message.fixed32Value = 0x0102_0304
    message.fixed64Value = 0x0102_0304_0506_0708
    message.sfixed32Value = -2
    message.sfixed64Value = -2
    #expect(
      hex(message.serializedBytes())
        == "45 04 03 02 01 49 08 07 06 05 04 03 02 01 55 fe ff ff ff 59 fe ff ff ff ff ff ff ff")
  }

  @Test func floatAndDoubleAreIEEE754LittleEndian() {
    var message = Scalars()
    message.floatValue = 1.5  // 0x3fc00000
    message.doubleValue = -2.25  // 0xc002000000000000
    #expect(hex(message.serializedBytes()) == "65 00 00 c0 3f 69 00 00 00 00 00 00 02 c0")
  }

  @Test func boolIsOneByte() throws {
    var message = Scalars()
    message.boolValue = true
    #expect(hex(message.serializedBytes()) == "38 01")
    // Any non-zero varint reads as true, even a long one.
    #expect(try Scalars(serializedBytes: bytes("38 80 01")).boolValue)
    #expect(try !Scalars(serializedBytes: bytes("38 00")).boolValue)
  }

  @Test func fieldSixteenTakesATwoByteKey() throws {
    var message = Scalars()
    message.colorValue = .green
    #expect(hex(message.serializedBytes()) == "80 01 02")
    #expect(try Scalars(serializedBytes: bytes("80 01 07")).colorValue == .unrecognized(7))
  }

  @Test func fieldsMayArriveInAnyOrder() throws {
    let decoded = try SpecExample(serializedBytes: bytes("12 01 78 08 01"))
    #expect(decoded.a == 1 && decoded.b == "x")
  }

  @Test func aLaterScalarReplacesAnEarlierOne() throws {
    #expect(try SpecExample(serializedBytes: bytes("08 01 08 02")).a == 2)
  }

  @Test func nonMinimalVarintsAreAccepted() throws {
    // 150 with padding groups; the 10-byte form of a small number is still valid.
    #expect(try SpecExample(serializedBytes: bytes("08 96 81 80 00")).a == 150)
    #expect(
      try Scalars(serializedBytes: bytes("20 81 80 80 80 80 80 80 80 80 00")).uint64Value == 1)
  }

  @Test func int32ReadsTruncateSixtyFourBitValues() throws {
    // protobuf casts: a uint64 on the wire read as int32 keeps the low 32 bits.
    #expect(try Scalars(serializedBytes: bytes("08 ff ff ff ff 0f")).int32Value == -1)
    #expect(try Scalars(serializedBytes: bytes("18 80 80 80 80 10")).uint32Value == 0)
  }
}
