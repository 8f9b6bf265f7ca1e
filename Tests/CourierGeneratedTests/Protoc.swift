import CourierTestSupport
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
  func encode(_ text: String, as messageName: String, in file: String) async throws -> [UInt8] {
    try await run(["--encode=\(messageName)", file], input: Array(text.utf8))
  }

  /// `protoc --decode=<messageName> <file>` with `bytes` on stdin; returns the text format.
  func decode(_ bytes: [UInt8], as messageName: String, in file: String) async throws -> String {
    String(decoding: try await run(["--decode=\(messageName)", file], input: bytes), as: UTF8.self)
  }

  private func run(_ arguments: [String], input: [UInt8]) async throws -> [UInt8] {
    guard let executable = Self.executable else {
      throw Failure(description: "protoc not found: install it with `apt-get install -y protobuf-compiler`")
    }
    let result = try await Subprocess.run(executable, includeRoots.map { "-I\($0)" } + arguments, input: input)
    guard result.status == 0 else {
      throw Failure(description: "protoc \(arguments.joined(separator: " ")) exited \(result.status): \(result.errorText)")
    }
    return result.standardOutput
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
