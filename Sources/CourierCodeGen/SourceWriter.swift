// The text builder every renderer writes through: lines, two-space indentation, blocks and
// doc comments, so no renderer counts spaces itself.

/// Accumulates Swift source text line by line.
struct SourceWriter {
  /// The text written so far; every line ends with a newline.
  private(set) var text = ""
  private var indentation = 0
  private static let indentUnit = "  "

  /// Appends one line at the current indentation (an empty line stays empty).
  mutating func line(_ content: String) {
    if content.isEmpty {
      text += "\n"
    } else {
      text += String(repeating: Self.indentUnit, count: indentation) + content + "\n"
    }
  }

  /// Appends an empty line, unless the text is empty or already ends with one or with an
  /// opening brace (so blocks never start or end with a blank line).
  mutating func blankLine() {
    guard !text.isEmpty, !text.hasSuffix("\n\n"), !text.hasSuffix("{\n") else { return }
    text += "\n"
  }

  /// Writes `body` one level deeper.
  mutating func indented(_ body: (inout SourceWriter) -> Void) {
    indentation += 1
    body(&self)
    indentation -= 1
  }

  /// Writes `opener`, `body` one level deeper, then `closer` (`}` unless given).
  mutating func block(_ opener: String, closer: String = "}", _ body: (inout SourceWriter) -> Void)
  {
    line(opener)
    indented(body)
    line(closer)
  }

  /// Writes `documentation` as `///` lines (nothing if it is nil or blank).
  mutating func documentation(_ documentation: String?) {
    for docLine in DocComment.lines(documentation) {
      line(docLine.isEmpty ? "///" : "/// " + docLine)
    }
  }
}

/// Schema comments as the lines of a doc comment.
enum DocComment {
  /// The comment's lines with trailing spaces, the indentation common to all lines and
  /// blank lines at both ends removed; `[]` for nil or blank text.
  static func lines(_ documentation: String?) -> [String] {
    guard let documentation else { return [] }
    var lines = documentation.split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0.reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
    while let first = lines.first, first.isEmpty { lines.removeFirst() }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    let indents = lines.filter { !$0.isEmpty }.map {
      $0.prefix(while: { $0 == " " || $0 == "\t" }).count
    }
    let common = indents.min() ?? 0
    return lines.map { $0.isEmpty ? $0 : String($0.dropFirst(common)) }
  }
}

extension SourceWriter {
  /// The width `wrappedList` fills lines up to (indentation included).
  static let lineWidthMax = 100

  /// Writes `items` separated by commas, as many per line as fit in `lineWidthMax`, with
  /// `terminator` after the last one (e.g. `)`). An item longer than a line gets its own.
  mutating func wrappedList(_ items: [String], terminator: String = "") {
    let indentWidth = indentation * Self.indentUnit.count
    var current = ""
    for (index, item) in items.enumerated() {
      let piece = item + (index == items.count - 1 ? terminator : ",")
      if current.isEmpty {
        current = piece
      } else if indentWidth + current.count + 1 + piece.count <= Self.lineWidthMax {
        current += " " + piece
      } else {
        line(current)
        current = piece
      }
    }
    if !current.isEmpty { line(current) }
  }
}
