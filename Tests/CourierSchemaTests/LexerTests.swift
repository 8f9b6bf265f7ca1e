import Testing
@testable import CourierSchema

@Suite struct LexerTests {
  func lex(_ source: String) -> LexedFile {
    Lexer(file: "l.proto").tokenize(Array(source.utf8))
  }

  func kinds(_ source: String) -> [TokenKind] {
    lex(source).tokens.map(\.kind)
  }

  @Test func identifiersSymbolsAndPositions() {
    let tokens = lex("message Foo_1 {\n  int32 x = 1;\n}").tokens
    #expect(tokens.map(\.text) == ["message", "Foo_1", "{", "int32", "x", "=", "1", ";", "}", ""])
    #expect(tokens.map { "\($0.line):\($0.column)" } == [
      "1:1", "1:9", "1:15", "2:3", "2:9", "2:11", "2:13", "2:14", "3:1", "3:2",
    ])
    #expect(tokens.last?.kind == .endOfFile)
  }

  @Test func integerLiterals() {
    #expect(kinds("0 42 0x1F 0XfF 017 18446744073709551615") == [
      .integer(0), .integer(42), .integer(31), .integer(255), .integer(15), .integer(UInt64.max), .endOfFile,
    ])
  }

  @Test func floatLiterals() {
    #expect(kinds("1.5 .25 1e3 2E-2 3.e+1 7.") == [
      .float(1.5), .float(0.25), .float(1000), .float(0.02), .float(30), .float(7), .endOfFile,
    ])
    // inf and nan are identifiers; the parser reads them as floats where a value is expected.
    #expect(kinds("inf nan") == [.identifier, .identifier, .endOfFile])
  }

  @Test func stringLiteralsAndEscapes() {
    let source = #""plain" 'single' "a\n\t\\\'\"b" "\x41\101\u00e9\U0001F600" "\a\b\f\r\v\?""#
    #expect(kinds(source) == [
      .string("plain"), .string("single"), .string("a\n\t\\'\"b"), .string("AAé😀"),
      .string("\u{07}\u{08}\u{0C}\r\u{0B}?"), .endOfFile,
    ])
    #expect(lex(source).diagnostics.isEmpty)
  }

  @Test func byteOrderMarkIsSkipped() {
    let lexed = Lexer(file: "l.proto").tokenize([0xEF, 0xBB, 0xBF] + Array("syntax".utf8))
    #expect(lexed.diagnostics.isEmpty)
    #expect(lexed.tokens.first.map { "\($0.text) \($0.line):\($0.column)" } == "syntax 1:1")
  }

  @Test func columnsCountUnicodeScalarsNotBytes() {
    let tokens = lex("\"héllo😀\" x").tokens
    #expect(tokens[1].text == "x")
    #expect(tokens[1].column == 10)
  }

  @Test func lexicalErrorsAreDiagnostics() {
    let result = lex("""
      "open
      x = 0x;
      y = 09;
      z = 12abc;
      w = 99999999999999999999;
      v = 1e;
      s = "\\q \\x \\u12 \\U00110000";
      # @ ok
      é
      /* open
      """)
    #expect(result.diagnostics.map(\.description) == [
      "l.proto:1:1: error: unterminated string literal (strings cannot span lines)",
      "l.proto:2:5: error: \"0x\" must be followed by hex digits",
      "l.proto:3:5: error: numbers starting with a leading zero must be in octal",
      "l.proto:4:7: error: need space between number and identifier",
      "l.proto:5:5: error: integer literal is too large (the maximum is 18446744073709551615)",
      "l.proto:6:5: error: \"e\" must be followed by an exponent",
      "l.proto:7:6: error: invalid escape sequence in string literal",
      "l.proto:7:9: error: \"\\x\" must be followed by hex digits",
      "l.proto:7:12: error: invalid Unicode escape in string literal",
      "l.proto:7:17: error: invalid Unicode escape in string literal",
      "l.proto:9:1: error: invalid character (byte 0xC3); only ASCII is allowed outside comments and string literals",
      "l.proto:10:1: error: unterminated block comment (missing \"*/\")",
    ])
    #expect(result.tokens.last?.kind == .endOfFile)
  }

  @Test func commentsBecomeLeadingAndTrailingDocumentation() {
    let tokens = lex("""
      // Detached, by the blank line below.

      // Leading line one.
      /// Leading line two.
      a; // Trailing of the semicolon.
      /* Block
       * comment */ b;
      c; /* trailing block */
      // Not trailing of c: it is on its own line.
      d;
      """).tokens
    let a = tokens[0]
    #expect(a.leadingComment == "Leading line one.\nLeading line two.")
    #expect(tokens[1].trailingComment == "Trailing of the semicolon.")
    #expect(tokens[2].text == "b")
    #expect(tokens[2].leadingComment == "Block\ncomment")
    #expect(tokens[5].trailingComment == "trailing block")
    #expect(tokens[6].leadingComment == "Not trailing of c: it is on its own line.")
  }
}
