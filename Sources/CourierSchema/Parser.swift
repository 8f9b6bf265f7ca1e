// The parser: tokens -> syntax tree. Recursive descent with bounded depth and statement-level
// error recovery, so one run reports every syntax error of a file.

/// Thrown inside the parser to abandon the current statement; the diagnostic is recorded
/// before it is thrown, and the statement loop that catches it skips to the next statement.
struct ParseAbort: Error {}

/// The parser's output for one file.
struct ParsedFile: Sendable {
  var syntax: SyntaxFile
  /// Lexer and parser diagnostics, in source order of discovery.
  var diagnostics: [Diagnostic]
}

/// Parses the tokens of one `.proto` file into a `SyntaxFile`.
///
/// Invariants: `index` always points at a valid token (the last one is `.endOfFile`, which
/// `advance()` never moves past); every statement loop consumes at least one token per
/// iteration; message nesting deeper than `nestingDepthMax` is reported and skipped
/// iteratively, so the recursion depth is bounded whatever the input.
struct Parser {
  let path: String
  let source: [UInt8]
  let tokens: [Token]
  let comments: [Comment]
  let nestingDepthMax: Int
  var index = 0
  var diagnostics: [Diagnostic] = []
  /// Set once "reached end of file" has been reported, so unclosed outer blocks stay quiet.
  var reportedUnexpectedEnd = false
  /// Set when tokens were skipped to recover from an error (or the lexer failed), so the tree
  /// misses part of the source.
  var isIncomplete = false

  init(path: String, source: [UInt8], lexed: LexedFile, nestingDepthMax: Int) {
    self.path = path
    self.source = source
    self.tokens = lexed.tokens.isEmpty
      ? [Token(kind: .endOfFile, text: "", line: 1, column: 1, startOffset: 0, endOffset: 0)]
      : lexed.tokens
    self.comments = lexed.comments
    self.nestingDepthMax = nestingDepthMax
    self.diagnostics = lexed.diagnostics
    self.isIncomplete = !lexed.diagnostics.isEmpty
  }

  /// Lexes and parses `source`, named `path` in diagnostics.
  static func parse(source: [UInt8], path: String, nestingDepthMax: Int) -> ParsedFile {
    let lexed = Lexer(file: path).tokenize(source)
    var parser = Parser(path: path, source: source, lexed: lexed, nestingDepthMax: nestingDepthMax)
    var syntax = parser.parseFile()
    syntax.isIncomplete = parser.isIncomplete
    return ParsedFile(syntax: syntax, diagnostics: parser.diagnostics)
  }

  // MARK: Cursor

  var current: Token { tokens[index] }

  func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }

  mutating func advance() {
    if index < tokens.count - 1 { index += 1 }
  }

  func location(of token: Token) -> SourceLocation {
    SourceLocation(file: path, line: token.line, column: token.column)
  }

  var here: SourceLocation { location(of: current) }

  // MARK: Errors

  /// Records an error that abandons the current statement and returns the error to throw.
  mutating func fail(_ message: String, at location: SourceLocation? = nil) -> ParseAbort {
    isIncomplete = true
    report(message, at: location ?? here)
    return ParseAbort()
  }

  /// Records an error after which the statement parses on: the tree stays complete.
  mutating func report(_ message: String, at location: SourceLocation) {
    diagnostics.append(Diagnostic(.error, message, at: location))
  }

  /// Reports a block left open at the end of the file, once per file.
  mutating func reportUnexpectedEnd(closing what: String) {
    isIncomplete = true
    guard !reportedUnexpectedEnd else { return }
    reportedUnexpectedEnd = true
    report("reached end of file inside \(what) (missing \"}\")", at: here)
  }

  /// Skips the rest of a statement after an error: up to and including the next `;` at this
  /// depth, or through a `{ ... }` block, or up to (not including) a `}` that closes the
  /// enclosing block. Iterative, so deeply nested garbage cannot overflow the stack.
  mutating func skipStatement() {
    var depth = 0
    while !current.isEndOfFile {
      if current.isSymbol("{") {
        depth += 1
      } else if current.isSymbol("}") {
        if depth == 0 { return }
        depth -= 1
        if depth == 0 {
          advance()
          return
        }
      } else if current.isSymbol(";"), depth == 0 {
        advance()
        return
      }
      advance()
    }
  }

  // MARK: Expectations

  mutating func consume(_ symbol: Unicode.Scalar) -> Bool {
    guard current.isSymbol(symbol) else { return false }
    advance()
    return true
  }

  mutating func consumeKeyword(_ word: String) -> Bool {
    guard current.isIdentifier(word) else { return false }
    advance()
    return true
  }

  mutating func expect(_ symbol: Unicode.Scalar) throws(ParseAbort) {
    guard consume(symbol) else {
      throw fail("expected \"\(symbol)\", found \(current.quotedForMessage)")
    }
  }

  mutating func expectIdentifier(_ what: String) throws(ParseAbort) -> SyntaxName {
    guard current.isIdentifier else { throw fail("expected \(what), found \(current.quotedForMessage)") }
    let name = SyntaxName(text: current.text, location: here)
    advance()
    return name
  }

  /// One string literal, or several adjacent ones concatenated (`"a" "b"` is `"ab"`).
  mutating func expectString(_ what: String) throws(ParseAbort) -> SyntaxName {
    let location = here
    guard case .string(var value) = current.kind else {
      throw fail("expected \(what), found \(current.quotedForMessage)")
    }
    advance()
    while case .string(let more) = current.kind {
      value += more
      advance()
    }
    return SyntaxName(text: value, location: location)
  }

  /// `Name`, `Outer.Inner` or `.pkg.Outer.Inner`.
  mutating func parseTypeName(_ what: String) throws(ParseAbort) -> SyntaxName {
    let location = here
    var text = ""
    if consume(".") { text = "." }
    guard current.isIdentifier else { throw fail("expected \(what), found \(current.quotedForMessage)") }
    text += current.text
    advance()
    while current.isSymbol("."), peek(1).isIdentifier {
      advance()
      text += "." + current.text
      advance()
    }
    return SyntaxName(text: text, location: location)
  }

  /// An integer with an optional `-`, clamped to `Int`.
  mutating func parseSignedInteger(_ what: String) throws(ParseAbort) -> (value: Int, location: SourceLocation) {
    let location = here
    let negative = consume("-")
    guard case .integer(let magnitude) = current.kind else {
      throw fail("expected \(what), found \(current.quotedForMessage)")
    }
    advance()
    let clamped = magnitude > UInt64(Int.max) ? Int.max : Int(magnitude)
    return (negative ? -clamped : clamped, location)
  }

  /// The documentation of a declaration: the comment above its first token, or else the
  /// trailing comment of its last token (`;` or `{`).
  func documentation(first: Token, last: Token) -> String? {
    first.leadingComment ?? last.trailingComment
  }

  // MARK: File

  mutating func parseFile() -> SyntaxFile {
    var file = SyntaxFile(path: path)
    file.documentation = tokens[0].leadingComment ?? Lexer.firstCommentBlock(comments)
    parseSyntaxStatement()
    while !current.isEndOfFile {
      let start = index
      do {
        try parseTopLevelStatement(into: &file)
      } catch {
        skipStatement()
      }
      if index == start { advance() }
    }
    return file
  }

  /// `syntax = "proto3";`, which must come first.
  mutating func parseSyntaxStatement() {
    let start = index
    do {
      if current.isIdentifier("syntax") {
        advance()
        try expect("=")
        let version = try expectString("a syntax version such as \"proto3\"")
        try expect(";")
        switch version.text {
        case "proto3": break
        case "proto2": report("proto2 is not supported; use syntax = \"proto3\"", at: version.location)
        default:
          report("unrecognized syntax \"\(version.text)\"; use syntax = \"proto3\"", at: version.location)
        }
      } else if current.isIdentifier("edition") {
        throw fail("editions are not supported; use syntax = \"proto3\"")
      } else {
        report(
          "missing syntax statement; add syntax = \"proto3\"; as the first statement (protoc assumes proto2)",
          at: here)
      }
    } catch {
      skipStatement()
      if index == start { advance() }
    }
  }

  mutating func parseTopLevelStatement(into file: inout SyntaxFile) throws(ParseAbort) {
    let first = current
    if consume(";") { return }
    guard first.isIdentifier else {
      throw fail("expected a top-level statement (e.g. \"message\"), found \(first.quotedForMessage)")
    }
    switch first.text {
    case "package":
      advance()
      let name = try parseTypeName("package name")
      try expect(";")
      if name.text.hasPrefix(".") {
        // Not thrown: the `;` is consumed, and recovery would skip the next statement.
        report("package names must not start with \".\"", at: name.location)
        isIncomplete = true
      } else if file.package != nil {
        report("multiple package definitions", at: location(of: first))
      } else {
        file.package = name
      }
    case "import": file.imports.append(try parseImport())
    case "option": file.options.append(try parseOptionStatement())
    case "message": file.messages.append(try parseMessage(depth: 0))
    case "enum": file.enums.append(try parseEnum())
    case "service": file.services.append(try parseService())
    case "extend": file.extends.append(try parseExtend())
    case "syntax", "edition": throw fail("the \(first.text) statement must be the first statement of the file")
    default:
      throw fail("expected a top-level statement (e.g. \"message\"), found \(first.quotedForMessage)")
    }
  }

  /// `import [public|weak] "path";`.
  mutating func parseImport() throws(ParseAbort) -> SyntaxImport {
    let location = here
    advance()
    var kind = ImportDecl.Kind.normal
    if consumeKeyword("public") {
      kind = .public
    } else if consumeKeyword("weak") {
      kind = .weak
    }
    let path = try expectString("the path of the imported file")
    try expect(";")
    return SyntaxImport(path: path.text, kind: kind, pathLocation: path.location, location: location)
  }
}
