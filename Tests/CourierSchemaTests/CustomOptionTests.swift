import Testing
@testable import CourierSchema

/// A copy of Schemas/courier/v1/options.proto's declaration (these tests read no disk).
let courierOptionsSource = """
  syntax = "proto3";
  package courier.v1;
  import "google/protobuf/descriptor.proto";
  extend google.protobuf.MethodOptions { string required_scope = 50501; }
  """

/// Custom options: `(name)` resolved to an extension with protoc's scoping, used at the level
/// it extends, with a value of its type.
@Suite struct CustomOptionTests {
  @Test func requiredScopeResolvesRelativelyAndFullyQualified() throws {
    let result = compile(
      [
        "courier/v1/options.proto": courierOptionsSource,
        "app.proto": """
          syntax = "proto3";
          package courier.v1.app;
          import "courier/v1/options.proto";
          message M {}
          service S {
            rpc Relative(M) returns (M) { option (required_scope) = "a"; }
            rpc Partial(M) returns (M) { option (v1.required_scope) = "b"; }
            rpc Qualified(M) returns (M) { option (courier.v1.required_scope) = "c"; }
            rpc Leading(M) returns (M) { option (.courier.v1.required_scope) = "d"; }
            rpc None(M) returns (M);
          }
          """,
      ], inputs: ["app.proto"])
    #expect(result.diagnostics.map(\.description) == [])
    let methods = try #require(result.schemaSet?.file("app.proto")?.services.first?.methods)
    #expect(methods.map(\.requiredScope) == ["a", "b", "c", "d", nil])
    #expect(methods.first?.customOptions == [CourierOptions.requiredScope: .string("a")])
    #expect(methods.first?.options.map(\.name) == ["(required_scope)"])
  }

  /// As in protoc, a dotted name whose first part is found in an inner scope is not searched
  /// further out.
  @Test func innermostScopeFirst() {
    let result = compile(
      [
        "courier/v1/options.proto": courierOptionsSource,
        "app.proto": """
          syntax = "proto3";
          package courier.test.v1;
          import "courier/v1/options.proto";
          message M {}
          service S {
            rpc A(M) returns (M) { option (v1.required_scope) = "x"; }
          }
          """,
      ], inputs: ["app.proto"])
    #expect(result.diagnostics.map(\.description) == [
      "app.proto:6:33: error: option \"(v1.required_scope)\" is resolved to \"(courier.test.v1.required_scope)\","
        + " which is not defined; the innermost scope is searched first in name resolution (use a leading \".\","
        + " i.e. \"(.v1.required_scope)\", to start from the outermost scope)",
    ])
  }

  @Test func unknownOptionsAreErrors() {
    let result = compile(
      [
        "courier/v1/options.proto": courierOptionsSource,
        "middle.proto": "syntax = \"proto3\";\nimport \"courier/v1/options.proto\";\n",
        "app.proto": file("""
          import "middle.proto";
          option (foo.bar) = 1;
          message M { option (M) = 1; }
          service S {
            rpc A(M) returns (M) { option (courier.v1.required_scope) = "x"; }
          }
          """),
      ], inputs: ["app.proto"])
    let unknown = "unknown; ensure that your proto definition file imports the proto which defines the option"
    #expect(result.diagnostics.map(\.description) == [
      "app.proto:4:8: error: option \"(foo.bar)\" " + unknown,
      "app.proto:5:20: error: option \"(M)\" " + unknown,
      "app.proto:7:33: error: option \"(courier.v1.required_scope)\" unknown; \"courier.v1.required_scope\" is"
        + " defined in courier/v1/options.proto, which is not imported by app.proto",
    ])
  }

  @Test func anExtensionIsUsedOnlyAtTheLevelItExtends() {
    let wrongLevel = { (message: String) in
      "error: option field \"(scope)\" is not a field or extension of message \"\(message)\" (\"t.scope\" extends"
        + " \"google.protobuf.MethodOptions\")"
    }
    #expect(diagnostics(optionsFile("""
      extend google.protobuf.MethodOptions { string scope = 50001; }
      option (scope) = "x";
      message M { option (scope) = "x"; string f = 1 [(scope) = "x"]; oneof o { option (scope) = "x"; int32 g = 2; } }
      enum E { option (scope) = "x"; E_ZERO = 0 [(scope) = "x"]; }
      service S { option (scope) = "x"; rpc A(M) returns (M) { option (scope) = "ok"; } }
      """)) == [
        "test.proto:5:8: " + wrongLevel("FileOptions"),
        "test.proto:6:20: " + wrongLevel("MessageOptions"),
        "test.proto:6:49: " + wrongLevel("FieldOptions"),
        "test.proto:6:82: " + wrongLevel("OneofOptions"),
        "test.proto:7:17: " + wrongLevel("EnumOptions"),
        "test.proto:7:44: " + wrongLevel("EnumValueOptions"),
        "test.proto:8:20: " + wrongLevel("ServiceOptions"),
      ])
  }

  /// protoc looks an option up from the scope that declares the element carrying it (the
  /// message for a field, the service for an rpc, the enclosing scope for a message), and any
  /// symbol it finds first hides the extension.
  @Test func optionsAreLookedUpLikeProtoc() throws {
    let unknown = "unknown; ensure that your proto definition file imports the proto which defines the option"
    #expect(diagnostics(optionsFile("""
      extend google.protobuf.FieldOptions { string label = 50001; }
      extend google.protobuf.MessageOptions { string tag = 50002; }
      extend google.protobuf.MethodOptions { string scope = 50003; }
      message M { string label = 1 [(label) = "x"]; string other = 2 [(.t.label) = "y"]; }
      message N { message Inner { option (tag) = "x"; } message tag {} }
      message M2 {}
      service S { rpc scope(M2) returns (M2) { option (scope) = "x"; } }
      """)) == [
        "test.proto:7:31: error: option field \"(label)\" is not a field or extension of message \"FieldOptions\"",
        "test.proto:8:36: error: option \"(tag)\" " + unknown,
        "test.proto:10:49: error: option \"(scope)\" " + unknown,
      ])
    // A field of the message does not hide an extension from the message's own options.
    let parsed = try #require(checkedFile(optionsFile("""
      extend google.protobuf.MessageOptions { string tag = 50002; }
      message M { option (tag) = "x"; string tag = 1; }
      """)))
    #expect(parsed.messages.first?.customOptions == ["t.tag": .string("x")])
  }

  @Test func scalarOptionsHaveNoSubfields() {
    #expect(diagnostics(optionsFile("""
      extend google.protobuf.MethodOptions { string scope = 50001; }
      message M {}
      service S { rpc A(M) returns (M) { option (scope).part = "x"; } }
      """)) == [
        "test.proto:6:43: error: option \"(scope)\" is an atomic type, not a message",
      ])
  }

  static let typedOptions = """
    enum Level { LEVEL_NONE = 0; LEVEL_HIGH = 1; }
    enum Other { OTHER_X = 0; }
    extend google.protobuf.MessageOptions {
      string s = 50001; bytes by = 50002; bool b = 50003; double d = 50004; float f = 50005;
      int32 i32 = 50006; sint64 i64 = 50007; uint32 u32 = 50008; fixed64 u64 = 50009; Level level = 50010;
    }

    """

  @Test func valuesAreConvertedToTheExtensionsType() throws {
    let source = optionsFile(Self.typedOptions + """
      message Good {
        option (s) = "text"; option (by) = "\\001"; option (b) = false; option (d) = 3; option (f) = -inf;
        option (i32) = -2147483648; option (i64) = 9223372036854775807; option (u32) = 4294967295;
        option (u64) = 18446744073709551615; option (level) = LEVEL_HIGH;
      }
      """)
    let parsed = try #require(checkedFile(source), "\(diagnostics(source))")
    #expect(parsed.messages.first?.customOptions == [
      "t.s": .string("text"), "t.by": .string("\u{1}"), "t.b": .bool(false), "t.d": .float(3),
      "t.f": .float(-.infinity), "t.i32": .integer(-2_147_483_648), "t.i64": .integer(.max),
      "t.u32": .unsignedInteger(4_294_967_295), "t.u64": .unsignedInteger(.max), "t.level": .identifier("LEVEL_HIGH"),
    ])
  }

  @Test func valuesOfTheWrongTypeAreErrors() {
    #expect(diagnostics(optionsFile(Self.typedOptions + """
      message A { option (s) = 1; }
      message B { option (by) = ident; }
      message C { option (b) = 1; }
      message D { option (d) = "x"; }
      message E { option (i32) = 2147483648; }
      message F { option (i32) = 1.5; }
      message G { option (i64) = 9223372036854775808; }
      message H { option (u32) = -1; }
      message I { option (u32) = 4294967296; }
      message J { option (level) = "LEVEL_HIGH"; }
      message K { option (level) = LEVEL_MISSING; }
      message L { option (level) = OTHER_X; }
      message N { option (f) = { x: 1 }; }
      """)) == [
        "test.proto:10:26: error: value must be a quoted string for string option \"t.s\"",
        "test.proto:11:27: error: value must be a quoted string for string option \"t.by\"",
        "test.proto:12:26: error: value must be \"true\" or \"false\" for boolean option \"t.b\"",
        "test.proto:13:26: error: value must be a number for double option \"t.d\"",
        "test.proto:14:28: error: value out of range for int32 option \"t.i32\"",
        "test.proto:15:28: error: value must be an integer for int32 option \"t.i32\"",
        "test.proto:16:28: error: value out of range for sint64 option \"t.i64\"",
        "test.proto:17:28: error: value must be a non-negative integer for uint32 option \"t.u32\"",
        "test.proto:18:28: error: value out of range for uint32 option \"t.u32\"",
        "test.proto:19:30: error: value must be an identifier for enum-valued option \"t.level\"",
        "test.proto:20:30: error: enum type \"t.Level\" has no value named \"LEVEL_MISSING\" for option \"t.level\"",
        "test.proto:21:30: error: enum type \"t.Level\" has no value named \"OTHER_X\" for option \"t.level\"; this"
          + " appears to be a value from a sibling type",
        "test.proto:22:26: error: value must be a number for float option \"t.f\"",
      ])
  }

  @Test func anOptionIsSetOnce() {
    #expect(diagnostics(optionsFile("""
      extend google.protobuf.MessageOptions { string s = 50001; }
      message M { option (s) = "a"; option (t.s) = "b"; option (s) = "c"; }
      """)) == [
        "test.proto:5:38: error: option \"(t.s)\" was already set",
        "test.proto:5:58: error: option \"(s)\" was already set",
      ])
  }

  @Test func everyDeclarationCarriesItsCustomOptions() throws {
    let source = optionsFile("""
      extend google.protobuf.FileOptions { string file_opt = 50001; }
      extend google.protobuf.MessageOptions { string message_opt = 50002; }
      extend google.protobuf.FieldOptions { bool field_opt = 50003; }
      extend google.protobuf.OneofOptions { int32 oneof_opt = 50004; }
      extend google.protobuf.EnumOptions { uint64 enum_opt = 50005; }
      extend google.protobuf.EnumValueOptions { double value_opt = 50006; }
      extend google.protobuf.ServiceOptions { string service_opt = 50007; }
      extend google.protobuf.MethodOptions { string method_opt = 50008 [(field_opt) = true]; }
      option (file_opt) = "f";
      message M {
        option (message_opt) = "m";
        oneof o { option (oneof_opt) = -4; int32 x = 1 [(field_opt) = false]; }
      }
      enum E { option (enum_opt) = 5; E_ZERO = 0 [(value_opt) = 6.5]; }
      service S { option (service_opt) = "s"; rpc A(M) returns (M) { option (method_opt) = "a"; } }
      """)
    let parsed = try #require(checkedFile(source), "\(diagnostics(source))")
    #expect(parsed.customOptions == ["t.file_opt": .string("f")])
    let message = try #require(parsed.messages.first)
    #expect(message.customOptions == ["t.message_opt": .string("m")])
    #expect(message.oneofs.first?.customOptions == ["t.oneof_opt": .integer(-4)])
    #expect(message.fields.first?.customOptions == ["t.field_opt": .bool(false)])
    #expect(parsed.enums.first?.customOptions == ["t.enum_opt": .unsignedInteger(5)])
    #expect(parsed.enums.first?.values.first?.customOptions == ["t.value_opt": .float(6.5)])
    #expect(parsed.services.first?.customOptions == ["t.service_opt": .string("s")])
    #expect(parsed.services.first?.methods.first?.customOptions == ["t.method_opt": .string("a")])
    #expect(parsed.extensions.last?.customOptions == ["t.field_opt": .bool(true)])
  }

  /// The option `(courier.v1.required_scope)` of the repository's own schema file.
  @Test func courierOptionsAreNamedInTheModel() {
    #expect(CourierOptions.requiredScope == "courier.v1.required_scope")
    let method = MethodDecl(
      name: "A", inputType: "M", outputType: "M", customOptions: [CourierOptions.requiredScope: .string("x.y")],
      location: SourceLocation(file: "a.proto", line: 1, column: 1))
    #expect(method.requiredScope == "x.y")
  }
}
