// Attaching comments to tokens, so the parser can hand declarations their documentation.

extension Lexer {
  /// Sets `leadingComment` and `trailingComment` on `tokens`.
  ///
  /// Rules (protoc's, simplified): a comment that starts on the line where the previous token
  /// ends is that token's trailing comment. Of the other comments before a token, the last block
  /// of comments on consecutive lines is its leading comment if the block ends on the line above
  /// the token (or on the token's own line); a blank line detaches a block.
  func attachComments(_ comments: [Comment], to tokens: inout [Token]) {
    var commentIndex = 0
    for tokenIndex in tokens.indices {
      let isLast = tokenIndex == tokens.count - 1
      var gap: [Comment] = []
      while commentIndex < comments.count,
            isLast || comments[commentIndex].offset < tokens[tokenIndex].startOffset {
        gap.append(comments[commentIndex])
        commentIndex += 1
      }
      guard !gap.isEmpty else { continue }
      if tokenIndex > 0, gap[0].startLine == tokens[tokenIndex - 1].endLine {
        tokens[tokenIndex - 1].trailingComment = Self.documentation(from: gap[0...0])
        gap.removeFirst()
      }
      guard let last = gap.last, last.endLine >= tokens[tokenIndex].line - 1 else { continue }
      var first = gap.count - 1
      while first > 0, gap[first - 1].endLine >= gap[first].startLine - 1 { first -= 1 }
      tokens[tokenIndex].leadingComment = Self.documentation(from: gap[first...])
    }
  }

  /// The first block of consecutive comments in the file (the file's documentation when no
  /// comment sits directly above `syntax`).
  static func firstCommentBlock(_ comments: [Comment]) -> String? {
    guard !comments.isEmpty else { return nil }
    var end = 1
    while end < comments.count, comments[end].startLine <= comments[end - 1].endLine + 1 { end += 1 }
    return documentation(from: comments[0..<end])
  }

  /// The comments' texts joined by newlines, without blank lines at either end; nil when empty.
  static func documentation(from comments: ArraySlice<Comment>) -> String? {
    let lines = comments.flatMap { $0.text.split(separator: "\n", omittingEmptySubsequences: false) }
    guard let first = lines.firstIndex(where: { !$0.isEmpty }),
          let last = lines.lastIndex(where: { !$0.isEmpty }) else { return nil }
    return lines[first...last].joined(separator: "\n")
  }
}
