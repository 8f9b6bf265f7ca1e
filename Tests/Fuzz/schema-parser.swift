// libFuzzer target `schema-parser`: the proto3 schema compiler (CourierSchema: lexer, parser,
// import loader, checker) fed arbitrary text, and the code generator (CourierCodeGen) fed
// whatever compiles, as courier-gen runs them.
//
// Input: the text of `input.proto`, optionally followed by more files, each starting at a line
// `//--- <path>` (the convention of LLVM's split-file), so imports, cycles and cross-file
// references are reached too. Every file is an input of the compilation, `input.proto` first.
// Properties:
// - compiling never traps or hangs: every problem is a diagnostic with a position in its file;
// - there is a schema set exactly when there is no error;
// - a schema set the compiler accepts is one the generator accepts (no CodeGenerationError),
//   with one Swift file per requested schema.

import CourierCodeGen
import FuzzSupport

@testable import CourierSchema

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let files = SchemaBundle.split(fuzzInput(start, count))
  let limits = SchemaLimits()  // what courier-gen uses
  let compiler = SchemaCompiler(protoPaths: ["."], fileSystem: InMemoryFileSystem(bytes: files.contents), limits: limits)
  let compilation = compiler.compile(files.paths)
  checkDiagnostics(compilation, files, limits)
  if let set = compilation.schemaSet { checkGeneration(set) }
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
  writeSeedsIfRequested(schemaSeeds)
  return 0
}

/// Files cut out of one input at `//--- <path>` lines.
struct SchemaBundle {
  static let inputPath = "input.proto"
  static let marker = Array("//--- ".utf8)

  /// Paths as written, in input order, `input.proto` first: the compilation's inputs.
  var paths: [String] = []
  /// Contents by normalized path (`a//b.proto` is `a/b.proto`, as the compiler and
  /// `InMemoryFileSystem` see it, and as diagnostics name it); a repeated path keeps its last
  /// contents. Normalizing here keeps that choice ours: the file system, given two spellings of
  /// one path, keeps whichever its dictionary visits last.
  var contents: [String: [UInt8]] = [:]

  static func split(_ input: UnsafeRawBufferPointer) -> SchemaBundle {
    var bundle = SchemaBundle()
    var path = inputPath
    var fileStart = 0
    var lineStart = 0
    func close(at end: Int) {
      if !bundle.paths.contains(path) { bundle.paths.append(path) }
      bundle.contents[SchemaPath.normalize(path)] = Array(input[fileStart..<end])
    }
    while lineStart <= input.count {
      let lineEnd = input[lineStart...].firstIndex(of: 0x0A) ?? input.count
      let line = input[lineStart..<lineEnd]
      if line.starts(with: marker) {
        close(at: lineStart)
        path = String(decoding: line.dropFirst(marker.count), as: UTF8.self)
        fileStart = min(lineEnd + 1, input.count)
      }
      lineStart = lineEnd + 1
    }
    close(at: input.count)
    return bundle
  }

  /// The text of a bundle: `files[0]` is `input.proto`, the rest follow their marker lines.
  static func join(_ input: String, _ files: [(path: String, text: String)]) -> [UInt8] {
    var bytes = Array(input.utf8)
    for file in files {
      if bytes.last != 0x0A { bytes.append(0x0A) }
      bytes += marker + Array(file.path.utf8) + [0x0A] + Array(file.text.utf8)
    }
    return bytes
  }
}

func checkDiagnostics(_ compilation: SchemaCompilation, _ files: SchemaBundle, _ limits: SchemaLimits) {
  fuzzRequire(
    (compilation.schemaSet == nil) == compilation.hasErrors,
    "schema set \(compilation.schemaSet == nil ? "missing" : "present") with diagnostics \(compilation.diagnostics)")
  var perFile: [String: Int] = [:]
  var lineCounts: [String: Int] = [:]
  for diagnostic in compilation.diagnostics {
    let location = diagnostic.location
    fuzzRequire(location.line >= 1 && location.column >= 1, "diagnostic outside its file: \(diagnostic)")
    if let bytes = files.contents[location.file] {
      let lineCount = lineCounts[location.file] ?? bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
      lineCounts[location.file] = lineCount
      fuzzRequire(location.line <= lineCount, "diagnostic past the last line (\(lineCount)): \(diagnostic)")
    }
    perFile[location.file, default: 0] += 1
  }
  for (file, count) in perFile {
    fuzzRequire(
      count <= limits.diagnosticsPerFileMax + 1, "\(count) diagnostics for \(file), above the limit")
  }
}

func checkGeneration(_ set: SchemaSet) {
  do {
    let generated = try CodeGenerator.generate(set)
    fuzzRequire(
      generated.count == set.requestedPaths.count, "\(set.requestedPaths.count) files gave \(generated.count)")
  } catch {
    fuzzFailure("a schema set the checker accepted made the generator fail: \(error)")
  }
}

// MARK: - Seeds: the real schemas, alone and with their imports

/// The committed schemas, read from the repository (run from its root, as scripts/fuzz does),
/// each alone and the ones with imports bundled with them; plus a few small edge cases.
func schemaSeeds() -> [Seed] {
  let schemas: [(path: String, text: String)] = [
    ("bench/v1/bench.proto", "Schemas"),
    ("courier/v1/auth.proto", "Schemas"),
    ("courier/v1/options.proto", "Schemas"),
    ("courier/v1/protocol.proto", "Schemas"),
    ("grpc/health/v1/health.proto", "Schemas"),
    ("ledger/v1/ledger.proto", "Schemas"),
    ("courier/test/v1/messages.proto", "Tests/Schemas"),
    ("courier/test/v1/names.proto", "Tests/Schemas"),
    ("courier/test/v1/scalars.proto", "Tests/Schemas"),
    ("courier/test/v1/scopes.proto", "Tests/Schemas"),
    ("courier/test/v1/services.proto", "Tests/Schemas"),
    ("global_names.proto", "Tests/Schemas"),
  ].map { path, root in (path, readSchema(root + "/" + path)) }
  func text(_ path: String) -> String { schemas.first { $0.path == path }!.text }

  var seeds: [Seed] = []
  for schema in schemas {
    let name = schema.path.split(separator: "/").joined(separator: "-")
    seeds.append(Seed(name, Array(schema.text.utf8)))
  }
  let scalars = ("courier/test/v1/scalars.proto", text("courier/test/v1/scalars.proto"))
  let messages = ("courier/test/v1/messages.proto", text("courier/test/v1/messages.proto"))
  let options = ("courier/v1/options.proto", text("courier/v1/options.proto"))
  seeds.append(Seed("bundle-ledger-with-import", SchemaBundle.join(text("ledger/v1/ledger.proto"), [options])))
  seeds.append(Seed("bundle-scopes-with-imports", SchemaBundle.join(text("courier/test/v1/scopes.proto"), [messages, options])))
  seeds.append(Seed("bundle-names-with-import", SchemaBundle.join(text("courier/test/v1/names.proto"), [scalars])))
  seeds.append(Seed("bundle-services-with-import", SchemaBundle.join(text("courier/test/v1/services.proto"), [messages])))
  seeds.append(Seed("bundle-global-names-with-import", SchemaBundle.join(text("global_names.proto"), [scalars])))
  seeds.append(
    Seed(
      "bundle-import-cycle",
      SchemaBundle.join(
        "syntax = \"proto3\";\npackage a;\nimport \"b.proto\";\nmessage A { b.B b = 1; }\n",
        [("b.proto", "syntax = \"proto3\";\npackage b;\nimport public \"input.proto\";\nmessage B { a.A a = 1; }\n")])))
  seeds.append(
    Seed(
      "edge-options-and-literals",
      Array(
        """
        syntax = "proto3";
        package edge.v1;
        option java_package = "x\\x41\\101\\u00e9\\U0001F600";
        option (custom).nested = { a: 1 b: [1, 2] c { d: -inf } };
        enum E { option allow_alias = true; E0 = 0; E1 = 1; ALIAS = 1 [deprecated = true]; NEG = -2147483648; }
        message M {
          reserved 2, 15, 9 to 11, 100 to max;
          reserved "foo", "bar";
          map<string, M> children = 1 [json_name = "kids"];
          oneof o { float f = 3 [default = 1e10]; bytes b = 4; }
          optional sint64 s = 5;
          repeated E es = 6 [packed = true];
          int32 hex = 0x1FFFFFFF;
          message N { message O { M m = 1; } }
        }
        service S { rpc Call(stream M) returns (stream M.N.O) { option idempotency_level = NO_SIDE_EFFECTS; } }

        """.utf8)))
  seeds.append(
    Seed(
      "edge-custom-options",
      Array(
        """
        syntax = "proto3";
        package ext.v1;
        import "google/protobuf/descriptor.proto";
        extend google.protobuf.FieldOptions { int32 weight = 50000; repeated string tags = 50001; }
        extend google.protobuf.MessageOptions { bool sealed = 50002; Kind kind = 50003; }
        extend google.protobuf.EnumValueOptions { double ratio = 50004; }
        enum Kind { KIND_UNSPECIFIED = 0 [(ratio) = -inf]; KIND_A = 1 [(ext.v1.ratio) = 0.5]; }
        message M {
          option (sealed) = true;
          option (.ext.v1.kind) = KIND_A;
          int32 x = 1 [(weight) = -3, (ext.v1.tags) = "a", deprecated = true];
        }

        """.utf8)))
  seeds.append(Seed("edge-proto2-and-groups", Array("syntax = \"proto2\";\nmessage G { optional group Inner = 1 { required int32 x = 2; } extensions 100 to 199; }\n".utf8)))
  seeds.append(Seed("edge-unterminated", Array("syntax = \"proto3\";\n/* open\nmessage A { string s = 1 [default = \"\\".utf8)))
  return seeds
}

/// The contents of a file under the repository root, which must exist.
func readSchema(_ path: String) -> String {
  switch PosixFileSystem().read(path, byteCountMax: 1 << 20) {
  case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
  default: fatalError("cannot read \(path): run from the repository root")
  }
}
