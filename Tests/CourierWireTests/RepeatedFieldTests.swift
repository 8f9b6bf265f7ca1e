import CourierWire
import Testing

/// Packed and unpacked repeated fields: a decoder must accept both forms of every packable
/// field and append every occurrence, whatever the form.
@Suite struct RepeatedFieldTests {
  static func sample() -> Repeated {
    var message = Repeated()
    message.int32s = [0, 1, -1, Int32.max, Int32.min, 300]
    message.sint64s = [0, -1, 1, Int64.min, Int64.max]
    message.fixed32s = [0, 1, UInt32.max]
    message.doubles = [0, -0.0, 1.5, .infinity]
    message.strings = ["", "a", "repeated", "ünïcode"]
    message.blobs = [[], [0], [1, 2, 3]]
    message.children = [Nested(a: 1), Nested(), Nested(b: -2, name: "kid")]
    message.bools = [true, false, true]
    message.colors = [.red, .unspecified, .unrecognized(99), .green]
    message.unpackedInt32s = [5, -5, 0]
    return message
  }

  @Test func everyKindRoundTrips() throws {
    let message = Self.sample()
    let encoded = message.serializedBytes()
    #expect(encoded.count == message.serializedSize)
    #expect(try Repeated(serializedBytes: encoded) == message)
  }

  @Test func packedFieldsUseOneKeyAndALength() {
    var message = Repeated()
    message.fixed32s = [1, 2]
    message.bools = [true, false]
    message.unpackedInt32s = [1, 2]
    #expect(
      hex(message.serializedBytes()) == "1a 08 01 00 00 00 02 00 00 00 42 02 01 00 50 01 50 02")
  }

  /// The same values written packed and written one key per value.
  static let forms: [(packed: [UInt8], unpacked: [UInt8])] = [
    (bytes("0a 04 01 ac 02 05"), bytes("08 01 08 ac 02 08 05")),  // int32 [1, 300, 5]
    (bytes("12 03 01 02 03"), bytes("10 01 10 02 10 03")),  // sint64 [-1, 1, -2]
    (bytes("1a 08 01 00 00 00 ff ff ff ff"), bytes("1d 01 00 00 00 1d ff ff ff ff")),  // fixed32
    (bytes("22 08 00 00 00 00 00 00 f0 3f"), bytes("21 00 00 00 00 00 00 f0 3f")),  // double [1]
    (bytes("42 03 01 00 01"), bytes("40 01 40 00 40 01")),  // bool
    (bytes("4a 02 02 63"), bytes("48 02 48 63")),  // enum [green, 99]
    (bytes("52 02 07 08"), bytes("50 07 50 08")),  // [packed = false] int32 [7, 8]
  ]

  @Test(arguments: 0..<7)
  func packedAndUnpackedDecodeAlike(_ index: Int) throws {
    let form = Self.forms[index]
    let packed = try Repeated(serializedBytes: form.packed)
    let unpacked = try Repeated(serializedBytes: form.unpacked)
    #expect(packed == unpacked)
    #expect(packed != Repeated())
  }

  @Test func mixedOccurrencesAppendInOrder() throws {
    // unpacked 1, packed [2, 3], unpacked 4, another field in between, packed [5].
    let decoded = try Repeated(serializedBytes: bytes("08 01 0a 02 02 03 08 04 2a 01 78 0a 01 05"))
    #expect(decoded.int32s == [1, 2, 3, 4, 5])
    #expect(decoded.strings == ["x"])
  }

  @Test func emptyPackedRunAddsNothing() throws {
    let decoded = try Repeated(serializedBytes: bytes("0a 00 1a 00"))
    #expect(decoded.int32s.isEmpty && decoded.fixed32s.isEmpty)
  }

  @Test func decodingAppendsToExistingValues() throws {
    var message = Repeated()
    message.strings = ["kept"]
    message.int32s = [9]
    try message.merge(serializedBytes: bytes("2a 01 61 2a 01 62 08 01"))
    #expect(message.strings == ["kept", "a", "b"])
    #expect(message.int32s == [9, 1])
  }

  @Test func longRunsOfStringsAndMessages() throws {
    var message = Repeated()
    message.strings = (0..<300).map { "tag-\($0)" }
    message.children = (0..<40).map { Nested(a: Int32($0), name: "child \($0)") }
    let decoded = try Repeated(serializedBytes: message.serializedBytes())
    #expect(decoded == message)
  }

  @Test func packedRunsOfManyVarints() throws {
    var message = Repeated()
    message.int32s = (0..<1000).map { Int32($0 &* 7919 &- 500_000) }
    message.sint64s = (0..<1000).map { Int64($0) << 40 &- 12345 }
    #expect(try Repeated(serializedBytes: message.serializedBytes()) == message)
  }

  @Test func manySmallPackedRunsAppendInLinearTime() throws {
    // 50,000 packed runs of one value each (a quadratic decoder would copy the array per run).
    var input: [UInt8] = []
    input.reserveCapacity(50_000 * 6)
    for index in 0..<50_000 {
      input += [0x0a, 0x01, UInt8(index % 128)]
      input += [0x1a, 0x04] + littleEndian(UInt32(index))[0..<4]
    }
    let decoded = try Repeated(serializedBytes: input)
    #expect(decoded.int32s.count == 50_000 && decoded.fixed32s.count == 50_000)
    #expect(decoded.fixed32s.last == 49_999)
  }

  @Test func manyNestedMessagesOverflowTheInlineSizeCache() throws {
    // More nested messages than the size cache keeps inline, each with its own length.
    var tree = Tree()
    tree.children = (1...30).map { value in
      var child = Tree()
      child.value = Int32(value)
      child.children = [Tree(), Tree()]
      child.next = Tree()
      return child
    }
    let encoded = tree.serializedBytes()
    #expect(encoded.count == tree.serializedSize)
    #expect(try Tree(serializedBytes: encoded) == tree)
  }
}
