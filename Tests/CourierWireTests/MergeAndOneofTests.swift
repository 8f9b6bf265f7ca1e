import CourierWire
import Testing

/// Merging: a singular message field that appears twice merges field by field; `merge`
/// replaces scalars, appends repeated fields and merges messages.
@Suite struct MergeAndOneofTests {
  @Test func aSingularMessageFieldAppearingTwiceMerges() throws {
    // c = {a: 1, name: "x"} then c = {b: 2, name: "y"}: a kept, b added, name replaced.
    let input =
      lengthDelimited(3, bytes("08 01 1a 01 78")) + lengthDelimited(3, bytes("10 02 1a 01 79"))
    let decoded = try SpecExample(serializedBytes: input)
    #expect(decoded.c == Nested(a: 1, b: 2, name: "y"))
  }

  @Test func mergingEncodingsEqualsDecodingTheirConcatenation() throws {
    var first = SpecExample()
    first.a = 1
    first.c = Nested(a: 5)
    first.d = [1, 2]
    var second = SpecExample()
    second.b = "two"
    second.c = Nested(b: 6)
    second.d = [3]
    var merged = first
    try merged.merge(serializedBytes: second.serializedBytes())
    let concatenated = try SpecExample(
      serializedBytes: first.serializedBytes() + second.serializedBytes())
    #expect(merged == concatenated)
    #expect(
      merged.a == 1 && merged.b == "two" && merged.c == Nested(a: 5, b: 6) && merged.d == [1, 2, 3])
  }

  @Test func recursiveMessagesMergeAtEveryLevel() throws {
    var inner = Tree()
    inner.value = 3
    var first = Tree()
    first.next = inner
    var deeper = Tree()
    deeper.next = Tree()
    var second = Tree()
    second.next = deeper
    var merged = first
    try merged.merge(serializedBytes: second.serializedBytes())
    #expect(merged.next?.value == 3)
    #expect(merged.next?.next == Tree())
  }

  @Test func oneofMembersAreWrittenEvenAtTheirDefault() throws {
    var message = Choice()
    message.kind = .number(0)
    #expect(hex(message.serializedBytes()) == "08 00")
    message.kind = .text("")
    #expect(hex(message.serializedBytes()) == "12 00")
    message.kind = .nested(Nested())
    #expect(hex(message.serializedBytes()) == "1a 00")
    #expect(try Choice(serializedBytes: bytes("12 00")).kind == .text(""))
  }

  @Test func theLastOneofMemberOnTheWireWins() throws {
    let decoded = try Choice(serializedBytes: bytes("08 05 22 01 6e 12 02 68 69"))
    #expect(decoded.kind == .text("hi"))
    #expect(decoded.note == "n")
    let back = try Choice(serializedBytes: bytes("12 02 68 69 08 07"))
    #expect(back.kind == .number(7))
  }

  @Test func aOneofMessageMemberMergesWithItself() throws {
    let decoded = try Choice(serializedBytes: bytes("1a 02 08 01 1a 02 10 02"))
    #expect(decoded.kind == .nested(Nested(a: 1, b: 2)))
  }

  @Test func aFailedMergeLeavesTheValueUnchanged() {
    var message = SpecExample()
    message.a = 7
    message.b = "before"
    message.d = [1]
    let before = message
    // Valid fields first (they would change the value), then a truncated one.
    let input = bytes("08 09 12 05 61 66 74 65 72 22 01 02") + bytes("1a 05 08")
    #expect(throws: WireDecodingError.lengthPastEnd(declared: 5, available: 1)) {
      try message.merge(serializedBytes: input)
    }
    #expect(message == before)
  }

  @Test func aFailedDecodeOfARecursiveMessageThrowsCleanly() {
    // A deep valid prefix, then garbage at the bottom: the error surfaces from the bottom.
    var input = bytes("08 ff ff ff ff ff ff ff ff ff ff 01")
    for _ in 0..<20 { input = lengthDelimited(3, input) }
    #expect(decodingError(Tree.self, input) == .overlongVarint)
  }
}
