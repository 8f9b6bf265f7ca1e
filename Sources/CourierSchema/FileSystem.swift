// Where schema source text comes from: the disk (POSIX) or memory (tests, tools).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `read(2)`, named apart from `SchemaFileSystem.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  #if canImport(Glibc)
    return Glibc.read(descriptor, buffer, count)
  #elseif canImport(Musl)
    return Musl.read(descriptor, buffer, count)
  #else
    return Darwin.read(descriptor, buffer, count)
  #endif
}

/// The outcome of reading one schema file.
public enum SchemaFileContents: Sendable, Hashable {
  /// The whole file.
  case bytes([UInt8])
  /// No regular file at that path (a directory counts as not found, so the next proto path
  /// root is tried).
  case notFound
  /// The file exceeds the byte limit; nothing was kept.
  case tooLarge(byteCount: Int)
  /// The file exists but could not be read.
  case unreadable(reason: String)
}

/// Reads schema files. Implementations must be safe to call from any thread.
public protocol SchemaFileSystem: Sendable {
  /// Reads the file at `path` (a root joined with a root-relative path, e.g.
  /// `Schemas/bench/v1/bench.proto`), refusing files larger than `byteCountMax` bytes.
  func read(_ path: String, byteCountMax: Int) -> SchemaFileContents
}

/// Reads files with `open`/`fstat`/`read`, retrying on `EINTR`. Blocking: call it off the
/// cooperative thread pool when used from async code.
public struct PosixFileSystem: SchemaFileSystem {
  /// The disk, as seen from the current working directory.
  public init() {}

  /// Reads the regular file at `path`; `.notFound` for a missing file or a directory,
  /// `.tooLarge` without reading when its size exceeds `byteCountMax`.
  public func read(_ path: String, byteCountMax: Int) -> SchemaFileContents {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return .notFound }
      return .unreadable(reason: Self.describe(code))
    }
    defer { _ = close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { return .unreadable(reason: Self.describe(errno)) }
    guard status.st_mode & S_IFMT == S_IFREG else { return .notFound }
    let expectedByteCount = Int(status.st_size)
    if expectedByteCount > byteCountMax { return .tooLarge(byteCount: expectedByteCount) }
    // Read until end of file, but never keep more than the limit (the file may grow).
    var bytes: [UInt8] = []
    bytes.reserveCapacity(expectedByteCount)
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = chunk.withUnsafeMutableBytes { buffer in
        systemRead(descriptor, buffer.baseAddress, buffer.count)
      }
      if count < 0 {
        if errno == EINTR { continue }
        return .unreadable(reason: Self.describe(errno))
      }
      if count == 0 { return .bytes(bytes) }
      if bytes.count + count > byteCountMax { return .tooLarge(byteCount: bytes.count + count) }
      bytes.append(contentsOf: chunk[0..<count])
    }
  }

  private static func describe(_ code: Int32) -> String {
    guard let message = strerror(code) else { return "error \(code)" }
    return String(cString: message)
  }
}

/// A file system held in memory: `InMemoryFileSystem(["a/b.proto": "syntax = \"proto3\";"])`.
/// Paths are normalized (`./a//b.proto` is `a/b.proto`), both when stored and when read.
public struct InMemoryFileSystem: SchemaFileSystem {
  private let files: [String: [UInt8]]

  /// Files as UTF-8 text, keyed by path.
  public init(_ files: [String: String]) {
    self.init(bytes: files.mapValues { Array($0.utf8) })
  }

  /// Files as raw bytes (for tests of invalid UTF-8 and binary input), keyed by path.
  public init(bytes files: [String: [UInt8]]) {
    var normalized: [String: [UInt8]] = [:]
    for (path, contents) in files { normalized[SchemaPath.normalize(path)] = contents }
    self.files = normalized
  }

  /// The file stored under the normalized `path`, if any.
  public func read(_ path: String, byteCountMax: Int) -> SchemaFileContents {
    guard let contents = files[SchemaPath.normalize(path)] else { return .notFound }
    return contents.count > byteCountMax ? .tooLarge(byteCount: contents.count) : .bytes(contents)
  }
}

/// Lexical path handling (no file system access).
enum SchemaPath {
  /// Drops empty and `.` components; keeps a leading `/` and any `..`. `"."` for an empty path.
  static func normalize(_ path: String) -> String {
    let isAbsolute = path.hasPrefix("/")
    let components = path.split(separator: "/").filter { $0 != "." }
    let joined = components.joined(separator: "/")
    if isAbsolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  /// `root/relative`, with `.` as the current directory.
  static func join(_ root: String, _ relative: String) -> String {
    let root = normalize(root)
    if root == "." { return relative }
    return root == "/" ? "/" + relative : root + "/" + relative
  }

  /// `path` relative to `root` when it lies under it (lexically), else nil.
  static func relative(_ path: String, to root: String) -> String? {
    let path = normalize(path)
    let root = normalize(root)
    if root == "." {
      return path.hasPrefix("/") || path == ".." || path.hasPrefix("../") ? nil : path
    }
    let prefix = root == "/" ? "/" : root + "/"
    guard path.hasPrefix(prefix), path.count > prefix.count else { return nil }
    return String(path.dropFirst(prefix.count))
  }

  /// Whether `path` is a valid root-relative path: not empty, not absolute, no empty, `.` or
  /// `..` components, no backslashes (protoc's rule for virtual paths).
  static func isValidRelative(_ path: String) -> Bool {
    guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\") else { return false }
    return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
      !$0.isEmpty && $0 != "." && $0 != ".."
    }
  }
}
