// Writing generated files: directories created as needed, the file replaced atomically, and
// left untouched when its contents are already right (so builds do not see a change).

import Foundation

enum OutputFiles {
  /// Writes `contents` to `path`, creating its directory.
  ///
  /// - Throws: the file system's error when the directory or the file cannot be written.
  static func write(_ contents: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let bytes = Data(contents.utf8)
    if let existing = FileManager.default.contents(atPath: path), existing == bytes { return }
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try bytes.write(to: url, options: .atomic)
  }
}

enum StandardError {
  /// Writes `text` to standard error, unbuffered.
  static func write(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }
}
