@testable import CourierSchema

/// Compiles in-memory `files`; `inputs` defaults to every file.
func compile(_ files: [String: String], inputs: [String]? = nil, roots: [String] = ["."]) -> SchemaCompilation {
  let compiler = SchemaCompiler(protoPaths: roots, fileSystem: InMemoryFileSystem(files))
  return compiler.compile(inputs ?? files.keys.sorted())
}

/// Compiles one file named `test.proto` and returns every diagnostic as `file:line:col: ...`.
func diagnostics(_ source: String) -> [String] {
  compile(["test.proto": source]).diagnostics.map(\.description)
}

/// A proto3 file with the syntax line (line 1) and `package t;` (line 2) before `body` (which
/// starts on line 3).
func file(_ body: String) -> String {
  "syntax = \"proto3\";\npackage t;\n" + body
}

/// The checked file `test.proto` compiled from `source`, or nil with the diagnostics printed
/// in the failure message by the caller.
func checkedFile(_ source: String) -> SchemaFile? {
  compile(["test.proto": source]).schemaSet?.file("test.proto")
}

/// A small deterministic random number generator (SplitMix64), so fuzz failures reproduce.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
