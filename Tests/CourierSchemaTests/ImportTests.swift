import Synchronization
import Testing
@testable import CourierSchema

/// A file system that counts reads, to show each file is read (and parsed) once.
final class CountingFileSystem: SchemaFileSystem {
  let base: InMemoryFileSystem
  let reads = Mutex<[String: Int]>([:])

  init(_ files: [String: String]) {
    base = InMemoryFileSystem(files)
  }

  func read(_ path: String, byteCountMax: Int) -> SchemaFileContents {
    reads.withLock { $0[path, default: 0] += 1 }
    return base.read(path, byteCountMax: byteCountMax)
  }
}

@Suite struct ImportTests {
  /// `syntax` and `package <package>;` on lines 1 and 2, then `body` from line 3.
  func proto(_ package: String, _ body: String) -> String {
    "syntax = \"proto3\";\npackage \(package);\n" + body
  }

  @Test func importedTypesResolveAndDependenciesComeFirst() throws {
    let result = compile(
      [
        "app/a.proto": proto("app", "import \"lib/b.proto\";\nmessage A { lib.B b = 1; }\n"),
        "shared/lib/b.proto": proto("lib", "message B {}\n"),
      ], inputs: ["app/a.proto"], roots: [".", "shared"])
    #expect(result.diagnostics.isEmpty)
    let set = try #require(result.schemaSet)
    #expect(set.files.map(\.path) == ["lib/b.proto", "app/a.proto"])
    #expect(set.requestedPaths == ["app/a.proto"])
    #expect(set.file("app/a.proto")?.messages.first?.fields.first?.type == .message("lib.B"))
  }

  @Test func missingImportIsReportedAtTheImport() {
    let result = compile(
      ["a.proto": proto("a", "import \"google/protobuf/timestamp.proto\";\nmessage A {}\n")])
    #expect(result.schemaSet == nil)
    #expect(result.diagnostics.map(\.description) == [
      "a.proto:3:8: error: \"google/protobuf/timestamp.proto\" not found in proto paths: .",
    ])
  }

  /// google/protobuf/descriptor.proto is built in: found without a proto path, and used even
  /// when a proto path holds the real (proto2) file, which is then not even read.
  @Test func descriptorProtoIsBuiltIn() throws {
    let fileSystem = CountingFileSystem([
      "a.proto": proto("a", "import \"google/protobuf/descriptor.proto\";\nmessage A { google.protobuf.FileOptions o = 1; }\n"),
      "google/protobuf/descriptor.proto": "syntax = \"proto2\";\npackage google.protobuf;\nmessage FileOptions {\n"
        + "  optional string java_package = 1;\n  extensions 1000 to max;\n}\n",
    ])
    let result = SchemaCompiler(protoPaths: ["."], fileSystem: fileSystem).compile(["a.proto"])
    #expect(result.diagnostics.map(\.description) == [])
    let set = try #require(result.schemaSet)
    #expect(set.files.map(\.path) == ["google/protobuf/descriptor.proto", "a.proto"])
    let descriptor = try #require(set.file("google/protobuf/descriptor.proto"))
    #expect(descriptor.package == "google.protobuf")
    #expect(descriptor.messages.map(\.fullName) == OptionLevel.allCases.map(\.optionsMessageFullName))
    #expect(descriptor.messages.allSatisfy { $0.fields.isEmpty })
    #expect(fileSystem.reads.withLock { $0 } == ["a.proto": 1])
  }

  @Test func descriptorProtoAsAnInputIsTheBuiltInFile() {
    let result = compile([:], inputs: ["google/protobuf/descriptor.proto", "include/google/protobuf/descriptor.proto"], roots: [".", "include"])
    #expect(result.diagnostics.map(\.description) == [])
    #expect(result.schemaSet?.requestedPaths == ["google/protobuf/descriptor.proto"])
    #expect(result.schemaSet?.files.count == 1)
  }

  @Test func importCyclesAreRejected() {
    let result = compile(
      [
        "a.proto": proto("a", "import \"b.proto\";\n"),
        "b.proto": proto("b", "import \"c.proto\";\n"),
        "c.proto": proto("c", "import \"a.proto\";\n"),
        "self.proto": proto("s", "import \"self.proto\";\n"),
      ], inputs: ["a.proto", "self.proto"])
    #expect(result.diagnostics.map(\.description) == [
      "c.proto:3:8: error: import cycle: a.proto -> b.proto -> c.proto -> a.proto",
      "self.proto:3:8: error: import cycle: self.proto -> self.proto",
    ])
  }

  @Test func publicImportsAreReExportedTransitively() throws {
    let files = [
      "a.proto": proto("a", "import \"b.proto\";\nmessage A { c.C c = 1; d.D d = 2; b.B b = 3; }\n"),
      "b.proto": proto("b", "import public \"c.proto\";\nmessage B {}\n"),
      "c.proto": proto("c", "import public \"d.proto\";\nmessage C {}\n"),
      "d.proto": proto("d", "message D {}\n"),
    ]
    let result = compile(files, inputs: ["a.proto"])
    #expect(result.diagnostics.isEmpty)
    #expect(try #require(result.schemaSet).files.map(\.path) == ["d.proto", "c.proto", "b.proto", "a.proto"])
  }

  @Test func typesOfFilesThatAreNotImportedAreErrors() {
    let result = compile(
      [
        "a.proto": proto("a", "import \"b.proto\";\nmessage A {\n  c.C c = 1;\n  C bare = 2;\n}\n"),
        "b.proto": proto("b", "import \"c.proto\";\n"),
        "c.proto": proto("c", "message C {}\n"),
      ], inputs: ["a.proto"])
    #expect(result.diagnostics.map(\.description) == [
      "a.proto:5:3: error: \"c.C\" is defined in c.proto, which is not imported by a.proto",
      "a.proto:6:3: error: \"C\" is not defined",
    ])
  }

  @Test func weakImportsWorkLikeImports() {
    let result = compile(
      ["a.proto": proto("a", "import weak \"b.proto\";\nmessage A { b.B b = 1; }\n"), "b.proto": proto("b", "message B {}")],
      inputs: ["a.proto"])
    #expect(result.diagnostics.isEmpty)
    #expect(result.schemaSet?.file("a.proto")?.imports.first?.kind == .weak)
  }

  @Test func eachFileIsReadOnceInADiamond() throws {
    let fileSystem = CountingFileSystem([
      "a.proto": proto("a", "import \"b.proto\";\nimport \"c.proto\";\n"),
      "b.proto": proto("b", "import \"d.proto\";\n"),
      "c.proto": proto("c", "import \"d.proto\";\n"),
      "d.proto": proto("d", "message D {}\n"),
    ])
    let result = SchemaCompiler(protoPaths: ["."], fileSystem: fileSystem).compile(["a.proto", "d.proto"])
    #expect(try #require(result.schemaSet).files.map(\.path) == ["d.proto", "b.proto", "c.proto", "a.proto"])
    #expect(result.schemaSet?.requestedPaths == ["a.proto", "d.proto"])
    #expect(fileSystem.reads.withLock { $0 } == ["a.proto": 1, "b.proto": 1, "c.proto": 1, "d.proto": 2])
  }

  @Test func inputsMayBeGivenAsPathsUnderARoot() throws {
    let files = ["Schemas/bench/v1/x.proto": proto("bench.v1", "message X {}\n")]
    let result = compile(files, inputs: ["Schemas/bench/v1/x.proto", "./Schemas//bench/v1/x.proto"], roots: ["Schemas/"])
    #expect(result.diagnostics.isEmpty)
    #expect(result.schemaSet?.requestedPaths == ["bench/v1/x.proto"])
    let rootRelative = compile(files, inputs: ["bench/v1/x.proto"], roots: ["Schemas"])
    #expect(rootRelative.schemaSet?.files.map(\.path) == ["bench/v1/x.proto"])
  }

  @Test func inputPathProblems() {
    let files = ["r1/a.proto": proto("a", ""), "r2/a.proto": proto("a", "")]
    #expect(compile(files, inputs: ["r2/a.proto", "nope.proto", "/abs/x.proto"], roots: ["r1", "r2"])
      .diagnostics.map(\.description) == [
        "/abs/x.proto:1:1: error: /abs/x.proto is not under any proto path (r1, r2)",
        "nope.proto:1:1: error: \"nope.proto\" not found in proto paths: r1, r2",
        "r2/a.proto:1:1: error: input is shadowed in the proto paths by \"r1/a.proto\"; either use that file as"
          + " the input or reorder the proto paths",
      ])
  }

  @Test func invalidImportPaths() {
    let result = compile(["a.proto": proto("a", "import \"../x.proto\";\nimport \"./b.proto\";\nimport \"\";\n")])
    let rule = "must be relative to a proto path, without \".\" or \"..\" components, empty components or backslashes"
    #expect(result.diagnostics.map(\.description) == [
      "a.proto:3:8: error: import path \"../x.proto\" " + rule,
      "a.proto:4:8: error: import path \"./b.proto\" " + rule,
      "a.proto:5:8: error: import path \"\" " + rule,
    ])
  }

  @Test func filesOverTheSizeLimitAreRejected() {
    let compiler = SchemaCompiler(
      protoPaths: ["."],
      fileSystem: InMemoryFileSystem([
        "a.proto": "syntax = \"proto3\";\nimport \"big.proto\";\n", "big.proto": String(repeating: " ", count: 100),
      ]),
      limits: SchemaLimits(fileBytesMax: 60))
    #expect(compiler.compile(["a.proto", "big.proto"]).diagnostics.map(\.description) == [
      "a.proto:2:8: error: big.proto: file is too large (100 bytes; the limit is 60 bytes)",
      "big.proto:1:1: error: file is too large (100 bytes; the limit is 60 bytes)",
    ])
  }

  @Test func fileCountIsLimited() {
    let compiler = SchemaCompiler(
      protoPaths: ["."],
      fileSystem: InMemoryFileSystem([
        "a.proto": "syntax = \"proto3\";\nimport \"b.proto\";\n", "b.proto": "syntax = \"proto3\";\nimport \"c.proto\";\n",
        "c.proto": "syntax = \"proto3\";\n",
      ]),
      limits: SchemaLimits(filesMax: 2))
    #expect(compiler.compile(["a.proto"]).diagnostics.map(\.description) == [
      "b.proto:2:8: error: too many files: the limit is 2",
    ])
  }

  @Test func errorsInADependencyAndItsDependentAreAllReportedInOrder() {
    let result = compile(
      [
        "a.proto": proto("a", "import \"b.proto\";\nmessage A { b.B b = 1; b.Gone g = 2; b.Nope n = 3; }\n"),
        "b.proto": proto("b", "message B { int32 x = 0; }\nmessage Gone { int32 = 1; }\n"),
      ], inputs: ["a.proto"])
    #expect(result.diagnostics.map(\.description) == [
      "a.proto:4:38: error: \"b.Nope\" is not defined",
      "b.proto:4:22: error: expected field name, found \"=\"",
    ])
  }

  @Test func typesDefinedTwiceAcrossFiles() {
    let result = compile(["a.proto": proto("p", "message M {}\n"), "b.proto": proto("p", "message M {}\n")])
    #expect(result.diagnostics.map(\.description) == ["b.proto:3:9: error: \"p.M\" is already defined in file \"a.proto\""])
  }
}
