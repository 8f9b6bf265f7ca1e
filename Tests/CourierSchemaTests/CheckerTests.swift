import Testing
@testable import CourierSchema

/// Each check of the checker, with the exact `file:line:col: error: message` it reports.
/// `file(_:)` puts the body on line 3, after `syntax` and `package t;`.
@Suite struct CheckerTests {
  @Test func duplicateNamesInAScope() {
    #expect(diagnostics(file("""
      message A {
        int32 x = 1;
        string x = 2;
        message x {}
      }
      message A {}
      """)) == [
        "test.proto:5:10: error: \"x\" is already defined in \"t.A\"",
        "test.proto:6:11: error: \"x\" is already defined in \"t.A\"",
        "test.proto:8:9: error: \"A\" is already defined in \"t\"",
      ])
  }

  @Test func enumValuesAreScopedLikeCPlusPlus() {
    #expect(diagnostics(file("enum A { NONE = 0; }\nenum B { NONE = 0; }\n")) == [
      "test.proto:4:10: error: \"NONE\" is already defined in \"t\"; enum values use C++ scoping rules (they"
        + " are siblings of their enum, not children of it), so \"NONE\" must be unique within \"t\", not just"
        + " within \"B\"",
    ])
  }

  @Test func duplicateFieldNumbers() {
    #expect(diagnostics(file("message A {\n  int32 a = 1;\n  int32 b = 1;\n}\n")) == [
      "test.proto:5:13: error: field number 1 has already been used in \"t.A\" by field \"a\"",
    ])
  }

  @Test func fieldNumberRanges() {
    #expect(diagnostics(file("""
      message A {
        int32 a = 0;
        int32 b = -3;
        int32 c = 536870912;
        int32 d = 19000;
        int32 e = 19999;
        int32 f = 536870911;
        int32 g = 18999;
      }
      """)) == [
        "test.proto:4:13: error: field numbers must be positive integers",
        "test.proto:5:13: error: field numbers must be positive integers",
        "test.proto:6:13: error: field numbers cannot be greater than 536870911",
        "test.proto:7:13: error: field numbers 19000 through 19999 are reserved for the protocol buffer library implementation",
        "test.proto:8:13: error: field numbers 19000 through 19999 are reserved for the protocol buffer library implementation",
      ])
  }

  @Test func reservedNumbersAndNames() {
    #expect(diagnostics(file("""
      message A {
        reserved 2, 9 to 11, 40 to max;
        reserved "old", "gone";
        int32 a = 10;
        int32 old = 3;
        int32 b = 1000;
        int32 c = 12;
      }
      """)) == [
        "test.proto:6:13: error: field \"a\" uses reserved number 10",
        "test.proto:7:9: error: field name \"old\" is reserved",
        "test.proto:8:13: error: field \"b\" uses reserved number 1000",
      ])
  }

  @Test func reservedRangesThatOverlapOrAreInvalid() {
    #expect(diagnostics(file("""
      message A {
        reserved 5 to 10, 12;
        reserved 8 to 12, 20 to 15, 0;
        reserved "x", "x", "1y";
      }
      enum E { X = 0; reserved -5 to -1, -3; }
      """)) == [
        "test.proto:5:12: error: reserved range 8 to 12 overlaps with already-defined range 5 to 10",
        "test.proto:5:12: error: reserved range 8 to 12 overlaps with already-defined range 12",
        "test.proto:5:21: error: reserved range end number must be greater than start number",
        "test.proto:5:31: error: reserved field numbers must be between 1 and 536870911",
        "test.proto:6:17: error: field name \"x\" is reserved multiple times",
        "test.proto:6:22: error: reserved name \"1y\" is not a valid identifier",
        "test.proto:8:36: error: reserved range -3 overlaps with already-defined range -5 to -1",
      ])
  }

  @Test func enumRules() {
    #expect(diagnostics(file("""
      enum A { A_ONE = 1; A_ZERO = 0; }
      enum B { B_ZERO = 0; B_AGAIN = 0; }
      enum C { option allow_alias = true; C_ZERO = 0; C_ONE = 1; }
      enum D {}
      enum F { F_ZERO = 0; F_BIG = 2147483648; reserved 7; reserved "F_OLD"; F_OLD = 3; F_SEVEN = 7; }
      enum MyEnum { MY_ENUM_FOO = 0; FOO = 1; }
      """)) == [
        "test.proto:3:18: error: the first enum value must be zero in proto3",
        "test.proto:4:32: error: \"B_AGAIN\" uses the same enum value as \"B_ZERO\"; if this is intended, set"
          + " 'option allow_alias = true;' to the enum definition",
        "test.proto:5:17: error: \"t.C\" declares 'option allow_alias = true;' but no enum values share a number;"
          + " remove the option",
        "test.proto:6:6: error: enums must contain at least one value",
        "test.proto:7:30: error: enum value \"F_BIG\" is out of range (enum values are int32: -2147483648 to 2147483647)",
        "test.proto:7:72: error: enum value \"F_OLD\" is reserved",
        "test.proto:7:93: error: enum value \"F_SEVEN\" uses reserved number 7",
        "test.proto:8:32: error: enum value \"FOO\" has the same name as \"MY_ENUM_FOO\" if you ignore case and"
          + " strip out the enum name prefix (if any); if you are using allow_alias, assign the same number to both",
      ])
  }

  @Test func aliasesAreAllowedWithAllowAlias() {
    #expect(diagnostics(file("enum A { option allow_alias = true; A_X = 0; A_Y = 0; }\n")) == [])
  }

  @Test func mapFieldRules() {
    #expect(diagnostics(file("""
      message M {}
      enum E { E_ZERO = 0; }
      message A {
        map<float, int32> a = 1;
        map<double, int32> b = 2;
        map<bytes, int32> c = 3;
        map<M, int32> d = 4;
        map<E, int32> e = 5;
        repeated map<string, int32> f = 6;
        map<sint64, M> h = 8;
        map<bool, E> i = 9;
      }
      """)) == [
        "test.proto:6:7: error: key in map fields cannot be float/double, bytes or message types",
        "test.proto:7:7: error: key in map fields cannot be float/double, bytes or message types",
        "test.proto:8:7: error: key in map fields cannot be float/double, bytes or message types",
        "test.proto:9:7: error: key in map fields cannot be float/double, bytes or message types",
        "test.proto:10:7: error: key in map fields cannot be enum types",
        "test.proto:11:3: error: field labels (optional / repeated) are not allowed on map fields",
      ])
    #expect(diagnostics(file("message A { map<string, map<string, int32>> g = 7; }")) == [
      "test.proto:3:25: error: map values cannot be maps; wrap the inner map in a message",
    ])
  }

  @Test func mapEntryTypesTakeTheirNameAndCannotBeNamed() {
    #expect(diagnostics(file("""
      message A {
        map<string, string> labels = 1;
        message LabelsEntry {}
        map<int32, int32> my_counts = 2;
        int32 MyCountsEntry = 3;
      }
      message B { map<string, B> tags = 1; B.TagsEntry e = 2; }
      """)) == [
        "test.proto:4:23: error: the entry type \"LabelsEntry\" of map field \"labels\" conflicts with an existing"
          + " message of that name",
        "test.proto:6:21: error: the entry type \"MyCountsEntry\" of map field \"my_counts\" conflicts with an"
          + " existing field of that name",
        "test.proto:9:38: error: \"B.TagsEntry\" is the entry type of a map field; use map<KeyType, ValueType> instead",
      ])
  }

  @Test func oneofRules() {
    #expect(diagnostics(file("""
      message A {
        oneof o {
          optional int32 a = 1;
          repeated int32 b = 2;
          map<string, int32> c = 3;
          int32 d = 4;
        }
        oneof empty { option (x) = 1; }
      }
      """)) == [
        "test.proto:5:5: error: fields in oneofs must not have labels (optional / repeated)",
        "test.proto:6:5: error: fields in oneofs must not have labels (optional / repeated)",
        "test.proto:7:5: error: map fields are not allowed in oneofs",
        "test.proto:10:9: error: oneof must have at least one field",
        "test.proto:10:24: error: option \"(x)\" unknown; ensure that your proto definition file imports the proto"
          + " which defines the option",
      ])
  }

  @Test func unresolvedAndMisusedTypes() {
    #expect(diagnostics(file("""
      message A {
        Missing a = 1;
        t.S b = 2;
        t c = 3;
        A.a d = 4;
      }
      service S { rpc M(A) returns (A); }
      """)) == [
        "test.proto:4:3: error: \"Missing\" is not defined",
        "test.proto:5:3: error: \"t.S\" is not a type (it is a service)",
        "test.proto:6:3: error: \"t\" is not a type (it is a package)",
        "test.proto:7:3: error: \"A.a\" is not a type (it is a field)",
      ])
  }

  @Test func unqualifiedServiceNameInAPackageIsNotFoundAsAType() {
    #expect(diagnostics(file("message A { S s = 1; }\nservice S { rpc M(A) returns (A); }\n")) == [
      "test.proto:3:13: error: \"S\" is not a type",
    ])
  }

  @Test func rpcTypesMustBeMessages() {
    #expect(diagnostics(file("""
      message A {}
      enum E { E_ZERO = 0; }
      service S {
        rpc M(E) returns (A);
        rpc N(A) returns (int32);
        rpc M(A) returns (A);
      }
      """)) == [
        "test.proto:6:9: error: \"E\" is not a message type",
        "test.proto:7:21: error: expected a message type, found scalar type \"int32\"",
        "test.proto:8:7: error: \"M\" is already defined in \"t.S\"",
      ])
  }

  /// protoc looks rpc types up among all symbols, so a method named like a message hides it
  /// inside its service (a protoc quirk we keep, so both accept the same schemas).
  @Test func methodNamedLikeAMessageHidesItInsideTheService() {
    #expect(diagnostics(file("message A {}\nservice S {\n  rpc A(A) returns (.t.A);\n}\n")) == [
      "test.proto:5:9: error: \"A\" is not a message type",
    ])
  }

  @Test func scopingSearchesInnermostFirstAndDoesNotBacktrack() {
    #expect(diagnostics(file("""
      message Foo { message Bar {} }
      message Baz {
        message Foo {}
        Foo.Bar a = 1;
        .t.Foo.Bar b = 2;
      }
      """)) == [
        "test.proto:6:3: error: \"Foo.Bar\" is resolved to \"t.Baz.Foo.Bar\", which is not defined; the innermost"
          + " scope is searched first in name resolution (use a leading \".\", i.e. \".Foo.Bar\", to start from"
          + " the outermost scope)",
      ])
  }

  @Test func scopingFindsOuterScopesAndPackagePrefixes() throws {
    func source(local: String, top: String) -> String {
      """
      syntax = "proto3";
      package a.b.c;
      message Top { message Inner {} }
      message User {
        message Local { \(local) x = 1; }
        Top.Inner a = 1;
        b.c.Top b = 2;
        a.b.c.Top.Inner c = 3;
        Local d = 4;
        int32 \(top) = 5;
        Top e = 6;
      }
      """
    }
    #expect(diagnostics(source(local: "Inner", top: "Top")) == [
      "test.proto:5:19: error: \"Inner\" is not defined",
    ])
    let user = try #require(checkedFile(source(local: "Top.Inner", top: "top"))?.messages.last)
    #expect(user.fields.map(\.type) == [
      .message("a.b.c.Top.Inner"), .message("a.b.c.Top"), .message("a.b.c.Top.Inner"),
      .message("a.b.c.User.Local"), .scalar(.int32), .message("a.b.c.Top"),
    ])
    #expect(user.messages.first?.fields.first?.type == .message("a.b.c.Top.Inner"))
  }

  @Test func knownOptionsAreValidated() {
    #expect(diagnostics(file("""
      option swift_prefix = 3;
      message A {
        int32 a = 1 [deprecated = 1];
        string b = 2 [packed = true];
        int32 c = 3 [deprecated = false];
        int32 d = 4 [json_name = true];
        repeated int32 e = 5 [packed = true, packed = false];
        option map_entry = true;
        int32 f = 6 [weird = { a: 1 }, ctype = CORD];
      }
      service S {
        rpc M(A) returns (A) { option idempotency_level = SOMETIMES; }
        rpc N(A) returns (A) { option idempotency_level = "IDEMPOTENT"; }
      }
      """)) == [
        "test.proto:3:23: error: value must be a quoted string for string option \"swift_prefix\"",
        "test.proto:5:29: error: value must be \"true\" or \"false\" for boolean option \"deprecated\"",
        "test.proto:6:17: error: [packed = true] can only be specified for repeated primitive fields",
        "test.proto:8:28: error: value must be a quoted string for string option \"json_name\"",
        "test.proto:9:40: error: option \"packed\" was already set",
        "test.proto:10:10: error: map_entry should not be set explicitly; use map<KeyType, ValueType> instead",
        "test.proto:14:53: error: value of option \"idempotency_level\" must be one of NO_SIDE_EFFECTS, IDEMPOTENT,"
          + " IDEMPOTENCY_UNKNOWN",
        "test.proto:15:53: error: value of option \"idempotency_level\" must be one of NO_SIDE_EFFECTS, IDEMPOTENT,"
          + " IDEMPOTENCY_UNKNOWN",
      ])
  }

  /// Built-in options Courier does not honour are kept unchecked; custom options are kept as
  /// written and, resolved, by extension name with values converted to the extension's type.
  @Test func unknownAndCustomOptionsAreKept() throws {
    let parsed = try #require(checkedFile(file("""
      import "google/protobuf/descriptor.proto";
      extend google.protobuf.FileOptions { uint64 big = 50001; double ratio = 50002; string joined = 50003; }
      extend google.protobuf.MessageOptions { float msg = 50004; }
      extend google.protobuf.FieldOptions { bool flag = 50005; }
      option java_package = "com.example";
      option optimize_for = SPEED;
      option (big) = 18446744073709551615;
      option (t.ratio) = -1.5e3;
      option (.t.joined) = "a" 'b' "c";
      message A {
        option (msg) = inf;
        int32 x = 1 [(flag) = true, ctype = CORD, lazy = false];
      }
      """)))
    #expect(parsed.options.map(\.name) == [
      "java_package", "optimize_for", "(big)", "(t.ratio)", "(.t.joined)",
    ])
    #expect(parsed.options.map(\.value) == [
      .string("com.example"), .identifier("SPEED"), .unsignedInteger(18_446_744_073_709_551_615), .float(-1500),
      .string("abc"),
    ])
    #expect(parsed.customOptions == [
      "t.big": .unsignedInteger(18_446_744_073_709_551_615), "t.ratio": .float(-1500), "t.joined": .string("abc"),
    ])
    #expect(parsed.messages.first?.options.first?.value == .float(.infinity))
    #expect(parsed.messages.first?.customOptions == ["t.msg": .float(.infinity)])
    #expect(parsed.messages.first?.fields.first?.options.map(\.name) == ["(flag)", "ctype", "lazy"])
    #expect(parsed.messages.first?.fields.first?.customOptions == ["t.flag": .bool(true)])
  }

  @Test func jsonNameConflictsInProto3() {
    #expect(diagnostics(file("message A {\n  int32 foo_bar = 1;\n  int32 fooBar = 2;\n}\n")) == [
      "test.proto:5:9: error: the JSON camel-case name of field \"fooBar\" conflicts with field \"foo_bar\"",
    ])
  }

  @Test func proto3OptionalFieldsAreNotOneofs() throws {
    let message = try #require(checkedFile(file("message A { optional string name = 1; }"))?.messages.first)
    #expect(message.fields.first?.label == .optional)
    #expect(message.oneofs.isEmpty)
  }

  @Test func duplicateImportsAreReported() {
    let result = compile(
      ["a.proto": file("import \"b.proto\";\nimport \"b.proto\";\n"), "b.proto": "syntax = \"proto3\";"],
      inputs: ["a.proto"])
    #expect(result.diagnostics.map(\.description) == ["a.proto:4:8: error: import \"b.proto\" was listed twice"])
  }

  @Test func packagesClashingWithTypes() {
    let result = compile([
      "a.proto": "syntax = \"proto3\";\npackage x.y;\n",
      "b.proto": "syntax = \"proto3\";\npackage x;\nmessage y {}\n",
    ])
    #expect(result.diagnostics.map(\.description) == [
      "b.proto:3:9: error: \"x.y\" is already defined as a package",
    ])
  }
}
