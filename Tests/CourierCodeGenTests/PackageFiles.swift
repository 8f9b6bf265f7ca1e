import Foundation

/// Files of the package, found from this source file's path (so tests do not depend on the
/// working directory).
enum PackageFiles {
  /// The package root: three levels above this file (Tests/CourierCodeGenTests/PackageFiles.swift).
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func url(_ relativePath: String) -> URL {
    root.appendingPathComponent(relativePath)
  }

  /// The text of a file given relative to the package root.
  static func read(_ relativePath: String) throws -> String {
    try String(contentsOf: url(relativePath), encoding: .utf8)
  }

  static func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }
}

/// A line diff for failure messages: shows the first differing region with context.
enum TextDiff {
  /// `-` lines are expected, `+` lines are actual; an empty string when equal.
  static func unified(expected: String, actual: String, context: Int = 3, linesMax: Int = 80)
    -> String
  {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard old != new else { return "" }
    // Longest common subsequence table over lines (files are small).
    let rows = old.count
    let columns = new.count
    var table = [[Int]](repeating: [Int](repeating: 0, count: columns + 1), count: rows + 1)
    for row in stride(from: rows - 1, through: 0, by: -1) {
      for column in stride(from: columns - 1, through: 0, by: -1) {
        table[row][column] =
          old[row] == new[column]
          ? table[row + 1][column + 1] + 1 : max(table[row + 1][column], table[row][column + 1])
      }
    }
    var edits: [(kind: Character, text: String, oldLine: Int)] = []
    var row = 0
    var column = 0
    while row < rows || column < columns {
      if row < rows, column < columns, old[row] == new[column] {
        edits.append((" ", old[row], row + 1))
        row += 1
        column += 1
      } else if column < columns, row == rows || table[row][column + 1] >= table[row + 1][column] {
        edits.append(("+", new[column], row + 1))
        column += 1
      } else {
        edits.append(("-", old[row], row + 1))
        row += 1
      }
    }
    var output: [String] = []
    var lastPrinted = -1
    for (index, edit) in edits.enumerated() where edit.kind != " " {
      let start = max(index - context, lastPrinted + 1)
      if start > lastPrinted + 1 { output.append("@@ line \(edits[start].oldLine) @@") }
      for shown in start...min(index + context, edits.count - 1) where shown > lastPrinted {
        output.append("\(edits[shown].kind)\(edits[shown].text)")
        lastPrinted = shown
      }
      if output.count > linesMax {
        output.append("... (diff truncated)")
        break
      }
    }
    return "generated text differs from the committed file:\n" + output.joined(separator: "\n")
  }
}
