// Tokens: what the lexer produces and the parser consumes.

/// What a token is, with the value of literals already decoded.
enum TokenKind: Sendable, Hashable {
  /// `[A-Za-z_][A-Za-z0-9_]*`; keywords are identifiers too (proto has no reserved words).
  case identifier
  /// A decimal, hex (`0x1F`) or octal (`017`) literal; saturates at `UInt64.max` on overflow.
  case integer(UInt64)
  /// A literal with a fraction or an exponent (`1.5`, `.5`, `1e10`).
  case float(Double)
  /// A quoted literal (either quote kind) with its escapes decoded.
  case string(String)
  /// One ASCII punctuation character, e.g. `{`, `;`, `=`.
  case symbol(UInt8)
  /// The end of the input; the last token of every token stream.
  case endOfFile
}

/// One token with its position and the comments around it.
struct Token: Sendable, Hashable {
  var kind: TokenKind
  /// The source text (for string literals: the text including quotes).
  var text: String
  /// Line and column (both from 1; the column counts Unicode scalars) of the first character.
  var line: Int
  var column: Int
  /// The line of the last character (string literals and numbers never span lines, so this is
  /// `line` for every token today; kept separate so trailing comments stay correct if that changes).
  var endLine: Int
  /// Byte offsets of the token in the source: `startOffset ..< endOffset`.
  var startOffset: Int
  var endOffset: Int
  /// The comment block directly above the token (no blank line between), markers stripped.
  var leadingComment: String?
  /// The comment that starts on the token's last line, after it.
  var trailingComment: String?

  init(kind: TokenKind, text: String, line: Int, column: Int, startOffset: Int, endOffset: Int) {
    self.kind = kind
    self.text = text
    self.line = line
    self.column = column
    self.endLine = line
    self.startOffset = startOffset
    self.endOffset = endOffset
  }

  /// Whether this is the identifier `word` (a keyword in context).
  func isIdentifier(_ word: String) -> Bool {
    kind == .identifier && text == word
  }

  /// Whether this is the symbol `character`.
  func isSymbol(_ character: Unicode.Scalar) -> Bool {
    kind == .symbol(UInt8(truncatingIfNeeded: character.value))
  }

  var isIdentifier: Bool { kind == .identifier }
  var isEndOfFile: Bool { kind == .endOfFile }

  /// How the token reads in an error message: `"message"`, `end of file`.
  var quotedForMessage: String {
    switch kind {
    case .endOfFile: return "end of file"
    case .string: return "string literal \(text.prefix(40))"
    default: return "\"\(text.prefix(40))\""
    }
  }
}

/// A comment in the source, with its markers stripped.
struct Comment: Sendable, Hashable {
  var text: String
  var startLine: Int
  var endLine: Int
  /// The byte offset of the comment's first marker character.
  var offset: Int
}

/// The lexer's output for one file.
struct LexedFile: Sendable {
  /// Every token, ending with exactly one `.endOfFile` token.
  var tokens: [Token]
  /// Every comment, in source order.
  var comments: [Comment]
  var diagnostics: [Diagnostic]
}
