#if canImport(Glibc)
  import Glibc
#endif

/// A fresh directory under /tmp for one run's database and server log.
struct ScratchDirectory: Sendable {
  let path: String

  /// Creates `/tmp/ledger-soak-XXXXXX`.
  /// - Throws: `SoakError` when it cannot.
  static func make() throws -> ScratchDirectory {
    var template = Array("/tmp/ledger-soak-XXXXXX".utf8CString)
    guard let created = mkdtemp(&template) else {
      throw SoakError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
    }
    return ScratchDirectory(path: String(cString: created))
  }

  func file(_ name: String) -> String { path + "/" + name }

  /// Deletes the files in it (it has no subdirectories) and the directory.
  func remove() {
    guard let handle = opendir(path) else { return }
    var names: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name != "." && name != ".." { names.append(name) }
    }
    closedir(handle)
    for name in names { unlink(file(name)) }
    rmdir(path)
  }
}

/// Where `ledger-server` is: the path given, else next to this process's executable (the
/// same build directory: `swift build` puts every product there, and the test binary too).
/// - Throws: `SoakError` when there is no executable file at that path.
func locateServerBinary(_ given: String?) throws -> String {
  let path: String
  if let given {
    path = given
  } else {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { throw SoakError("cannot read /proc/self/exe to find ledger-server; pass --server-binary") }
    let executable = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let directory = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    path = directory + "/ledger-server"
  }
  guard access(path, X_OK) == 0 else {
    throw SoakError(
      "no ledger-server executable at \(path): build it first (swift build -c release --product ledger-server) "
        + "or pass --server-binary")
  }
  return path
}
