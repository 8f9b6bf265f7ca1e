#if canImport(Glibc)
  import Glibc
#endif

/// A fresh directory under /tmp for one test's database files, removed with everything in it.
struct TemporaryDirectory: Sendable {
  let path: String

  /// Creates `/tmp/ledger-sqlite-XXXXXX`.
  init() throws {
    var template = Array("/tmp/ledger-sqlite-XXXXXX".utf8CString)
    // mkdtemp fills in the X's of the template in place.
    let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
      guard let base = buffer.baseAddress else { return nil }
      return mkdtemp(base).map { String(cString: $0) }
    }
    guard let created else {
      throw TemporaryDirectoryError(message: "mkdtemp failed: errno \(errno)")
    }
    path = created
  }

  /// `path/name`.
  func file(_ name: String) -> String { "\(path)/\(name)" }

  /// Deletes the files in the directory (databases leave no subdirectories), then the directory.
  func remove() {
    if let directory = opendir(path) {
      while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
          String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
        }
        if name != "." && name != ".." { unlink(file(name)) }
      }
      closedir(directory)
    }
    rmdir(path)
  }
}

struct TemporaryDirectoryError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
