// Byte classes for the lexer, which works on UTF-8 bytes.

/// Byte classes of the proto grammar; everything outside ASCII is invalid outside comments and
/// string literals.
enum ASCII {
  static let newline = UInt8(ascii: "\n")
  static let tab = UInt8(ascii: "\t")
  static let space = UInt8(ascii: " ")
  static let slash = UInt8(ascii: "/")
  static let backslash = UInt8(ascii: "\\")
  static let star = UInt8(ascii: "*")
  static let dot = UInt8(ascii: ".")
  static let plus = UInt8(ascii: "+")
  static let minus = UInt8(ascii: "-")
  static let zero = UInt8(ascii: "0")
  static let doubleQuote = UInt8(ascii: "\"")
  static let singleQuote = UInt8(ascii: "'")

  static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == space || byte == tab || byte == newline || byte == 0x0D || byte == 0x0B || byte == 0x0C
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= UInt8(ascii: "9") }

  static func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
      || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_")
  }

  static func isIdentifierPart(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

  /// Printable punctuation other than quotes: each one is a symbol token.
  static func isSymbol(_ byte: UInt8) -> Bool {
    byte > 0x20 && byte < 0x7F && !isIdentifierPart(byte) && byte != doubleQuote && byte != singleQuote
  }

  static func canStartToken(_ byte: UInt8) -> Bool {
    isWhitespace(byte) || (byte > 0x20 && byte < 0x7F)
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case zero...UInt8(ascii: "9"): return byte - zero
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }

  /// The byte a one-character escape (`\n`, `\"` ...) stands for.
  static func simpleEscape(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "a"): return 0x07
    case UInt8(ascii: "b"): return 0x08
    case UInt8(ascii: "f"): return 0x0C
    case UInt8(ascii: "n"): return newline
    case UInt8(ascii: "r"): return 0x0D
    case UInt8(ascii: "t"): return tab
    case UInt8(ascii: "v"): return 0x0B
    case backslash, singleQuote, doubleQuote, UInt8(ascii: "?"): return byte
    default: return nil
    }
  }
}
