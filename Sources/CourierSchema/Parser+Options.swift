// Options: `option name = value;` statements and `[name = value, ...]` lists.

extension Parser {
  /// `option name = value;` (the current token is `option`).
  mutating func parseOptionStatement() throws(ParseAbort) -> SyntaxOption {
    advance()
    let option = try parseOptionAssignment()
    try expect(";")
    return option
  }

  /// `[name = value, ...]` after a field or an enum value; empty when there is no `[`.
  mutating func parseOptionList() throws(ParseAbort) -> [SyntaxOption] {
    guard consume("[") else { return [] }
    var options: [SyntaxOption] = []
    repeat {
      let option = try parseOptionAssignment()
      if option.name == "default" {
        report("explicit default values are not allowed in proto3", at: option.nameLocation)
      } else {
        options.append(option)
      }
    } while consume(",")
    try expect("]")
    return options
  }

  /// `name = value`.
  mutating func parseOptionAssignment() throws(ParseAbort) -> SyntaxOption {
    let nameLocation = here
    let name = try parseOptionName()
    try expect("=")
    let valueLocation = here
    let value = try parseOptionValue()
    return SyntaxOption(name: name, nameLocation: nameLocation, value: value, valueLocation: valueLocation)
  }

  /// `java_package`, `(my.ext)`, `(my.ext).field.sub`, `(.fully.qualified)`.
  mutating func parseOptionName() throws(ParseAbort) -> String {
    var name = ""
    repeat {
      if consume("(") {
        let extensionName = try parseTypeName("an option extension name")
        try expect(")")
        name += "(" + extensionName.text + ")"
      } else {
        name += try expectIdentifier("option name").text
      }
      guard current.isSymbol(".") else { break }
      advance()
      name += "."
    } while true
    return name
  }

  /// An identifier, a signed number, `inf`/`nan`, a string (adjacent strings concatenate), a
  /// bool, or an aggregate `{ ... }` kept as source text.
  mutating func parseOptionValue() throws(ParseAbort) -> OptionValue {
    let token = current
    switch token.kind {
    case .identifier:
      advance()
      switch token.text {
      case "true": return .bool(true)
      case "false": return .bool(false)
      case "inf": return .float(.infinity)
      case "nan": return .float(.nan)
      default: return .identifier(token.text)
      }
    case .integer(let value):
      advance()
      return value <= UInt64(Int64.max) ? .integer(Int64(value)) : .unsignedInteger(value)
    case .float(let value):
      advance()
      return .float(value)
    case .string:
      return .string(try expectString("option value").text)
    case .symbol(UInt8(ascii: "-")):
      advance()
      return try parseNegativeValue()
    case .symbol(UInt8(ascii: "{")):
      return .aggregate(try parseAggregate())
    default:
      throw fail("expected an option value, found \(token.quotedForMessage)")
    }
  }

  /// The number after a `-`.
  mutating func parseNegativeValue() throws(ParseAbort) -> OptionValue {
    let token = current
    switch token.kind {
    case .integer(let magnitude):
      advance()
      if magnitude <= UInt64(Int64.max) { return .integer(-Int64(magnitude)) }
      if magnitude == UInt64(Int64.max) + 1 { return .integer(Int64.min) }
      throw fail("integer is out of range (the minimum is \(Int64.min))", at: location(of: token))
    case .float(let value):
      advance()
      return .float(-value)
    case .identifier where token.text == "inf":
      advance()
      return .float(-.infinity)
    case .identifier where token.text == "nan":
      advance()
      return .float(.nan)
    default:
      throw fail("expected a number after \"-\", found \(token.quotedForMessage)")
    }
  }

  /// `{ ... }` with balanced braces, returned as its source text (braces included). Scanned
  /// iteratively, so nesting depth costs no stack.
  mutating func parseAggregate() throws(ParseAbort) -> String {
    let open = current
    var depth = 0
    repeat {
      if current.isEndOfFile {
        throw fail("unterminated aggregate option value (missing \"}\")", at: location(of: open))
      }
      if current.isSymbol("{") {
        depth += 1
      } else if current.isSymbol("}") {
        depth -= 1
      }
      let end = current.endOffset
      advance()
      if depth == 0 {
        let start = min(open.startOffset, source.count)
        return String(decoding: source[start..<min(max(end, start), source.count)], as: UTF8.self)
      }
    } while true
  }
}
