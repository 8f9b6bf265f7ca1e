// Services: rpc methods with their streaming shapes and options.

extension Parser {
  /// `service Name { rpc ...; option ...; }` (the current token is `service`).
  mutating func parseService() throws(ParseAbort) -> SyntaxService {
    let keyword = current
    advance()
    let name = try expectIdentifier("service name")
    let brace = current
    try expect("{")
    var service = SyntaxService(
      name: name, documentation: documentation(first: keyword, last: brace), location: location(of: keyword))
    while !current.isSymbol("}") {
      if current.isEndOfFile {
        reportUnexpectedEnd(closing: "service \"\(name.text)\"")
        return service
      }
      let start = index
      do {
        if consume(";") {
          // An empty statement.
        } else if current.isIdentifier("option") {
          service.options.append(try parseOptionStatement())
        } else if current.isIdentifier("rpc") {
          service.methods.append(try parseMethod())
        } else {
          throw fail("expected \"rpc\" or \"option\" in service, found \(current.quotedForMessage)")
        }
      } catch {
        skipStatement()
      }
      if index == start { advance() }
    }
    advance()
    return service
  }

  /// `rpc Name(stream In) returns (stream Out);` or with a `{ option ...; }` body.
  mutating func parseMethod() throws(ParseAbort) -> SyntaxMethod {
    let keyword = current
    advance()
    let name = try expectIdentifier("method name")
    let (clientStreaming, input) = try parseMethodType("input type")
    guard consumeKeyword("returns") else {
      throw fail("expected \"returns\", found \(current.quotedForMessage)")
    }
    let (serverStreaming, output) = try parseMethodType("output type")
    var method = SyntaxMethod(
      name: name, input: input, output: output, clientStreaming: clientStreaming,
      serverStreaming: serverStreaming, options: [], documentation: nil, location: location(of: keyword))
    let end = current
    if consume("{") {
      try parseMethodBody(into: &method)
    } else {
      try expect(";")
    }
    method.documentation = documentation(first: keyword, last: end)
    return method
  }

  /// `(Type)` or `(stream Type)`.
  mutating func parseMethodType(_ what: String) throws(ParseAbort) -> (streaming: Bool, type: SyntaxName) {
    try expect("(")
    // As in protoc, `stream` here is always the keyword.
    let streaming = consumeKeyword("stream")
    let type = try parseTypeName(what)
    if ScalarType(rawValue: type.text) != nil {
      report("expected a message type, found scalar type \"\(type.text)\"", at: type.location)
    }
    try expect(")")
    return (streaming, type)
  }

  /// The statements between `{` (consumed) and `}` of a method.
  mutating func parseMethodBody(into method: inout SyntaxMethod) throws(ParseAbort) {
    while !current.isSymbol("}") {
      if current.isEndOfFile {
        reportUnexpectedEnd(closing: "rpc \"\(method.name.text)\"")
        return
      }
      let start = index
      do {
        if consume(";") {
          // An empty statement.
        } else if current.isIdentifier("option") {
          method.options.append(try parseOptionStatement())
        } else {
          throw fail("expected \"option\" in rpc body, found \(current.quotedForMessage)")
        }
      } catch {
        skipStatement()
      }
      if index == start { advance() }
    }
    advance()
    _ = consume(";")
  }
}
