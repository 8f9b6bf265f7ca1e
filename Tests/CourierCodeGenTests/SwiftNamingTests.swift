import CourierCodeGen
import CourierSchema
import Testing

@Suite struct SwiftNamingTests {
  typealias B = SchemaBuilders

  static func names(_ files: SchemaFile...) -> SwiftNames {
    SwiftNaming.names(for: SchemaSet(files: files, requestedPaths: files.map(\.path)))
  }

  static func fieldNames(_ fields: [FieldDecl], oneofs: [OneofDecl] = []) -> [String] {
    let message = B.message("p.M", fields, oneofs: oneofs)
    let names = Self.names(SchemaFile(path: "p.proto", package: "p", messages: [message]))
    return names.messages["p.M"]?.fields.map(\.property.quoted) ?? []
  }

  @Test func packageBecomesTheTypePrefix() {
    let file = SchemaFile(
      path: "a.proto", package: "bench.v1", messages: [B.message("bench.v1.Amount")])
    #expect(Self.names(file).typePath(of: "bench.v1.Amount") == "Bench_V1_Amount")
  }

  @Test func noPackageMeansNoPrefix() {
    let file = SchemaFile(path: "a.proto", messages: [B.message("Amount")])
    #expect(Self.names(file).typePath(of: "Amount") == "Amount")
  }

  @Test func swiftPrefixReplacesThePackagePrefix() {
    let file = SchemaFile(
      path: "a.proto", package: "bench.v1", messages: [B.message("bench.v1.Amount")],
      options: [OptionDecl(name: "swift_prefix", value: .string("BN"), location: B.location())])
    #expect(Self.names(file).typePath(of: "bench.v1.Amount") == "BNAmount")
  }

  @Test func nestedTypesAreNestedSwiftTypes() {
    let inner = B.message("p.Outer.Inner")
    let mood = B.enumeration("p.Outer.Mood", [("MOOD_UNSPECIFIED", 0)])
    let file = SchemaFile(
      path: "a.proto", package: "p",
      messages: [B.message("p.Outer", messages: [inner], enums: [mood])])
    let names = Self.names(file)
    #expect(names.typePath(of: "p.Outer.Inner") == "P_Outer.Inner")
    #expect(names.typePath(of: "p.Outer.Mood") == "P_Outer.Mood")
  }

  @Test func typeNamesThatCollideWithSwiftGetASuffix() {
    let nested = [
      "Type", "Protocol", "Self", "Swift", "CourierWire", "OneOf_Kind", "String", "Result",
    ].map {
      B.message("p.Outer.\($0)")
    }
    let file = SchemaFile(
      path: "a.proto", package: "p",
      messages: [B.message("p.Outer", messages: nested)],
      enums: [B.enumeration("p.Any", [("ANY_UNSPECIFIED", 0)])])
    let names = Self.names(file)
    #expect(names.typePath(of: "p.Outer.Type") == "P_Outer.TypeMessage")
    #expect(names.typePath(of: "p.Outer.Protocol") == "P_Outer.ProtocolMessage")
    #expect(names.typePath(of: "p.Outer.Self") == "P_Outer.SelfMessage")
    #expect(names.typePath(of: "p.Outer.Swift") == "P_Outer.SwiftMessage")
    #expect(names.typePath(of: "p.Outer.CourierWire") == "P_Outer.CourierWireMessage")
    #expect(names.typePath(of: "p.Outer.OneOf_Kind") == "P_Outer.OneOf_KindMessage")
    #expect(names.typePath(of: "p.Outer.String") == "P_Outer.String")
    #expect(names.typePath(of: "p.Outer.Result") == "P_Outer.ResultMessage")
    #expect(names.typePath(of: "p.Any") == "P_Any")
  }

  @Test func topLevelNamesWithoutPrefixAvoidModulesAndServiceMembers() {
    let file = SchemaFile(
      path: "a.proto",
      messages: ["Swift", "CourierCore", "Client", "Method", "Type", "String"].map {
        B.message($0)
      },
      enums: [B.enumeration("Self", [("SELF_UNSPECIFIED", 0)])])
    let names = Self.names(file)
    #expect(names.typePath(of: "Swift") == "SwiftMessage")
    #expect(names.typePath(of: "CourierCore") == "CourierCoreMessage")
    #expect(names.typePath(of: "Client") == "ClientMessage")
    #expect(names.typePath(of: "Method") == "MethodMessage")
    #expect(names.typePath(of: "Type") == "TypeMessage")
    #expect(names.typePath(of: "String") == "String")
    #expect(names.typePath(of: "Self") == "SelfEnum")
  }

  @Test func typesThatDifferOnlyInTheFirstLetterAreDisambiguated() {
    let file = SchemaFile(path: "a.proto", messages: [B.message("foo"), B.message("Foo")])
    let names = Self.names(file)
    #expect(names.typePath(of: "foo") == "Foo")
    #expect(names.typePath(of: "Foo") == "Foo_2")
  }

  @Test func aNestedTypeNeverHidesATopLevelType() {
    let file = SchemaFile(
      path: "a.proto",
      messages: [B.message("Outer", messages: [B.message("Outer.Inner")]), B.message("Inner")])
    #expect(Self.names(file).typePath(of: "Outer.Inner") == "Outer.InnerMessage")
  }

  @Test func keywordFieldsAreQuotedAndUnquotableOnesGetP() {
    let names = Self.fieldNames(
      ["default", "class", "self", "init", "Type", "subscript", "async"].enumerated().map {
        B.field($1, $0 + 1, .scalar(.int32))
      })
    #expect(
      names == ["`default`", "`class`", "self_p", "init_p", "type", "subscript_p", "`async`"])
  }

  @Test func fieldsNamedLikeGeneratedMembersGetP() {
    let names = Self.fieldNames(
      ["unknown_fields", "proto_message_name", "hash_value", "serialized_size"].enumerated().map {
        B.field($1, $0 + 1, .scalar(.int32))
      })
    #expect(names == ["unknownFields_p", "protoMessageName_p", "hashValue_p", "serializedSize_p"])
  }

  @Test func fieldsNamedLikeAnotherFieldsCompanionsGetP() {
    let names = Self.fieldNames([
      B.field("has_value", 1, .scalar(.int32)),
      B.field("value", 2, .scalar(.int32), label: .optional),
      B.field("clear_value", 3, .scalar(.bool)),
      B.field("has_other", 4, .scalar(.bool)),
    ])
    #expect(names == ["hasValue_p", "value", "clearValue_p", "hasOther"])
  }

  @Test func fieldsWithTheSameSwiftNameGetTheirNumber() {
    let names = Self.fieldNames([
      B.field("foo_bar", 1, .scalar(.int32)), B.field("fooBar", 7, .scalar(.int32)),
      B.field("FooBar", 9, .scalar(.int32)),
    ])
    #expect(names == ["fooBar", "fooBar_7", "fooBar_9"])
  }

  @Test func oneofsShareTheFieldNamespace() {
    let oneof = OneofDecl(name: "choice", fieldIndices: [1], location: B.location())
    let message = B.message(
      "p.M",
      [B.field("choice", 1, .scalar(.int32)), B.field("text", 2, .scalar(.string), oneof: 0)],
      oneofs: [oneof])
    let names = Self.names(SchemaFile(path: "p.proto", package: "p", messages: [message]))
    #expect(names.messages["p.M"]?.oneofs.first?.property.name == "choice_oneof")
    #expect(names.messages["p.M"]?.oneofs.first?.enumType == "OneOf_Choice_oneof")
  }

  @Test func enumCasesDropThePrefixAndResolveCollisions() {
    let enumeration = B.enumeration(
      "p.Color",
      [
        ("COLOR_UNSPECIFIED", 0), ("COLOR_RED", 1), ("RED", 1), ("COLOR_1", 2),
        ("COLOR_DEFAULT", 3),
        ("COLOR_UNRECOGNIZED", 4), ("COLOR_SELF", 5), ("COLOR_NOT_FOUND", 6),
        ("COLOR_RAW_VALUE", 7),
        ("COLOR_NEGATIVE", -1), ("NEGATIVE", -1),
      ], allowAlias: true)
    let names = Self.names(SchemaFile(path: "p.proto", package: "p", enums: [enumeration]))
    #expect(
      names.enums["p.Color"]?.values.map(\.quoted) == [
        "unspecified", "red", "red_1", "color1", "`default`", "unrecognized_p", "self_p",
        "notFound", "rawValue_p",
        "negative", "negative_n1",
      ])
  }

  @Test func methodNamesAvoidKeywordsMembersAndTopLevelTypes() {
    let service = ServiceDecl(
      name: "S", fullName: "S",
      methods: ["Default", "Init", "RegisterMethods", "Self", "Amount", "Method"].map {
        B.method($0, "Amount", "Amount")
      },
      location: B.location())
    let file = SchemaFile(path: "a.proto", messages: [B.message("Amount")], services: [service])
    let methods = Self.names(file).services["S"]?.methods ?? []
    #expect(
      methods.map(\.function.quoted) == [
        "`default`", "init_p", "registerMethods_p", "self_p", "amount", "method",
      ])
    #expect(
      methods.map(\.enumName) == [
        "Default", "Init", "RegisterMethods", "SelfMethod", "AmountMethod", "MethodMethod",
      ])
  }
}
