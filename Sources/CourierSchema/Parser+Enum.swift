// Enums: values, value options, reserved statements.

extension Parser {
  /// `enum Name { VALUE = 0; ... }` (the current token is `enum`).
  mutating func parseEnum() throws(ParseAbort) -> SyntaxEnum {
    let keyword = current
    advance()
    let name = try expectIdentifier("enum name")
    let brace = current
    try expect("{")
    var enumeration = SyntaxEnum(
      name: name, documentation: documentation(first: keyword, last: brace), location: location(of: keyword))
    while !current.isSymbol("}") {
      if current.isEndOfFile {
        reportUnexpectedEnd(closing: "enum \"\(name.text)\"")
        return enumeration
      }
      let start = index
      do {
        try parseEnumElement(into: &enumeration)
      } catch {
        skipStatement()
      }
      if index == start { advance() }
    }
    advance()
    return enumeration
  }

  mutating func parseEnumElement(into enumeration: inout SyntaxEnum) throws(ParseAbort) {
    let first = current
    if consume(";") { return }
    if first.isIdentifier("option") {
      enumeration.options.append(try parseOptionStatement())
    } else if first.isIdentifier("reserved") {
      enumeration.reserved.append(try parseReserved())
    } else {
      let name = try expectIdentifier("enum value name")
      try expect("=")
      let number = try parseSignedInteger("enum value number")
      let options = try parseOptionList()
      let end = current
      try expect(";")
      enumeration.values.append(
        SyntaxEnumValue(
          name: name, number: number.value, numberLocation: number.location, options: options,
          documentation: documentation(first: first, last: end), location: location(of: first)))
    }
  }
}
