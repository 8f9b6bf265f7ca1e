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
/// Deliberate differences are left out: Courier accepts unknown options; it rejects proto2 and
/// files without `syntax = "proto3"`, and two things protoc 3.21 lets by: inverted message
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
  ]

  @Test(arguments: cases.indices) func sameVerdictAsProtoc(index: Int) async throws {
    let source = Self.cases[index]
    let ours = compile(["case.proto": source])
    let protocAccepts = try await ProtocOracle.accepts(source)
    #expect(
      (ours.schemaSet != nil) == protocAccepts,
      "protoc \(protocAccepts ? "accepts" : "rejects"); Courier says \(ours.diagnostics.map(\.description)):\n\(source)")
  }
}
