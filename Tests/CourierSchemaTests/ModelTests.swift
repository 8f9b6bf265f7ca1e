#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Testing
@testable import CourierSchema

/// A realistic two-file schema: what engineers write, with every construct the generator uses.
let commonProto = """
  // Shared value types.
  syntax = "proto3";

  package ledger.common;

  // An amount of money in minor units.
  message Money {
    int64 units = 1; // Minor units (cents).
    string currency = 2;
  }
  """

let ledgerProto = """
  /* The Ledger service API. */
  syntax = "proto3";

  package ledger.v1;

  import "ledger/common.proto";
  import "courier/options.proto";

  option swift_prefix = "LG";
  option (courier.file_tag) = "ledger";

  /// An account.
  message Account {
    // The account id,
    // chosen by the server.
    string id = 1;
    ledger.common.Money balance = 2;
    Status status = 3 [deprecated = true];
    repeated Flag flags = 4 [packed = false];
    map<string, string> labels = 5;
    optional int64 closed_at = 6;
    oneof owner {
      string person_id = 7;
      Company company = 8 [json_name = "org"];
    }
    reserved 9, 11 to 12, 100 to max;
    reserved "legacy";

    enum Status {
      option allow_alias = true;
      STATUS_UNSPECIFIED = 0;
      STATUS_OPEN = 1;
      STATUS_ACTIVE = 1;
      STATUS_CLOSED = 2 [deprecated = true];
    }
    message Company {
      string name = 1;
      .ledger.common.Money capital = 2;
      Account.Status parent_status = 3;
    }
    map<int32, Company> companies = 13;
  }

  enum Flag {
    FLAG_NONE = 0;
    FLAG_NO_OVERDRAFT = 1;
  }

  message GetAccountRequest { string id = 1; }
  message Transfer { bytes payload = 1; }
  message TransferAck { uint64 sequence = 1; }

  // Accounts and transfers.
  service Ledger {
    option deprecated = false;
    // Reads one account.
    rpc GetAccount(GetAccountRequest) returns (Account) {
      option idempotency_level = NO_SIDE_EFFECTS;
      option (courier.timeout_ms) = 250;
    }
    rpc Submit(stream Transfer) returns (TransferAck) { option idempotency_level = IDEMPOTENT; }
    rpc Watch(GetAccountRequest) returns (stream Account);
    rpc Sync(stream Transfer) returns (stream TransferAck) { option deprecated = true; };
  }
  """

/// The custom options ledgerProto uses.
let courierOptionsProto = """
  syntax = "proto3";
  package courier;
  import "google/protobuf/descriptor.proto";
  extend google.protobuf.FileOptions { string file_tag = 50001; }
  extend google.protobuf.MethodOptions { int32 timeout_ms = 50002; }
  """

@Suite struct ModelTests {
  let compilation = compile(
    [
      "ledger/common.proto": commonProto, "ledger/v1/ledger.proto": ledgerProto,
      "courier/options.proto": courierOptionsProto,
    ],
    inputs: ["ledger/v1/ledger.proto"])

  var ledger: SchemaFile? { compilation.schemaSet?.file("ledger/v1/ledger.proto") }
  var account: MessageDecl? { ledger?.messages.first }

  @Test func compilesWithoutDiagnostics() throws {
    #expect(compilation.diagnostics.map(\.description) == [])
    let set = try #require(compilation.schemaSet)
    #expect(set.files.map(\.path) == [
      "ledger/common.proto", "google/protobuf/descriptor.proto", "courier/options.proto", "ledger/v1/ledger.proto",
    ])
    #expect(set.requestedPaths == ["ledger/v1/ledger.proto"])
  }

  @Test func fileLevel() throws {
    let file = try #require(ledger)
    #expect(file.package == "ledger.v1")
    #expect(file.documentation == "The Ledger service API.")
    #expect(file.imports == [
      ImportDecl(path: "ledger/common.proto", location: .init(file: "ledger/v1/ledger.proto", line: 6, column: 1)),
      ImportDecl(path: "courier/options.proto", location: .init(file: "ledger/v1/ledger.proto", line: 7, column: 1)),
    ])
    #expect(file.option("swift_prefix") == .string("LG"))
    #expect(file.option("(courier.file_tag)") == .string("ledger"))
    #expect(file.customOptions == ["courier.file_tag": .string("ledger")])
    #expect(file.messages.map(\.fullName) == [
      "ledger.v1.Account", "ledger.v1.GetAccountRequest", "ledger.v1.Transfer", "ledger.v1.TransferAck",
    ])
    #expect(compilation.schemaSet?.file("ledger/common.proto")?.documentation == "Shared value types.")
  }

  @Test func fieldsNumbersLabelsAndTypes() throws {
    let message = try #require(account)
    #expect(message.documentation == "An account.")
    let summary = message.fields.map { "\($0.name)=\($0.number) \($0.label) \($0.type)" }
    #expect(summary == [
      "id=1 singular scalar(CourierSchema.ScalarType.string)",
      "balance=2 singular message(\"ledger.common.Money\")",
      "status=3 singular enumeration(\"ledger.v1.Account.Status\")",
      "flags=4 repeated enumeration(\"ledger.v1.Flag\")",
      "labels=5 repeated map(key: CourierSchema.ScalarType.string, value: CourierSchema.FieldType.scalar(CourierSchema.ScalarType.string))",
      "closed_at=6 optional scalar(CourierSchema.ScalarType.int64)",
      "person_id=7 singular scalar(CourierSchema.ScalarType.string)",
      "company=8 singular message(\"ledger.v1.Account.Company\")",
      "companies=13 repeated map(key: CourierSchema.ScalarType.int32, value: CourierSchema.FieldType.message(\"ledger.v1.Account.Company\"))",
    ])
    #expect(message.fields[0].documentation == "The account id,\nchosen by the server.")
    #expect(message.fields[0].location == SourceLocation(file: "ledger/v1/ledger.proto", line: 16, column: 3))
    #expect(message.fields[2].isDeprecated)
    #expect(message.fields[3].packed == false)
    #expect(message.fields[1].packed == nil)
  }

  @Test func oneofsAndOptionalFields() throws {
    let message = try #require(account)
    #expect(message.oneofs.map(\.name) == ["owner"])
    #expect(message.oneofs.first?.fieldIndices == [6, 7])
    #expect(message.fields.map(\.oneofIndex) == [nil, nil, nil, nil, nil, nil, 0, 0, nil])
    let company = message.fields[7]
    #expect(company.options == [
      OptionDecl(name: "json_name", value: .string("org"), location: .init(file: "ledger/v1/ledger.proto", line: 24, column: 26)),
    ])
    #expect(company.jsonName == "org")
    #expect(message.fields[5].jsonName == "closedAt")
  }

  @Test func reservedNestedTypesAndResolution() throws {
    let message = try #require(account)
    #expect(message.reserved == ReservedDecl(ranges: [9...9, 11...12, 100...536_870_911], names: ["legacy"]))
    #expect(message.messages.map(\.fullName) == ["ledger.v1.Account.Company"])
    let company = try #require(message.messages.first)
    #expect(company.fields.map(\.type) == [
      .scalar(.string), .message("ledger.common.Money"), .enumeration("ledger.v1.Account.Status"),
    ])
    let status = try #require(message.enums.first)
    #expect(status.fullName == "ledger.v1.Account.Status")
    #expect(status.allowAlias)
    #expect(status.values.map(\.name) == ["STATUS_UNSPECIFIED", "STATUS_OPEN", "STATUS_ACTIVE", "STATUS_CLOSED"])
    #expect(status.values.map(\.number) == [0, 1, 1, 2])
    #expect(status.values.map(\.isDeprecated) == [false, false, false, true])
  }

  @Test func servicesMethodsAndOptions() throws {
    let service = try #require(ledger?.services.first)
    #expect(service.fullName == "ledger.v1.Ledger")
    #expect(service.documentation == "Accounts and transfers.")
    #expect(!service.isDeprecated)
    let shapes = service.methods.map {
      "\($0.name)(\($0.clientStreaming ? "stream " : "")\($0.inputType)) -> \($0.serverStreaming ? "stream " : "")\($0.outputType) \($0.idempotencyLevel.rawValue) \($0.isDeprecated)"
    }
    #expect(shapes == [
      "GetAccount(ledger.v1.GetAccountRequest) -> ledger.v1.Account NO_SIDE_EFFECTS false",
      "Submit(stream ledger.v1.Transfer) -> ledger.v1.TransferAck IDEMPOTENT false",
      "Watch(ledger.v1.GetAccountRequest) -> stream ledger.v1.Account IDEMPOTENCY_UNKNOWN false",
      "Sync(stream ledger.v1.Transfer) -> stream ledger.v1.TransferAck IDEMPOTENCY_UNKNOWN true",
    ])
    let get = try #require(service.methods.first)
    #expect(get.documentation == "Reads one account.")
    #expect(get.options.map(\.name) == ["idempotency_level", "(courier.timeout_ms)"])
    #expect(get.options.last?.value == .integer(250))
    #expect(get.customOptions == ["courier.timeout_ms": .integer(250)])
    #expect(service.methods.dropFirst().allSatisfy { $0.customOptions.isEmpty })
    #expect(get.requiredScope == nil)
  }

  @Test func trailingCommentsDocumentFieldsWithoutLeadingComments() throws {
    let money = try #require(compilation.schemaSet?.file("ledger/common.proto")?.messages.first)
    #expect(money.documentation == "An amount of money in minor units.")
    #expect(money.fields.map(\.documentation) == ["Minor units (cents).", nil])
  }

  @Test func benchSchemaOfTheRepository() throws {
    // #filePath is <package>/Tests/CourierSchemaTests/ModelTests.swift.
    let testFile = realpath(#filePath, nil).map { pointer in
      defer { free(pointer) }
      return String(cString: pointer)
    } ?? #filePath
    let packageRoot = testFile.split(separator: "/").dropLast(3).joined(separator: "/")
    let schemas = "/" + packageRoot + "/Schemas"
    let compiler = SchemaCompiler(protoPaths: [schemas])
    let result = compiler.compile([schemas + "/bench/v1/bench.proto", "courier/v1/protocol.proto"])
    #expect(result.diagnostics.map(\.description) == [])
    let set = try #require(result.schemaSet)
    #expect(set.requestedPaths == ["bench/v1/bench.proto", "courier/v1/protocol.proto"])
    let bench = try #require(set.file("bench/v1/bench.proto"))
    #expect(bench.services.first?.methods.map(\.serverStreaming) == [false, true])
    #expect(bench.messages[1].fields[5].type == .map(key: .string, value: .scalar(.string)))
  }
}
