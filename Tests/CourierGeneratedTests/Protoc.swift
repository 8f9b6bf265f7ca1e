import Foundation
import Testing

/// Runs the real `protoc` as an external oracle: its `--encode` and `--decode` modes turn protobuf
/// text format into bytes and back, independently of Courier's codec.
///
/// protoc must be installed (`apt-get install -y protobuf-compiler`; `.ci/run` does it). When it
/// is missing the oracle tests fail with that instruction rather than pass silently.
struct Protoc {
  /// Where the `.proto` files live, as `-I` roots.
  let includeRoots: [String]

  static let executable: String? = {
    for directory in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"] {
      let path = directory + "/protoc"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }()

  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// `protoc --encode=<messageName> <file>` with `text` on stdin.
  func encode(_ text: String, as messageName: String, in file: String) throws -> [UInt8] {
    try run(["--encode=\(messageName)", file], input: Array(text.utf8))
  }

  /// `protoc --decode=<messageName> <file>` with `bytes` on stdin; returns the text format.
  func decode(_ bytes: [UInt8], as messageName: String, in file: String) throws -> String {
    String(decoding: try run(["--decode=\(messageName)", file], input: bytes), as: UTF8.self)
  }

  private func run(_ arguments: [String], input: [UInt8]) throws -> [UInt8] {
    guard let executable = Self.executable else {
      throw Failure(description: "protoc not found: install it with `apt-get install -y protobuf-compiler`")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = includeRoots.map { "-I\($0)" } + arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    // Write input and read output concurrently-safe for small payloads: input first, then close.
    stdin.fileHandleForWriting.write(Data(input))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(
        description: "protoc \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
          + String(decoding: errors, as: UTF8.self))
    }
    return [UInt8](output)
  }
}

/// Paths inside the package, found from this file's location.
enum PackagePaths {
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  static var schemas: String { root + "/Schemas" }
  static var testSchemas: String { root + "/Tests/Schemas" }
}

func hex(_ bytes: [UInt8]) -> String {
  bytes.map { byte in
    let digits = String(byte, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
  }.joined()
}
