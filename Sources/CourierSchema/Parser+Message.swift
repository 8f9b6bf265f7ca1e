// Messages: fields, maps, oneofs, reserved statements and nested declarations.

extension Parser {
  /// `message Name { ... }` (the current token is `message`). `depth` is 0 for a top-level
  /// message; deeper nesting than `nestingDepthMax` is an error and the block is skipped.
  mutating func parseMessage(depth: Int) throws(ParseAbort) -> SyntaxMessage {
    let keyword = current
    guard depth < nestingDepthMax else {
      throw fail("messages are nested deeper than \(nestingDepthMax) levels")
    }
    advance()
    let name = try expectIdentifier("message name")
    let brace = current
    try expect("{")
    var message = SyntaxMessage(
      name: name, documentation: documentation(first: keyword, last: brace), location: location(of: keyword))
    while !current.isSymbol("}") {
      if current.isEndOfFile {
        reportUnexpectedEnd(closing: "message \"\(name.text)\"")
        return message
      }
      let start = index
      do {
        try parseMessageElement(into: &message, depth: depth)
      } catch {
        skipStatement()
      }
      if index == start { advance() }
    }
    advance()
    return message
  }

  mutating func parseMessageElement(into message: inout SyntaxMessage, depth: Int) throws(ParseAbort) {
    let first = current
    if consume(";") { return }
    switch first.isIdentifier ? first.text : "" {
    case "message": message.messages.append(try parseMessage(depth: depth + 1))
    case "enum": message.enums.append(try parseEnum())
    case "oneof": try parseOneof(into: &message)
    case "option": message.options.append(try parseOptionStatement())
    case "reserved": message.reserved.append(try parseReserved())
    case "extensions": throw fail("extensions are not supported in proto3 schemas")
    case "extend": throw fail("extend blocks are only supported at the top level of a file, to declare custom options")
    default: message.fields.append(try parseField(oneofIndex: nil))
    }
  }

  /// A field, a map field, or a oneof member (`oneofIndex` set).
  mutating func parseField(oneofIndex: Int?) throws(ParseAbort) -> SyntaxField {
    let first = current
    var label: SyntaxLabel?
    if current.isIdentifier("required") {
      throw fail("required fields are not allowed in proto3")
    } else if consumeKeyword("optional") {
      label = .optional
    } else if consumeKeyword("repeated") {
      label = .repeated
    }
    if label != nil, oneofIndex != nil {
      report("fields in oneofs must not have labels (optional / repeated)", at: location(of: first))
      label = nil
    }
    if current.isIdentifier("group") {
      throw fail("groups are not supported in proto3; use a nested message")
    }
    let type: SyntaxType
    if current.isIdentifier("map"), peek(1).isSymbol("<") {
      type = try parseMapType(label: label, labelToken: first, inOneof: oneofIndex != nil)
      label = nil
    } else {
      type = .named(try parseTypeName("field type"))
    }
    let name = try expectIdentifier("field name")
    try expect("=")
    let number = try parseSignedInteger("field number")
    let options = try parseOptionList()
    let end = current
    try expect(";")
    return SyntaxField(
      name: name, number: number.value, numberLocation: number.location, label: label, type: type,
      options: options, oneofIndex: oneofIndex, documentation: documentation(first: first, last: end),
      location: location(of: first))
  }

  /// `map<K, V>`; labels and oneof membership are reported here but do not stop the parse.
  mutating func parseMapType(label: SyntaxLabel?, labelToken: Token, inOneof: Bool) throws(ParseAbort) -> SyntaxType {
    let mapLocation = here
    advance()
    advance()
    let key = try parseTypeName("map key type")
    try expect(",")
    if current.isIdentifier("map"), peek(1).isSymbol("<") {
      throw fail("map values cannot be maps; wrap the inner map in a message")
    }
    let value = try parseTypeName("map value type")
    try expect(">")
    if label != nil {
      report("field labels (optional / repeated) are not allowed on map fields", at: location(of: labelToken))
    }
    if inOneof {
      report("map fields are not allowed in oneofs", at: mapLocation)
    }
    return .map(key: key, value: value)
  }

  /// `oneof name { fields and options }`.
  mutating func parseOneof(into message: inout SyntaxMessage) throws(ParseAbort) {
    let keyword = current
    advance()
    let name = try expectIdentifier("oneof name")
    let brace = current
    try expect("{")
    let oneofIndex = message.oneofs.count
    message.oneofs.append(
      SyntaxOneof(
        name: name, options: [], documentation: documentation(first: keyword, last: brace),
        location: location(of: keyword)))
    while !current.isSymbol("}") {
      if current.isEndOfFile {
        reportUnexpectedEnd(closing: "oneof \"\(name.text)\"")
        return
      }
      let start = index
      do {
        // protoc accepts no empty statement (`;`) here.
        if current.isIdentifier("option") {
          message.oneofs[oneofIndex].options.append(try parseOptionStatement())
        } else if ["message", "enum", "oneof", "reserved", "extensions", "extend"].contains(current.text),
                  current.isIdentifier {
          throw fail("\"\(current.text)\" is not allowed inside a oneof; only fields and options are")
        } else {
          message.fields.append(try parseField(oneofIndex: oneofIndex))
        }
      } catch {
        skipStatement()
      }
      if index == start { advance() }
    }
    advance()
  }

  /// `reserved 2, 9 to 11, 40 to max;` or `reserved "foo", "bar";` (the current token is
  /// `reserved`). Used by messages and enums; the checker applies each one's number range.
  mutating func parseReserved() throws(ParseAbort) -> SyntaxReserved {
    advance()
    var reserved = SyntaxReserved(ranges: [], names: [])
    if case .string = current.kind {
      repeat {
        reserved.names.append(try expectString("a reserved name"))
      } while consume(",")
    } else if current.isIdentifier {
      throw fail("reserved names must be quoted strings in proto3 (reserved \"\(current.text)\";)")
    } else {
      repeat {
        let start = try parseSignedInteger("a reserved number or name")
        var range = SyntaxRange(start: start.value, end: start.value, endIsMax: false, location: start.location)
        if consumeKeyword("to") {
          if consumeKeyword("max") {
            range.endIsMax = true
          } else {
            range.end = try parseSignedInteger("the end of a reserved range (a number or \"max\")").value
          }
        }
        reserved.ranges.append(range)
      } while consume(",")
    }
    try expect(";")
    return reserved
  }
}
