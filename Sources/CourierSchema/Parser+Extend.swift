// Extend blocks: `extend google.protobuf.MethodOptions { string required_scope = 50501; }`.

extension Parser {
  /// A top-level `extend Type { fields }` (the current token is `extend`). As in protoc, the
  /// body holds one or more fields and nothing else (no empty statements); whether the
  /// extendee may be extended, and with which fields, is the checker's call.
  mutating func parseExtend() throws(ParseAbort) -> SyntaxExtend {
    let keyword = current
    advance()
    let extendee = try parseTypeName("the message type to extend")
    if ScalarType(rawValue: extendee.text) != nil {
      throw fail("expected a message type to extend, found scalar type \"\(extendee.text)\"", at: extendee.location)
    }
    try expect("{")
    var block = SyntaxExtend(extendee: extendee, fields: [], location: location(of: keyword))
    if current.isSymbol("}") {
      report("an extend block must declare at least one field", at: here)
      advance()
      return block
    }
    while !current.isSymbol("}") {
      if current.isEndOfFile {
        reportUnexpectedEnd(closing: "extend \"\(extendee.text)\"")
        return block
      }
      let start = index
      do {
        block.fields.append(try parseField(oneofIndex: nil))
      } catch {
        skipStatement()
      }
      if index == start { advance() }
    }
    advance()
    return block
  }
}
