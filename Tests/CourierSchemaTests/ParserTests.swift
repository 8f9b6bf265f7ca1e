import Testing
@testable import CourierSchema

@Suite struct ParserTests {
  func parse(_ source: String) -> ParsedFile {
    Parser.parse(source: Array(source.utf8), path: "p.proto", nestingDepthMax: 100)
  }

  @Test func syntaxStatementIsRequiredAndMustBeProto3() {
    #expect(diagnostics("message A {}") == [
      "test.proto:1:1: error: missing syntax statement; add syntax = \"proto3\"; as the first statement"
        + " (protoc assumes proto2)",
    ])
    #expect(diagnostics("syntax = \"proto2\";") == [
      "test.proto:1:10: error: proto2 is not supported; use syntax = \"proto3\"",
    ])
    #expect(diagnostics("edition = \"2023\";") == [
      "test.proto:1:1: error: editions are not supported; use syntax = \"proto3\"",
    ])
    #expect(diagnostics("syntax = \"proto4\";") == [
      "test.proto:1:10: error: unrecognized syntax \"proto4\"; use syntax = \"proto3\"",
    ])
    #expect(diagnostics("syntax = \"pro\" \"to3\";\npackage p;\nsyntax = \"proto3\";") == [
      "test.proto:3:1: error: the syntax statement must be the first statement of the file",
    ])
  }

  @Test func proto2OnlyConstructsAreRejected() {
    #expect(diagnostics(file("""
      message A {
        required int32 a = 1;
        repeated group Result = 2 { string url = 3; }
        extensions 100 to 199;
        int32 b = 4 [default = 3];
        extend google.protobuf.FieldOptions { string my_option = 51234; }
      }
      """)) == [
        "test.proto:4:3: error: required fields are not allowed in proto3",
        "test.proto:5:12: error: groups are not supported in proto3; use a nested message",
        "test.proto:6:3: error: extensions are not supported in proto3 schemas",
        "test.proto:7:16: error: explicit default values are not allowed in proto3",
        "test.proto:8:3: error: extend blocks are only supported at the top level of a file, to declare custom options",
      ])
  }

  @Test func extendBlocks() {
    let syntax = parse("""
      syntax = "proto3";
      extend .google.protobuf.MethodOptions {
        // The scope.
        string required_scope = 50501 [deprecated = true];
        optional Level level = 50502;
      }
      """).syntax
    let block = syntax.extends.first
    #expect(block?.extendee.text == ".google.protobuf.MethodOptions")
    #expect(block?.fields.map(\.name.text) == ["required_scope", "level"])
    #expect(block?.fields.map(\.number) == [50501, 50502])
    #expect(block?.fields.first?.documentation == "The scope.")
    #expect(block?.fields.first?.options.map(\.name) == ["deprecated"])
    #expect(block?.fields.last?.label == .optional)
  }

  /// As in protoc, an extend block holds at least one field, and no empty statements.
  @Test func malformedExtendBlocks() {
    #expect(diagnostics(file("""
      extend google.protobuf.MethodOptions {}
      extend google.protobuf.MethodOptions { ; string a = 50001; }
      extend int32 { string b = 50002; }
      extend google.protobuf.MethodOptions { string c = 50003; message M {} }
      message After {}
      """)) == [
        "test.proto:3:39: error: an extend block must declare at least one field",
        "test.proto:4:40: error: expected field type, found \";\"",
        "test.proto:5:8: error: expected a message type to extend, found scalar type \"int32\"",
        "test.proto:6:68: error: expected \"=\", found \"{\"",
      ])
  }

  @Test func everySyntaxErrorInAFileIsReported() {
    #expect(diagnostics(file("""
      message A {
        int32 = 1;
        string name 2;
        Foo foo = ;
        int32 ok = 4;
      }
      message { }
      enum E { E_ZERO = 0 E_ONE = 1; }
      service S { rpc M(A) (A); rpc N(A) returns (A) }
      bogus;
      message B { int32 x = 1 }
      """)) == [
        "test.proto:4:9: error: expected field name, found \"=\"",
        "test.proto:5:15: error: expected \"=\", found \"2\"",
        "test.proto:6:13: error: expected field number, found \";\"",
        "test.proto:9:9: error: expected message name, found \"{\"",
        "test.proto:10:21: error: expected \";\", found \"E_ONE\"",
        "test.proto:11:22: error: expected \"returns\", found \"(\"",
        "test.proto:11:48: error: expected \";\", found \"}\"",
        "test.proto:12:1: error: expected a top-level statement (e.g. \"message\"), found \"bogus\"",
        "test.proto:13:25: error: expected \";\", found \"}\"",
      ])
  }

  @Test func semanticErrorsOfAFileWithSyntaxErrorsAreNotReported() {
    // The lost enum value would otherwise make E look empty, and Missing is not worth a report
    // until the syntax is right.
    #expect(diagnostics(file("enum E { E_ZERO = 0 }\nmessage A { Missing m = 1; }\n")) == [
      "test.proto:3:21: error: expected \";\", found \"}\"",
    ])
  }

  @Test func recoveryKeepsTheRestOfTheBlock() {
    let parsed = parse("syntax = \"proto3\";\nmessage A { int32 = 1; int32 b = 2; message C { } }\nmessage D {}")
    #expect(parsed.diagnostics.count == 1)
    #expect(parsed.syntax.messages.map(\.name.text) == ["A", "D"])
    #expect(parsed.syntax.messages.first?.fields.map(\.name.text) == ["b"])
    #expect(parsed.syntax.messages.first?.messages.map(\.name.text) == ["C"])
  }

  @Test func unclosedBlocksReportTheEndOfFileOnce() {
    #expect(diagnostics("syntax = \"proto3\";\nmessage A {\n  message B {\n    int32 x = 1;\n") == [
      "test.proto:5:1: error: reached end of file inside message \"B\" (missing \"}\")",
    ])
  }

  @Test func emptyStatementsAreAllowedEverywhere() {
    #expect(diagnostics(file("""
      ;
      message A { ; int32 x = 1; ; oneof o { int32 y = 2; } }
      enum E { ; E_ZERO = 0; ; }
      service S { ; rpc M(A) returns (A) { ; } ; }
      """)) == [])
  }

  @Test func importsPackageAndOptions() {
    let syntax = parse("""
      syntax = "proto3";
      package a.b;
      import "x.proto";
      import public "y.proto";
      import weak "z.proto";
      option (p).q = { a: [1, 2] b { c: "}" } };
      """).syntax
    #expect(syntax.package?.text == "a.b")
    #expect(syntax.imports.map { "\($0.path) \($0.kind)" } == ["x.proto normal", "y.proto public", "z.proto weak"])
    #expect(syntax.options.first?.value == .aggregate("{ a: [1, 2] b { c: \"}\" } }"))
  }

  @Test func streamingShapesAndMethodBodies() {
    let methods = parse("""
      syntax = "proto3";
      service S {
        rpc Unary(A) returns (B);
        rpc ClientStream(stream A) returns (B);
        rpc ServerStream(A) returns (stream B) {}
        rpc Bidi(stream .p.A) returns (stream p.B) { option deprecated = true; };
        rpc Keyword(stream.A) returns (B);
      }
      """).syntax.services.first?.methods ?? []
    #expect(methods.map { "\($0.name.text) \($0.clientStreaming) \($0.input.text) \($0.serverStreaming) \($0.output.text)" } == [
      "Unary false A false B",
      "ClientStream true A false B",
      "ServerStream false A true B",
      "Bidi true .p.A true p.B",
      "Keyword true .A false B",
    ])
    #expect(methods[3].options.map(\.name) == ["deprecated"])
  }

  @Test func reservedStatements() {
    let message = parse("""
      syntax = "proto3";
      message A { reserved 1, 3 to 5, 10 to max; reserved "a", "b"; }
      enum E { reserved -3 to -1, 7; reserved "X"; }
      """).syntax
    let ranges = message.messages.first?.reserved.first?.ranges.map { "\($0.start) \($0.end) \($0.endIsMax)" }
    #expect(ranges == ["1 1 false", "3 5 false", "10 10 true"])
    #expect(message.messages.first?.reserved.last?.names.map(\.text) == ["a", "b"])
    #expect(message.enums.first?.reserved.first?.ranges.map(\.start) == [-3, 7])
    #expect(diagnostics(file("message A { reserved foo; reserved 1, \"x\"; }")) == [
      "test.proto:3:22: error: reserved names must be quoted strings in proto3 (reserved \"foo\";)",
      "test.proto:3:39: error: expected a reserved number or name, found string literal \"x\"",
    ])
  }

  @Test func keywordsAreNotReserved() throws {
    let message = try #require(checkedFile(file("""
      message message { int32 syntax = 1; int32 option = 2; int32 package = 3; }
      message stream { .t.message returns = 1; }
      enum enum { reserved_ = 0; }
      """))?.messages)
    #expect(message.map(\.name) == ["message", "stream"])
    #expect(message[1].fields.first?.type == .message("t.message"))
  }
}
