import CourierWire
import Testing

/// Every scalar at its limits survives a round trip bit for bit, and proto3 defaults stay off
/// the wire.
@Suite struct ScalarRoundTripTests {
  @Test(arguments: [Int32.min, -1, 0, 1, 127, 128, Int32.max])
  func int32AndSInt32(_ value: Int32) throws {
    var message = Scalars()
    message.int32Value = value
    message.sint32Value = value
    message.sfixed32Value = value
    let decoded = try Scalars(serializedBytes: message.serializedBytes())
    #expect(decoded == message)
  }

  @Test(arguments: [Int64.min, -1, 0, 1, 1 << 35, Int64.max])
  func int64AndSInt64(_ value: Int64) throws {
    var message = Scalars()
    message.int64Value = value
    message.sint64Value = value
    message.sfixed64Value = value
    #expect(try Scalars(serializedBytes: message.serializedBytes()) == message)
  }

  @Test(arguments: [UInt64.min, 1, UInt64(UInt32.max), UInt64(UInt32.max) + 1, UInt64.max])
  func unsigned(_ value: UInt64) throws {
    var message = Scalars()
    message.uint64Value = value
    message.fixed64Value = value
    message.uint32Value = UInt32(truncatingIfNeeded: value)
    message.fixed32Value = UInt32(truncatingIfNeeded: value)
    #expect(try Scalars(serializedBytes: message.serializedBytes()) == message)
  }

  @Test func unsignedMaximaHaveTheirSpecSizes() {
    var message = Scalars()
    message.uint32Value = UInt32.max
    #expect(hex(message.serializedBytes()) == "18 ff ff ff ff 0f")
    message = Scalars()
    message.uint64Value = UInt64.max
    #expect(hex(message.serializedBytes()) == "20 ff ff ff ff ff ff ff ff ff 01")
  }

  static let floats: [Float] = [
    -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
    .greatestFiniteMagnitude, .leastNormalMagnitude, 1, .nan, .signalingNaN,
    Float(bitPattern: 0x7FC0_1234),
  ]

  @Test(arguments: floats)
  func floatBitsSurvive(_ value: Float) throws {
    var message = Scalars()
    message.floatValue = value
    let decoded = try Scalars(serializedBytes: message.serializedBytes())
    #expect(decoded.floatValue.bitPattern == value.bitPattern)
  }

  static let doubles: [Double] = [
    -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
    .greatestFiniteMagnitude, .leastNormalMagnitude, .pi, .nan, .signalingNaN,
    Double(bitPattern: 0x7FF8_0000_0000_1234),
  ]

  @Test(arguments: doubles)
  func doubleBitsSurvive(_ value: Double) throws {
    var message = Scalars()
    message.doubleValue = value
    let decoded = try Scalars(serializedBytes: message.serializedBytes())
    #expect(decoded.doubleValue.bitPattern == value.bitPattern)
  }

  @Test func smallestSubnormalsHaveTheirBitPatterns() {
    var message = Scalars()
    message.floatValue = .leastNonzeroMagnitude
    message.doubleValue = .leastNonzeroMagnitude
    #expect(hex(message.serializedBytes()) == "65 01 00 00 00 69 01 00 00 00 00 00 00 00")
  }

  @Test func defaultMessageEncodesToNothing() throws {
    #expect(Scalars().serializedBytes().isEmpty)
    #expect(Scalars().serializedSize == 0)
    #expect(Repeated().serializedBytes().isEmpty)
    #expect(MapHolder().serializedBytes().isEmpty)
    #expect(try Scalars(serializedBytes: []) == Scalars())
  }

  @Test func negativeZeroIsWrittenButPositiveZeroIsNot() {
    var message = Scalars()
    message.floatValue = 0.0
    message.doubleValue = 0.0
    #expect(message.serializedBytes().isEmpty)
    message.floatValue = -0.0
    message.doubleValue = -0.0
    #expect(hex(message.serializedBytes()) == "65 00 00 00 80 69 00 00 00 00 00 00 00 80")
  }

  @Test func explicitDefaultsOnTheWireDecodeToDefaults() throws {
    // Another encoder may write zeros; they decode, and re-encode to nothing.
    let decoded = try Scalars(serializedBytes: bytes("08 00 72 00 7a 00 80 01 00"))
    #expect(decoded == Scalars())
    #expect(decoded.serializedBytes().isEmpty)
  }

  @Test func everyFieldTogether() throws {
    var message = Scalars()
    message.int32Value = -5
    message.int64Value = 1 << 40
    message.uint32Value = 300
    message.uint64Value = 1 << 63
    message.sint32Value = -300
    message.sint64Value = -(1 << 40)
    message.boolValue = true
    message.fixed32Value = 7
    message.fixed64Value = 8
    message.sfixed32Value = -9
    message.sfixed64Value = -10
    message.floatValue = 0.5
    message.doubleValue = 0.25
    message.stringValue = "héllo, wörld ✓ 𝄞"
    message.bytesValue = [0, 0xFF, 0x80, 0x7F]
    message.colorValue = .unrecognized(-3)
    let encoded = message.serializedBytes()
    #expect(encoded.count == message.serializedSize)
    #expect(try Scalars(serializedBytes: encoded) == message)
  }

  @Test func stringsOfEverySizeAndScript() throws {
    // Lengths around the fast paths: 1...8 bytes, 9...15 (inline in String), 16 and more.
    let samples =
      (0...40).map { String(repeating: "a", count: $0) } + [
        "é", "日本語", "ñandú", "𝄞", "a\u{0}b", "e\u{301}", String(repeating: "é", count: 20),
        "12345678é", "abcdefgh", "\u{7F}",
      ]
    for sample in samples {
      var message = Scalars()
      message.stringValue = sample
      let decoded = try Scalars(serializedBytes: message.serializedBytes())
      #expect(Array(decoded.stringValue.utf8) == Array(sample.utf8))
    }
  }

  @Test func largeMessagesEncodeInPlace() throws {
    // Past the stack buffer used for small messages.
    var message = Scalars()
    message.bytesValue = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    message.stringValue = String(repeating: "xyz", count: 700)
    let encoded = message.serializedBytes()
    #expect(encoded.count == message.serializedSize)
    #expect(try Scalars(serializedBytes: encoded) == message)
  }

  @Test func serializeAppendsAfterExistingBytes() throws {
    var message = SpecExample()
    message.a = 150
    var buffer: [UInt8] = [0xAA, 0xBB]
    message.serialize(appendingTo: &buffer)
    message.serialize(appendingTo: &buffer)
    #expect(hex(buffer) == "aa bb 08 96 01 08 96 01")
  }

  @Test func decodingFromBorrowedMemoryMatchesArrays() throws {
    var message = Scalars()
    message.stringValue = "borrowed"
    message.sint64Value = -77
    let encoded = message.serializedBytes()
    let decoded = try encoded.withUnsafeBytes { raw throws(WireDecodingError) in
      try Scalars(serializedBytes: raw)
    }
    #expect(decoded == message)
  }
}
