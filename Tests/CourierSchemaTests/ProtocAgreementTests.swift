import CourierTestSupport
import Foundation
import Testing
@testable import CourierSchema

/// The real `protoc`, when installed (`.ci/run` installs it), as an oracle for what to accept.
enum ProtocOracle {
  static let executable: String? = ["/usr/bin/protoc", "/usr/local/bin/protoc", "/opt/homebrew/bin/protoc"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  /// Whether `protoc` accepts `source` as a single file.
  static func accepts(_ source: String) async throws -> Bool {
    guard let executable else { throw CocoaError(.fileNoSuchFile) }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("courier-schema-oracle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(source.utf8).write(to: directory.appendingPathComponent("case.proto"))
    let result = try await Subprocess.run(
      executable, ["-I" + directory.path, "--descriptor_set_out=/dev/null", "case.proto"])
    return result.status == 0
  }
}

/// Courier accepts exactly the schemas protoc accepts, on a corpus that touches every check.
/// Deliberate differences are left out: Courier accepts unknown built-in options (`option
/// weird = 1;`; unknown custom options are errors in both); it rejects proto2 and files
/// without `syntax = "proto3"`, repeated and message-typed extensions (custom options hold one
/// scalar, string, bytes or enum value), and two things protoc 3.21 lets by: inverted message
/// reserved ranges (`reserved 9 to 5;`) and an explicit `option map_entry = true;`.
@Suite(.enabled(if: ProtocOracle.executable != nil, "protoc is not installed (apt-get install -y protobuf-compiler)"))
struct ProtocAgreementTests {
  static let valid = """
    syntax = "proto3";
    package shop.v1;
    option java_package = "com.shop";
    message Order {
      message Line { string sku = 1; int32 quantity = 2; }
      enum State { option allow_alias = true; STATE_NONE = 0; STATE_OPEN = 1; STATE_ACTIVE = 1; }
      string id = 1;
      repeated Line lines = 2;
      map<string, Line> by_sku = 3;
      optional State state = 4 [deprecated = true];
      oneof payment { string card = 5; bytes token = 6; }
      reserved 7, 9 to 11, 1000 to max;
      reserved "old";
      .shop.v1.Order.Line first = 12;
      repeated State history = 13 [packed = true];
    }
    service Shop {
      rpc Place(Order) returns (Order) { option idempotency_level = IDEMPOTENT; }
      rpc Watch(stream Order.Line) returns (stream .shop.v1.Order);
    }
    """

  static let cases: [String] = [
    valid,
    "syntax = \"proto3\";\nmessage A { int32 x = 1; int32 x = 2; }",
    "syntax = \"proto3\";\nmessage A { int32 x = 1; int32 y = 1; }",
    "syntax = \"proto3\";\nmessage A { int32 x = 0; }",
    "syntax = \"proto3\";\nmessage A { int32 x = 19500; }",
    "syntax = \"proto3\";\nmessage A { int32 x = 536870912; }",
    "syntax = \"proto3\";\nmessage A { int32 x = 536870911; }",
    "syntax = \"proto3\";\nmessage A { reserved 3; int32 x = 3; }",
    "syntax = \"proto3\";\nmessage A { reserved \"x\"; int32 x = 1; }",
    "syntax = \"proto3\";\nmessage A { reserved 1 to 5, 5 to 9; }",
    "syntax = \"proto3\";\nenum E { ONE = 1; }",
    "syntax = \"proto3\";\nenum E { ZERO = 0; ALSO = 0; }",
    "syntax = \"proto3\";\nenum E { option allow_alias = true; ZERO = 0; }",
    "syntax = \"proto3\";\nenum E { E_ZERO = 0; } enum F { E_ZERO = 0; }",
    "syntax = \"proto3\";\nenum MyEnum { MY_ENUM_A = 0; A = 1; }",
    "syntax = \"proto3\";\nenum E { ZERO = 0; BIG = 2147483648; }",
    "syntax = \"proto3\";\nmessage A { map<float, int32> m = 1; }",
    "syntax = \"proto3\";\nmessage A { map<bytes, int32> m = 1; }",
    "syntax = \"proto3\";\nenum E { Z = 0; } message A { map<E, int32> m = 1; }",
    "syntax = \"proto3\";\nmessage A { repeated map<string, int32> m = 1; }",
    "syntax = \"proto3\";\nmessage A { map<string, map<string, int32>> m = 1; }",
    "syntax = \"proto3\";\nmessage A { oneof o { repeated int32 x = 1; } }",
    "syntax = \"proto3\";\nmessage A { oneof o { map<string, int32> m = 1; } }",
    "syntax = \"proto3\";\nmessage A { Missing m = 1; }",
    "syntax = \"proto3\";\npackage p;\nmessage A { p.S s = 1; } service S {}",
    "syntax = \"proto3\";\nmessage A {} enum E { Z = 0; } service S { rpc M(E) returns (A); }",
    "syntax = \"proto3\";\nmessage A {} service S { rpc M(A) returns (A); rpc M(A) returns (A); }",
    "syntax = \"proto3\";\nmessage Foo { message Bar {} } message Baz { message Foo {} Foo.Bar b = 1; }",
    "syntax = \"proto3\";\nmessage Foo { message Bar {} } message Baz { message Foo {} .Foo.Bar b = 1; }",
    "syntax = \"proto3\";\nmessage A { int32 foo_bar = 1; int32 fooBar = 2; }",
    "syntax = \"proto3\";\nmessage A { map<string, string> labels = 1; message LabelsEntry {} }",
    "syntax = \"proto3\";\nmessage A { repeated string s = 1 [packed = true]; }",
    "syntax = \"proto3\";\nmessage A { int32 x = 1 [default = 3]; }",
    "syntax = \"proto3\";\nmessage A { required int32 x = 1; }",
    "syntax = \"proto3\";\nmessage A { extensions 100 to 200; }",
    "syntax = \"proto3\";\nmessage A { oneof o {} }",
    "syntax = \"proto3\";\nmessage A { int32 x = 1 [deprecated = 1]; }",
    "syntax = \"proto3\";\nmessage A {} service S { rpc M(A) returns (A) { option idempotency_level = SOMETIMES; } }",
  ] + customOptionCases

  /// Extend blocks and custom options (one file each, importing descriptor.proto, which protoc
  /// finds next to itself).
  static let customOptionCases: [String] = [
    validCustomOptions,
    options("message M { option (foo.bar) = 1; }"),
    options("extend google.protobuf.MethodOptions { string e = 50001; }\nmessage M { option (e) = \"x\"; }"),
    options("extend google.protobuf.MessageOptions { string e = 50001; }\nmessage M { option (e) = 1; }"),
    options("extend google.protobuf.MessageOptions { int32 e = 50001; }\nmessage M { option (e) = 2147483648; }"),
    options("extend google.protobuf.MessageOptions { uint32 e = 50001; }\nmessage M { option (e) = -1; }"),
    options("extend google.protobuf.MessageOptions { bool e = 50001; }\nmessage M { option (e) = 1; }"),
    options(
      "enum L { L_A = 0; } enum O { O_X = 0; }\nextend google.protobuf.MessageOptions { L e = 50001; }\n"
        + "message M { option (e) = O_X; }"),
    options("extend google.protobuf.MessageOptions { string e = 50001; }\nmessage M { option (e).sub = \"x\"; }"),
    options("extend google.protobuf.MessageOptions { string e = 50001; }\nmessage M { option (e) = \"a\"; option (p.e) = \"b\"; }"),
    options("message b {}\nextend google.protobuf.MessageOptions { int32 e = 50001; }\nmessage M { option (b.e) = 1; }"),
    options("extend google.protobuf.FieldOptions { string e = 50001; }\nmessage M { string e = 1 [(e) = \"x\"]; }"),
    options("message Foo {}\nextend Foo { string e = 1; }"),
    options("extend google.protobuf.ExtensionRangeOptions { string e = 50001; }"),
    options("extend google.protobuf.MethodOptions { string e = 50001; string f = 50001; }"),
    options("extend google.protobuf.MethodOptions { string e = 999; }"),
    options("extend google.protobuf.MethodOptions { string e = 19500; }"),
    options("extend google.protobuf.MethodOptions { string e = 50001; }\nmessage e {}"),
    options("extend google.protobuf.MethodOptions { map<string, string> e = 50001; }"),
    options("extend google.protobuf.MethodOptions { string e = 50001 [json_name = \"x\"]; }"),
    options("extend google.protobuf.MethodOptions { }"),
    options("extend google.protobuf.MethodOptions { ; string e = 50001; }"),
    "syntax = \"proto3\";\npackage p;\nextend google.protobuf.MethodOptions { string e = 50001; }",
  ]

  /// A proto3 file in package `p` that imports descriptor.proto, then `body`.
  static func options(_ body: String) -> String {
    "syntax = \"proto3\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\n" + body
  }

  static let validCustomOptions = options("""
    enum Level { LEVEL_NONE = 0; LEVEL_HIGH = 1; }
    extend google.protobuf.FileOptions { string owner = 50001; }
    extend .google.protobuf.MessageOptions { Level level = 50002; }
    extend google.protobuf.FieldOptions { bool sensitive = 50003; optional double weight = 50004; }
    extend google.protobuf.OneofOptions { int64 o = 50005; }
    extend google.protobuf.EnumOptions { uint32 e = 50006; }
    extend google.protobuf.EnumValueOptions { sint32 v = 50007; }
    extend google.protobuf.ServiceOptions { bytes s = 50008; }
    extend google.protobuf.MethodOptions { string required_scope = 50009 [(sensitive) = true]; }
    option (owner) = "ledger";
    message M {
      option (.p.level) = LEVEL_HIGH;
      string secret = 1 [(sensitive) = true, (p.weight) = -2];
      oneof choice { option (o) = -9223372036854775808; int32 a = 2; }
    }
    enum E { option (e) = 4294967295; E_ZERO = 0 [(v) = -1]; }
    service S {
      option (s) = "\\001";
      rpc A(M) returns (M) { option (required_scope) = "ledger.write"; option idempotency_level = IDEMPOTENT; }
    }
    """)

  /// protoc compiles the repository's schemas that use Courier's options.
  @Test(arguments: [
    (["Schemas"], "courier/v1/options.proto"), (["Schemas"], "ledger/v1/ledger.proto"),
    (["Tests/Schemas", "Schemas"], "courier/test/v1/scopes.proto"),
  ])
  func protocAcceptsTheRepositorySchemas(roots: [String], file: String) async throws {
    let executable = try #require(ProtocOracle.executable)
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
    let includes = roots.map { "-I" + packageRoot + "/" + $0 }
    let result = try await Subprocess.run(executable, includes + ["--descriptor_set_out=/dev/null", file])
    #expect(result.status == 0, "\(result.errorText)")
    let ours = SchemaCompiler(protoPaths: roots.map { packageRoot + "/" + $0 }).compile([file])
    #expect(ours.diagnostics.map(\.description) == [])
  }

  @Test(arguments: cases.indices) func sameVerdictAsProtoc(index: Int) async throws {
    let source = Self.cases[index]
    let ours = compile(["case.proto": source])
    let protocAccepts = try await ProtocOracle.accepts(source)
    #expect(
      (ours.schemaSet != nil) == protocAccepts,
      "protoc \(protocAccepts ? "accepts" : "rejects"); Courier says \(ours.diagnostics.map(\.description)):\n\(source)")
  }
}
