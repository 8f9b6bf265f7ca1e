import CourierWire
import Testing

/// SplitMix64: a tiny deterministic generator, so every run feeds the decoders the same inputs
/// and a failure reproduces from its seed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

/// Random and mutated inputs for every test message type: each decode returns or throws a
/// `WireDecodingError` (typed throws guarantee nothing else), never traps; whatever decodes
/// re-encodes to bytes that decode to an equal value.
@Suite struct FuzzTests {
  /// Valid encodings to mutate, covering every field kind.
  static func seeds() -> [[UInt8]] {
    var scalars = Scalars()
    scalars.int32Value = -3
    scalars.uint64Value = 1 << 50
    scalars.sint32Value = -70
    scalars.fixed64Value = 9
    scalars.floatValue = 1.25
    scalars.stringValue = "seed ✓"
    scalars.bytesValue = [1, 2, 3]
    scalars.colorValue = .red
    var maps = MapHolder()
    maps.stringToInt32 = ["a": 1, "bb": 2, "ccc": 3]
    maps.stringToNested = ["n": Nested(a: 1, name: "x"), "m": Nested(b: 2)]
    maps.boolToString = [true: "t"]
    maps.sint64ToBytes = [-5: [9]]
    maps.trailer = Nested(a: 4)
    var choice = Choice()
    choice.kind = .nested(Nested(a: 2))
    choice.note = "note"
    var tree = Tree()
    tree.value = 1
    tree.children = [Tree(), Tree()]
    var next = Tree()
    next.value = 2
    tree.next = next
    var example = SpecExample()
    example.a = 150
    example.b = "testing"
    example.c = Nested(a: 150)
    example.d = [3, 270, 86942]
    return [
      scalars.serializedBytes(), RepeatedFieldTests.sample().serializedBytes(),
      maps.serializedBytes(), choice.serializedBytes(), tree.serializedBytes(),
      example.serializedBytes(), UnknownFieldTests.unknowns,
    ]
  }

  /// One mutation of `input`: bit flips, truncation, insertion, a corrupted length or key, a
  /// spliced duplicate, or noise.
  static func mutate(_ input: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
    var bytes = input
    switch random.next() % 7 {
    case 0:
      for _ in 0...(random.next() % 3) where !bytes.isEmpty {
        let index = Int(random.next() % UInt64(bytes.count))
        bytes[index] ^= 1 << UInt8(random.next() % 8)
      }
    case 1:
      bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
    case 2:
      let index = Int(random.next() % UInt64(bytes.count + 1))
      let count = Int(random.next() % 4) + 1
      bytes.insert(
        contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: index)
    case 3:
      // Overwrite a byte with a value typical of a length or a key.
      guard !bytes.isEmpty else { break }
      let index = Int(random.next() % UInt64(bytes.count))
      let choices: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x12, 0x1A, 0x0B, 0x0C, 0x0E]
      bytes[index] = choices[Int(random.next() % UInt64(choices.count))]
    case 4:
      // Splice a slice of the input into itself (duplicate fields, broken nesting).
      guard !bytes.isEmpty else { break }
      let start = Int(random.next() % UInt64(bytes.count))
      let end = start + Int(random.next() % UInt64(bytes.count - start + 1))
      bytes.insert(contentsOf: bytes[start..<end], at: Int(random.next() % UInt64(bytes.count + 1)))
    case 5:
      bytes.removeSubrange(0..<Int(random.next() % UInt64(bytes.count + 1)))
    default:
      bytes = (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }
    return bytes
  }

  /// Decodes `input` as `M`; if that succeeds, checks the re-encoding round trip.
  /// Returns whether it decoded.
  static func check<M: Message>(_ type: M.Type, _ input: [UInt8], options: DecodingOptions) -> Bool
  {
    let decoded: M
    do {
      decoded = try M(serializedBytes: input, options: options)
    } catch {
      // Typed throws: `error` can only be a WireDecodingError; a rejection is a fine outcome.
      return false
    }
    let encoded = decoded.serializedBytes()
    #expect(encoded.count == decoded.serializedSize)
    do {
      let again = try M(serializedBytes: encoded, options: options)
      // Bytes, not ==: NaN payloads are equal bit for bit but not by ==.
      #expect(again.serializedBytes() == encoded, "round trip changed \(hex(input))")
    } catch {
      Issue.record("re-encoding of \(hex(input)) does not decode: \(error)")
    }
    return true
  }

  static func checkAll(_ input: [UInt8], options: DecodingOptions) -> Int {
    var decoded = 0
    if check(Scalars.self, input, options: options) { decoded += 1 }
    if check(Repeated.self, input, options: options) { decoded += 1 }
    if check(MapHolder.self, input, options: options) { decoded += 1 }
    if check(Choice.self, input, options: options) { decoded += 1 }
    if check(Tree.self, input, options: options) { decoded += 1 }
    if check(SpecExample.self, input, options: options) { decoded += 1 }
    if check(Nested.self, input, options: options) { decoded += 1 }
    return decoded
  }

  @Test(arguments: [UInt64(1), 2, 3, 4])
  func mutatedEncodingsNeverTrap(_ seed: UInt64) {
    var random = SplitMix64(state: seed)
    let seeds = Self.seeds()
    let options = DecodingOptions(nestingDepthMax: 8)
    var decodedCount = 0
    for round in 0..<1_000 {
      var input = seeds[round % seeds.count]
      // Stack up to three mutations: the later ones hit inputs that are already broken.
      for _ in 0...(random.next() % 3) { input = Self.mutate(input, &random) }
      decodedCount += Self.checkAll(input, options: options)
    }
    // Most mutations break something, but not all of them: both outcomes are exercised.
    #expect(decodedCount > 0)
  }

  @Test func randomBytesNeverTrap() {
    var random = SplitMix64(state: 0xC0FFEE)
    var decodedCount = 0
    for _ in 0..<2_000 {
      let count = Int(random.next() % 64)
      let input = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
      decodedCount += Self.checkAll(input, options: DecodingOptions())
    }
    #expect(decodedCount > 0)
  }

  @Test func everyPrefixOfEverySeedDecodesOrThrows() {
    for seed in Self.seeds() {
      for length in 0...seed.count {
        _ = Self.checkAll(Array(seed.prefix(length)), options: DecodingOptions())
      }
    }
  }
}
