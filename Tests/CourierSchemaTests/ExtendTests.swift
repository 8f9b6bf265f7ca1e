import Testing
@testable import CourierSchema

/// `syntax`, `package t;` and the descriptor.proto import on lines 1 to 3, then `body` from
/// line 4.
func optionsFile(_ body: String) -> String {
  file("import \"google/protobuf/descriptor.proto\";\n" + body)
}

/// `extend` blocks: the declarations of custom options, checked as protoc checks them.
@Suite struct ExtendTests {
  @Test func everyOptionsMessageCanBeExtended() throws {
    let levels = OptionLevel.allCases
    let body = levels.enumerated().map { index, level in
      // Relative and fully qualified extendees.
      "extend \(index.isMultiple(of: 2) ? "" : ".")google.protobuf.\(level.optionsMessageName) {"
        + " string o\(index) = \(50001 + index); }"
    }.joined(separator: "\n")
    let source = optionsFile(body)
    let parsed = try #require(checkedFile(source), "\(diagnostics(source))")
    #expect(levels.count == 9)
    #expect(parsed.extensions.map(\.extendee) == levels)
    #expect(parsed.extensions.map(\.fullName) == levels.indices.map { "t.o\($0)" })
    #expect(parsed.extensions.map(\.number) == levels.indices.map { 50001 + $0 })
  }

  @Test func singularScalarAndEnumExtensions() throws {
    let fields = ScalarType.allCases.enumerated().map { index, scalar in
      "  \(scalar.rawValue) s_\(scalar.rawValue) = \(50001 + index);"
    }
    let source = optionsFile(
      "extend google.protobuf.FieldOptions {\n" + fields.joined(separator: "\n") + """

        Level level = 50100;
        optional string note = 50101 [deprecated = true];
      }
      // Declared after its use, as protoc allows.
      enum Level { LEVEL_NONE = 0; }
      """)
    let parsed = try #require(checkedFile(source), "\(diagnostics(source))")
    #expect(parsed.extensions.map(\.type) == ScalarType.allCases.map { .scalar($0) } + [.enumeration("t.Level"), .scalar(.string)])
    let note = try #require(parsed.extensions.last)
    #expect(note.isDeprecated)
    #expect(note.extendee == .field)
    #expect(note.location == SourceLocation(file: "test.proto", line: 21, column: 3))
  }

  @Test func theModelKeepsNamesNumbersAndDocumentation() throws {
    let parsed = try #require(checkedFile(optionsFile("""
      extend google.protobuf.MethodOptions {
        // The scope a caller needs.
        string required_scope = 50501;
      }
      """)))
    #expect(parsed.extensions == [
      ExtensionDecl(
        name: "required_scope", fullName: "t.required_scope", extendee: .method, number: 50501, type: .scalar(.string),
        documentation: "The scope a caller needs.", location: SourceLocation(file: "test.proto", line: 6, column: 3)),
    ])
  }

  /// Courier's restriction: protoc also takes repeated and message-typed extensions.
  @Test func onlySingularScalarAndEnumTypes() {
    #expect(diagnostics(optionsFile("""
      message M {}
      extend google.protobuf.FieldOptions {
        repeated string tags = 50001;
        M meta = 50002;
        map<string, string> labels = 50003;
        Missing missing = 50004;
      }
      """)) == [
        "test.proto:6:3: error: repeated custom options are not supported; declare a singular field",
        "test.proto:7:3: error: custom options of message type are not supported; use a scalar, string, bytes or"
          + " enum type",
        "test.proto:8:3: error: map fields are not allowed to be extensions",
        "test.proto:9:3: error: \"Missing\" is not defined",
      ])
  }

  @Test func otherExtendeesAreRejected() {
    let onlyOptions = "extensions are only supported to declare custom options (extend google.protobuf.*Options)"
    #expect(diagnostics(optionsFile("""
      message Foo {}
      extend Foo { string a = 50001; }
      extend google.protobuf.FileDescriptorProto { string b = 50002; }
      extend Missing { string c = 50003; }
      """)) == [
        "test.proto:5:8: error: " + onlyOptions,
        "test.proto:6:8: error: " + onlyOptions,
        "test.proto:7:8: error: \"Missing\" is not defined",
      ])
    // A message of one's own that is named like an options message is not one.
    let result = compile([
      "fake.proto": "syntax = \"proto3\";\npackage google.protobuf;\nmessage ServiceOptions {}\n",
      "a.proto": file("import \"fake.proto\";\nextend google.protobuf.ServiceOptions { string d = 50004; }\n"),
    ], inputs: ["a.proto"])
    #expect(result.diagnostics.map(\.description) == ["a.proto:4:8: error: " + onlyOptions])
  }

  @Test func extendingNeedsTheDescriptorImport() {
    #expect(diagnostics(file("extend google.protobuf.MethodOptions { string a = 50001; }\n")) == [
      "test.proto:3:8: error: \"google.protobuf.MethodOptions\" is not defined; add import"
        + " \"google/protobuf/descriptor.proto\"; to declare custom options",
    ])
    // Loaded through another file, but not imported by this one.
    let result = compile([
      "a.proto": file("import \"b.proto\";\nextend google.protobuf.MethodOptions { string a = 50001; }\n"),
      "b.proto": "syntax = \"proto3\";\nimport \"google/protobuf/descriptor.proto\";\n",
    ], inputs: ["a.proto"])
    #expect(result.diagnostics.map(\.description) == [
      "a.proto:4:8: error: \"google.protobuf.MethodOptions\" is defined in google/protobuf/descriptor.proto, which"
        + " is not imported by a.proto",
    ])
  }

  @Test func extensionNumbers() {
    #expect(diagnostics(optionsFile("""
      extend google.protobuf.MethodOptions {
        string a = 999;
        string b = 0;
        string c = 19500;
        string d = 536870912;
        string e = 1000;
        string f = 536870911;
        string g = 50001;
      }
      extend google.protobuf.MethodOptions { string h = 50001; }
      extend google.protobuf.ServiceOptions { string i = 50001; }
      """)) == [
        "test.proto:5:14: error: \"google.protobuf.MethodOptions\" does not declare 999 as an extension number"
          + " (options messages declare 1000 to max)",
        "test.proto:6:14: error: field numbers must be positive integers",
        "test.proto:7:14: error: field numbers 19000 through 19999 are reserved for the protocol buffer library"
          + " implementation",
        "test.proto:8:14: error: field numbers cannot be greater than 536870911",
        "test.proto:13:51: error: extension number 50001 has already been used in \"google.protobuf.MethodOptions\""
          + " by extension \"t.g\"",
      ])
  }

  /// protoc only warns when the other extension is in another file; so does Courier.
  @Test func aNumberTakenInAnotherFileIsAWarning() {
    let result = compile([
      "a.proto": "syntax = \"proto3\";\npackage a;\nimport \"google/protobuf/descriptor.proto\";\n"
        + "extend google.protobuf.MethodOptions { string x = 50001; }\n",
      "b.proto": "syntax = \"proto3\";\npackage b;\nimport \"a.proto\";\nimport \"google/protobuf/descriptor.proto\";\n"
        + "extend google.protobuf.MethodOptions { string y = 50001; }\n",
    ], inputs: ["b.proto"])
    #expect(result.diagnostics.map(\.description) == [
      "b.proto:5:51: warning: extension number 50001 has already been used in \"google.protobuf.MethodOptions\" by"
        + " extension \"a.x\" defined in a.proto",
    ])
    #expect(result.schemaSet?.file("b.proto")?.extensions.map(\.fullName) == ["b.y"])
  }

  @Test func extensionsAreNamesInTheirPackage() {
    #expect(diagnostics(optionsFile("""
      message scope {}
      extend google.protobuf.MethodOptions { string scope = 50001; string level = 50002; }
      extend google.protobuf.MessageOptions { string level = 50003; }
      """)) == [
        "test.proto:5:47: error: \"scope\" is already defined in \"t\"",
        "test.proto:6:48: error: \"level\" is already defined in \"t\"",
      ])
    let result = compile([
      "a.proto": optionsFile("extend google.protobuf.MethodOptions { string scope = 50001; }\n"),
      "b.proto": optionsFile("extend google.protobuf.MethodOptions { string scope = 50002; }\n"),
    ])
    #expect(result.diagnostics.map(\.description) == [
      "b.proto:4:47: error: \"t.scope\" is already defined in file \"a.proto\"",
    ])
  }

  @Test func builtInFieldOptionsThatDoNotFitExtensions() {
    #expect(diagnostics(optionsFile("""
      extend google.protobuf.FieldOptions {
        string a = 50001 [json_name = "x"];
        int32 b = 50002 [packed = true];
      }
      """)) == [
        "test.proto:5:21: error: option json_name is not allowed on extension fields",
        "test.proto:6:20: error: [packed = true] can only be specified for repeated primitive fields",
      ])
  }
}
