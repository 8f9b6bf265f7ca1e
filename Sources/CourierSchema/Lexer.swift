// The lexer: UTF-8 source bytes -> tokens with positions, comments kept for documentation.

/// Splits a `.proto` source into tokens. A pure function of its input: it never traps, whatever
/// the bytes; problems (unterminated literals, invalid characters) become diagnostics and the
/// lexer carries on, so the parser can report every later error too.
struct Lexer {
  /// The path used in diagnostics.
  let file: String

  init(file: String) {
    self.file = file
  }

  /// Tokenizes `source`; the result always ends with one `.endOfFile` token.
  func tokenize(_ source: [UInt8]) -> LexedFile {
    var scanner = Scanner(bytes: source, file: file)
    scanner.run()
    var tokens = scanner.tokens
    attachComments(scanner.comments, to: &tokens)
    return LexedFile(tokens: tokens, comments: scanner.comments, diagnostics: scanner.diagnostics)
  }
}

/// The lexer's cursor and output, advanced one byte at a time.
private struct Scanner {
  let bytes: [UInt8]
  let file: String
  var index = 0
  var line = 1
  var column = 1
  var tokens: [Token] = []
  var comments: [Comment] = []
  var diagnostics: [Diagnostic] = []

  init(bytes: [UInt8], file: String) {
    self.bytes = bytes
    self.file = file
  }

  // MARK: Cursor

  var isAtEnd: Bool { index >= bytes.count }

  func peek(_ offset: Int = 0) -> UInt8? {
    let position = index + offset
    return position < bytes.count ? bytes[position] : nil
  }

  /// Moves past one byte, keeping line and column. The column counts Unicode scalars: UTF-8
  /// continuation bytes (`10xxxxxx`) do not move it.
  mutating func advance() {
    guard index < bytes.count else { return }
    let byte = bytes[index]
    index += 1
    if byte == ASCII.newline {
      line += 1
      column = 1
    } else if byte & 0xC0 != 0x80 {
      column += 1
    }
  }

  var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

  mutating func error(_ message: String, at location: SourceLocation) {
    diagnostics.append(Diagnostic(.error, message, at: location))
  }

  func text(from start: Int) -> String {
    String(decoding: bytes[start..<index], as: UTF8.self)
  }

  // MARK: Main loop

  mutating func run() {
    // A UTF-8 byte order mark, as some editors write, is not part of the text.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    while let byte = peek() {
      if ASCII.isWhitespace(byte) {
        advance()
      } else if byte == ASCII.slash, peek(1) == ASCII.slash {
        scanLineComment()
      } else if byte == ASCII.slash, peek(1) == ASCII.star {
        scanBlockComment()
      } else if ASCII.isIdentifierStart(byte) {
        scanIdentifier()
      } else if ASCII.isDigit(byte) || (byte == ASCII.dot && peek(1).map(ASCII.isDigit) == true) {
        scanNumber()
      } else if byte == ASCII.doubleQuote || byte == ASCII.singleQuote {
        scanString(quote: byte)
      } else if ASCII.isSymbol(byte) {
        let (startLine, startColumn, start) = (line, column, index)
        advance()
        tokens.append(
          Token(kind: .symbol(byte), text: text(from: start), line: startLine, column: startColumn,
                startOffset: start, endOffset: index))
      } else {
        scanInvalidCharacters()
      }
    }
    tokens.append(
      Token(kind: .endOfFile, text: "", line: line, column: column, startOffset: index,
            endOffset: index))
  }

  /// Skips a run of bytes that cannot start a token, reporting the run once.
  mutating func scanInvalidCharacters() {
    let start = location
    guard let first = peek() else { return }
    while let byte = peek(), !ASCII.canStartToken(byte) {
      advance()
    }
    let hex = String(first, radix: 16, uppercase: true)
    error(
      "invalid character (byte 0x\(hex.count < 2 ? "0" + hex : hex)); only ASCII is allowed outside "
        + "comments and string literals", at: start)
  }

  // MARK: Comments

  mutating func scanLineComment() {
    let (startLine, offset) = (line, index)
    advance()
    advance()
    if peek() == ASCII.slash { advance() }  // `///` doc comments
    let start = index
    while let byte = peek(), byte != ASCII.newline { advance() }
    comments.append(Comment(text: Self.cleanLine(bytes[start..<index]), startLine: startLine, endLine: startLine, offset: offset))
  }

  mutating func scanBlockComment() {
    let (startLocation, offset) = (location, index)
    advance()
    advance()
    let start = index
    while !isAtEnd, !(peek() == ASCII.star && peek(1) == ASCII.slash) { advance() }
    let end = index
    if isAtEnd {
      error("unterminated block comment (missing \"*/\")", at: startLocation)
    } else {
      advance()
      advance()
    }
    let lines = bytes[start..<end].split(separator: ASCII.newline, omittingEmptySubsequences: false)
    let cleaned = lines.map { line -> String in
      var body = line.drop(while: { $0 == ASCII.space || $0 == ASCII.tab })
      if body.first == ASCII.star { body = body.dropFirst() }
      return Self.cleanLine(body)
    }
    let text = cleaned.drop(while: \.isEmpty).reversed().drop(while: \.isEmpty).reversed()
    comments.append(Comment(text: text.joined(separator: "\n"), startLine: startLocation.line, endLine: line, offset: offset))
  }

  /// Drops one leading space and any trailing whitespace (including `\r`).
  static func cleanLine(_ bytes: ArraySlice<UInt8>) -> String {
    var body = bytes
    if body.first == ASCII.space { body = body.dropFirst() }
    while let last = body.last, ASCII.isWhitespace(last) { body = body.dropLast() }
    return String(decoding: body, as: UTF8.self)
  }

  // MARK: Identifiers and numbers

  mutating func scanIdentifier() {
    let (startLine, startColumn, start) = (line, column, index)
    while let byte = peek(), ASCII.isIdentifierPart(byte) { advance() }
    tokens.append(
      Token(kind: .identifier, text: text(from: start), line: startLine, column: startColumn,
            startOffset: start, endOffset: index))
  }

  mutating func scanNumber() {
    let startLocation = location
    let start = index
    var kind: TokenKind
    if peek() == ASCII.zero, let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
      advance()
      advance()
      let digitsStart = index
      while let byte = peek(), ASCII.hexValue(byte) != nil { advance() }
      if index == digitsStart { error("\"0x\" must be followed by hex digits", at: startLocation) }
      kind = .integer(parseInteger(bytes[digitsStart..<index], radix: 16, at: startLocation))
    } else {
      var isFloat = false
      var isMalformed = false
      while let byte = peek(), ASCII.isDigit(byte) { advance() }
      if peek() == ASCII.dot {
        isFloat = true
        advance()
        while let byte = peek(), ASCII.isDigit(byte) { advance() }
      }
      if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
        isFloat = true
        advance()
        if let sign = peek(), sign == ASCII.plus || sign == ASCII.minus { advance() }
        let exponentStart = index
        while let byte = peek(), ASCII.isDigit(byte) { advance() }
        if index == exponentStart {
          error("\"e\" must be followed by an exponent", at: startLocation)
          isMalformed = true
        }
      }
      if isMalformed {
        kind = .float(0)
      } else {
        kind = isFloat ? .float(parseFloat(from: start, at: startLocation)) : decimalOrOctal(from: start, at: startLocation)
      }
    }
    if let byte = peek(), ASCII.isIdentifierStart(byte) {
      error("need space between number and identifier", at: location)
      while let byte = peek(), ASCII.isIdentifierPart(byte) { advance() }
    }
    tokens.append(
      Token(kind: kind, text: text(from: start), line: startLocation.line,
            column: startLocation.column, startOffset: start, endOffset: index))
  }

  mutating func decimalOrOctal(from start: Int, at location: SourceLocation) -> TokenKind {
    let digits = bytes[start..<index]
    if digits.count > 1, digits.first == ASCII.zero {
      if digits.contains(where: { $0 >= UInt8(ascii: "8") }) {
        error("numbers starting with a leading zero must be in octal", at: location)
        return .integer(0)
      }
      return .integer(parseInteger(digits.dropFirst(), radix: 8, at: location))
    }
    return .integer(parseInteger(digits, radix: 10, at: location))
  }

  /// The value of `digits` (valid for `radix`); saturates and reports on overflow.
  mutating func parseInteger(_ digits: ArraySlice<UInt8>, radix: UInt64, at location: SourceLocation) -> UInt64 {
    var value: UInt64 = 0
    for byte in digits {
      let digit = UInt64(ASCII.hexValue(byte) ?? 0)
      let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
      let (sum, overflow2) = shifted.addingReportingOverflow(digit)
      if overflow1 || overflow2 {
        error("integer literal is too large (the maximum is \(UInt64.max))", at: location)
        return UInt64.max
      }
      value = sum
    }
    return value
  }

  mutating func parseFloat(from start: Int, at location: SourceLocation) -> Double {
    if let value = Double(text(from: start)) { return value }
    error("invalid floating-point literal", at: location)
    return 0
  }

  // MARK: Strings

  mutating func scanString(quote: UInt8) {
    let startLocation = location
    let start = index
    advance()
    var value: [UInt8] = []
    var terminated = false
    while let byte = peek() {
      if byte == quote {
        advance()
        terminated = true
        break
      }
      if byte == ASCII.newline { break }
      if byte == ASCII.backslash {
        scanEscape(into: &value)
      } else {
        value.append(byte)
        advance()
      }
    }
    if !terminated {
      error("unterminated string literal (strings cannot span lines)", at: startLocation)
    }
    tokens.append(
      Token(kind: .string(String(decoding: value, as: UTF8.self)), text: text(from: start),
            line: startLocation.line, column: startLocation.column, startOffset: start, endOffset: index))
  }

  /// Decodes one escape sequence starting at the backslash and appends its UTF-8 bytes.
  mutating func scanEscape(into value: inout [UInt8]) {
    let escapeLocation = location
    advance()
    guard let byte = peek(), byte != ASCII.newline else {
      error("invalid escape sequence in string literal", at: escapeLocation)
      return
    }
    if let simple = ASCII.simpleEscape(byte) {
      advance()
      value.append(simple)
    } else if byte >= ASCII.zero, byte <= UInt8(ascii: "7") {
      var code = 0
      var count = 0
      while count < 3, let digit = peek(), digit >= ASCII.zero, digit <= UInt8(ascii: "7") {
        code = code * 8 + Int(digit - ASCII.zero)
        count += 1
        advance()
      }
      value.append(UInt8(truncatingIfNeeded: code))
    } else if byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") {
      advance()
      guard let code = scanHexDigits(max: 2), code.count > 0 else {
        error("\"\\x\" must be followed by hex digits", at: escapeLocation)
        return
      }
      value.append(UInt8(truncatingIfNeeded: code.value))
    } else if byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U") {
      advance()
      let width = byte == UInt8(ascii: "u") ? 4 : 8
      guard let code = scanHexDigits(max: width), code.count == width,
            let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: code.value)) else {
        error("invalid Unicode escape in string literal", at: escapeLocation)
        return
      }
      value.append(contentsOf: Array(String(Character(scalar)).utf8))
    } else {
      error("invalid escape sequence in string literal", at: escapeLocation)
      advance()
    }
  }

  mutating func scanHexDigits(max: Int) -> (value: UInt64, count: Int)? {
    var value: UInt64 = 0
    var count = 0
    while count < max, let byte = peek(), let digit = ASCII.hexValue(byte) {
      value = value &* 16 &+ UInt64(digit)
      count += 1
      advance()
    }
    return count == 0 ? nil : (value, count)
  }
}
