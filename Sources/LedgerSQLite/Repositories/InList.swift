/// Builds `IN (?1, ?2, ...)` lookups whose SQL text comes from a small fixed set, so the
/// statements stay cached however many ids a caller passes.
///
/// Ids are looked up in chunks of at most `chunkSizeMax`; a chunk of `n` ids uses the smallest
/// bucket size `>= n`, and the unused placeholders are bound to NULL (which `IN` never
/// matches). A batch of 1,000 ids is therefore two executions of one cached statement.
enum InList {
  /// The placeholder counts that have a statement; the last is the chunk size. Well under
  /// SQLite's default limit of 32,766 bound parameters.
  static let bucketSizes = [1, 8, 32, 128, 500]
  /// The most ids bound in one statement.
  static var chunkSizeMax: Int { bucketSizes[bucketSizes.count - 1] }

  /// The bucket for `count` ids (`1 ... chunkSizeMax`).
  static func bucket(for count: Int) -> Int {
    precondition(count >= 1 && count <= chunkSizeMax, "an IN chunk of \(count) ids")
    for size in bucketSizes where size >= count { return size }
    return chunkSizeMax
  }

  /// The position of `size` in `bucketSizes` (`size` must be one of them).
  static func bucketIndex(for size: Int) -> Int {
    guard let index = bucketSizes.firstIndex(of: size) else { preconditionFailure("no IN bucket of \(size)") }
    return index
  }

  /// `?1, ?2, ..., ?size`.
  static func placeholders(_ size: Int) -> String {
    (1...size).map { "?\($0)" }.joined(separator: ", ")
  }

  /// Splits `ids` (already de-duplicated) into chunks of at most `chunkSizeMax`.
  static func chunks(_ ids: [String]) -> [ArraySlice<String>] {
    stride(from: 0, to: ids.count, by: chunkSizeMax).map { start in
      ids[start..<min(start + chunkSizeMax, ids.count)]
    }
  }

  /// Binds `chunk` to `?1 ...` and NULL to the rest of the statement's parameters.
  static func bind(_ chunk: ArraySlice<String>, to statement: SQLiteStatement) throws(SQLiteError) {
    var index: Int32 = 1
    for id in chunk {
      try statement.bind(id, at: index)
      index += 1
    }
    while index <= statement.parameterCount {
      try statement.bindNull(at: index)
      index += 1
    }
  }
}
