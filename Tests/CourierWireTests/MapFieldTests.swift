import CourierWire
import Testing

/// Map fields: entries in ascending key order, last duplicate wins, missing key or value
/// default, message values sized through the cache in the same order they are written.
@Suite struct MapFieldTests {
  /// One map entry of field `number`: key as field 1, value as field 2.
  static func entry(_ number: Int, key keyBytes: [UInt8], value valueBytes: [UInt8]) -> [UInt8] {
    lengthDelimited(number, keyBytes + valueBytes)
  }

  @Test func entriesAreWrittenInAscendingKeyOrder() {
    var message = MapHolder()
    message.int32ToString = [3: "c", -1: "m", 10: "j", 2: "b"]
    let expected =
      Self.entry(2, key: bytes("08 ff ff ff ff ff ff ff ff ff 01"), value: bytes("12 01 6d"))
      + Self.entry(2, key: bytes("08 02"), value: bytes("12 01 62"))
      + Self.entry(2, key: bytes("08 03"), value: bytes("12 01 63"))
      + Self.entry(2, key: bytes("08 0a"), value: bytes("12 01 6a"))
    #expect(hex(message.serializedBytes()) == hex(expected))
  }

  @Test func twoEntriesAreOrderedWithoutSorting() {
    var message = MapHolder()
    message.stringToInt32 = ["region": 2, "channel": 1]
    let expected =
      Self.entry(1, key: lengthDelimited(1, Array("channel".utf8)), value: bytes("10 01"))
      + Self.entry(1, key: lengthDelimited(1, Array("region".utf8)), value: bytes("10 02"))
    #expect(hex(message.serializedBytes()) == hex(expected))
  }

  @Test func boolKeysPutFalseFirst() throws {
    var message = MapHolder()
    message.boolToString = [true: "yes", false: "no"]
    let expected =
      Self.entry(4, key: bytes("08 00"), value: lengthDelimited(2, Array("no".utf8)))
      + Self.entry(4, key: bytes("08 01"), value: lengthDelimited(2, Array("yes".utf8)))
    #expect(hex(message.serializedBytes()) == hex(expected))
    #expect(try MapHolder(serializedBytes: expected) == message)
  }

  @Test func encodingIsTheSameWhateverTheInsertionOrder() {
    var forward = MapHolder()
    var backward = MapHolder()
    let keys = (0..<50).map { "key-\($0 * 37 % 50)" }
    for (index, key) in keys.enumerated() { forward.stringToInt32[key] = Int32(index) }
    for (index, key) in keys.enumerated().reversed() { backward.stringToInt32[key] = Int32(index) }
    #expect(forward == backward)
    #expect(forward.serializedBytes() == backward.serializedBytes())
  }

  @Test func duplicateKeysKeepTheLastValue() throws {
    let input =
      Self.entry(1, key: lengthDelimited(1, Array("k".utf8)), value: bytes("10 01"))
      + Self.entry(1, key: lengthDelimited(1, Array("other".utf8)), value: bytes("10 05"))
      + Self.entry(1, key: lengthDelimited(1, Array("k".utf8)), value: bytes("10 02"))
    #expect(try MapHolder(serializedBytes: input).stringToInt32 == ["k": 2, "other": 5])
    // Apart, with another field in between, the later entry still wins.
    let apart =
      Self.entry(1, key: lengthDelimited(1, Array("k".utf8)), value: bytes("10 01"))
      + bytes("3a 00")
      + Self.entry(1, key: lengthDelimited(1, Array("k".utf8)), value: bytes("10 03"))
    #expect(try MapHolder(serializedBytes: apart).stringToInt32 == ["k": 3])
  }

  @Test func aLongRunOfDuplicatesCollapses() throws {
    var input: [UInt8] = []
    for value in 1...500 {
      input += Self.entry(
        2, key: bytes("08 07"), value: lengthDelimited(2, Array("v\(value)".utf8)))
    }
    #expect(try MapHolder(serializedBytes: input).int32ToString == [7: "v500"])
  }

  @Test func missingKeyOrValueTakesTheDefault() throws {
    let input =
      Self.entry(1, key: [], value: bytes("10 05"))  // no key: ""
      + Self.entry(2, key: bytes("08 04"), value: [])  // no value: ""
      + Self.entry(3, key: lengthDelimited(1, Array("n".utf8)), value: [])  // no value: Nested()
      + Self.entry(6, key: [], value: [])  // neither: 0 -> .unspecified
    let decoded = try MapHolder(serializedBytes: input)
    #expect(decoded.stringToInt32 == ["": 5])
    #expect(decoded.int32ToString == [4: ""])
    #expect(decoded.stringToNested == ["n": Nested()])
    #expect(decoded.uint64ToColor == [0: .unspecified])
  }

  @Test func valueBeforeKeyIsAccepted() throws {
    let input = lengthDelimited(1, bytes("10 09") + lengthDelimited(1, Array("late".utf8)))
    #expect(try MapHolder(serializedBytes: input).stringToInt32 == ["late": 9])
  }

  @Test func messageValuesUseTheSizeCacheInKeyOrder() throws {
    // Values of different sizes in an order unrelated to the hash order, then a message field
    // after the map: every length must come from the right cache slot.
    var message = MapHolder()
    message.stringToNested = [
      "b": Nested(a: 1),
      "a": Nested(name: String(repeating: "long", count: 40)),
      "d": Nested(),
      "c": Nested(a: -1, b: 2, name: "c"),
    ]
    message.trailer = Nested(name: "after the map")
    let encoded = message.serializedBytes()
    #expect(encoded.count == message.serializedSize)
    var expected: [UInt8] = []
    for key in ["a", "b", "c", "d"] {
      let value = message.stringToNested[key] ?? Nested()
      expected += Self.entry(
        3, key: lengthDelimited(1, Array(key.utf8)),
        value: lengthDelimited(2, value.serializedBytes()))
    }
    expected += lengthDelimited(7, message.trailer.serializedBytes())
    #expect(hex(encoded) == hex(expected))
    #expect(try MapHolder(serializedBytes: encoded) == message)
  }

  @Test func everyKeyAndValueKindRoundTrips() throws {
    var message = MapHolder()
    message.stringToInt32 = ["": 0, "x": Int32.min, "é": Int32.max]
    message.int32ToString = [Int32.min: "min", 0: "", Int32.max: "max"]
    message.stringToNested = ["one": Nested(a: 1)]
    message.boolToString = [false: "f"]
    message.sint64ToBytes = [Int64.min: [1], -1: [], Int64.max: [0xFF, 0]]
    message.uint64ToColor = [UInt64.max: .red, 0: .unrecognized(-1), 1 << 40: .green]
    #expect(try MapHolder(serializedBytes: message.serializedBytes()) == message)
  }

  @Test func largeMapsRoundTrip() throws {
    var message = MapHolder()
    for index in 0..<200 {
      message.stringToInt32["key \(index)"] = Int32(index)
      message.stringToNested["n\(index)"] = Nested(a: Int32(index), name: "\(index)")
    }
    let decoded = try MapHolder(serializedBytes: message.serializedBytes())
    #expect(decoded == message)
  }

  @Test func entriesMergeIntoAMapThatHasEntries() throws {
    var message = MapHolder()
    message.stringToInt32 = ["kept": 1, "replaced": 2]
    let input =
      Self.entry(1, key: lengthDelimited(1, Array("replaced".utf8)), value: bytes("10 03"))
      + Self.entry(1, key: lengthDelimited(1, Array("new".utf8)), value: bytes("10 04"))
    try message.merge(serializedBytes: input)
    #expect(message.stringToInt32 == ["kept": 1, "replaced": 3, "new": 4])
  }
}
