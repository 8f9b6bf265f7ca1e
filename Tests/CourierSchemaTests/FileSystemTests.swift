#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Testing
@testable import CourierSchema

/// `PosixFileSystem` against a real temporary directory, and the path rules.
@Suite struct FileSystemTests {
  /// A fresh directory under /tmp with `files` written into it; `remove()` deletes exactly
  /// what was created.
  struct TemporaryDirectory {
    let path: String
    private var createdFiles: [String] = []
    private var createdDirectories: [String] = []

    init(_ files: [String: String]) throws {
      var template = Array("/tmp/courier-schema-XXXXXX".utf8CString)
      let created = template.withUnsafeMutableBufferPointer { buffer in
        buffer.baseAddress.flatMap { mkdtemp($0) }
      }
      try #require(created != nil)
      path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
      createdDirectories.append(path)
      for (relative, contents) in files.sorted(by: { $0.key < $1.key }) {
        var directory = path
        for component in relative.split(separator: "/").dropLast() {
          directory += "/" + component
          if mkdir(directory, 0o755) == 0 { createdDirectories.append(directory) }
        }
        let filePath = path + "/" + relative
        let handle = try #require(fopen(filePath, "w"))
        fputs(contents, handle)
        fclose(handle)
        createdFiles.append(filePath)
      }
    }

    func remove() {
      for file in createdFiles { unlink(file) }
      for directory in createdDirectories.reversed() { rmdir(directory) }
    }
  }

  @Test func readsFilesAndReportsMissingOnesAndDirectories() throws {
    let directory = try TemporaryDirectory(["a/b.proto": "syntax = \"proto3\";"])
    defer { directory.remove() }
    let fileSystem = PosixFileSystem()
    #expect(fileSystem.read(directory.path + "/a/b.proto", byteCountMax: 100) == .bytes(Array("syntax = \"proto3\";".utf8)))
    #expect(fileSystem.read(directory.path + "/a/missing.proto", byteCountMax: 100) == .notFound)
    #expect(fileSystem.read(directory.path + "/a/b.proto/x", byteCountMax: 100) == .notFound)
    #expect(fileSystem.read(directory.path + "/a", byteCountMax: 100) == .notFound)
    #expect(fileSystem.read(directory.path + "/a/b.proto", byteCountMax: 5) == .tooLarge(byteCount: 18))
  }

  @Test func compilesFromDiskWithInputsUnderARoot() throws {
    let directory = try TemporaryDirectory([
      "protos/shop/v1/shop.proto": "syntax = \"proto3\";\npackage shop.v1;\nimport \"shop/v1/money.proto\";\nmessage Order { Money total = 1; }\n",
      "protos/shop/v1/money.proto": "syntax = \"proto3\";\npackage shop.v1;\nmessage Money { int64 units = 1; }\n",
    ])
    defer { directory.remove() }
    let root = directory.path + "/protos"
    let result = SchemaCompiler(protoPaths: [root]).compile([root + "/shop/v1/shop.proto"])
    #expect(result.diagnostics.isEmpty)
    #expect(result.schemaSet?.files.map(\.path) == ["shop/v1/money.proto", "shop/v1/shop.proto"])
    #expect(result.schemaSet?.requestedPaths == ["shop/v1/shop.proto"])
  }

  @Test func pathRules() {
    #expect(SchemaPath.normalize("./a//b/./c.proto") == "a/b/c.proto")
    #expect(SchemaPath.normalize("/x/./y/") == "/x/y")
    #expect(SchemaPath.normalize("") == ".")
    #expect(SchemaPath.join(".", "a.proto") == "a.proto")
    #expect(SchemaPath.join("Schemas/", "a.proto") == "Schemas/a.proto")
    #expect(SchemaPath.relative("Schemas/a/b.proto", to: "Schemas") == "a/b.proto")
    #expect(SchemaPath.relative("SchemasX/a.proto", to: "Schemas") == nil)
    #expect(SchemaPath.relative("/abs/a.proto", to: ".") == nil)
    #expect(SchemaPath.isValidRelative("a/b.proto"))
    #expect(!SchemaPath.isValidRelative("a/../b.proto"))
    #expect(!SchemaPath.isValidRelative("a\\b.proto"))
    #expect(!SchemaPath.isValidRelative("/a.proto"))
  }
}
