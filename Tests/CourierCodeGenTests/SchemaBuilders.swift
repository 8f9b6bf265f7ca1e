import CourierSchema

/// Hand-built schema models, so generator tests do not depend on the parser.
enum SchemaBuilders {
  static func location(_ file: String = "test.proto", line: Int = 1) -> SourceLocation {
    SourceLocation(file: file, line: line, column: 1)
  }

  static func field(
    _ name: String, _ number: Int, _ type: FieldType, label: FieldLabel = .singular,
    oneof: Int? = nil,
    packed: Bool? = nil, deprecated: Bool = false, doc: String? = nil
  ) -> FieldDecl {
    FieldDecl(
      name: name, number: number, label: label, type: type, oneofIndex: oneof, packed: packed,
      isDeprecated: deprecated, documentation: doc, location: location())
  }

  static func message(
    _ fullName: String, _ fields: [FieldDecl] = [], oneofs: [OneofDecl] = [],
    messages: [MessageDecl] = [],
    enums: [EnumDecl] = [], deprecated: Bool = false, doc: String? = nil
  ) -> MessageDecl {
    MessageDecl(
      name: String(fullName.split(separator: ".").last ?? ""), fullName: fullName, fields: fields,
      oneofs: oneofs, messages: messages, enums: enums, isDeprecated: deprecated,
      documentation: doc,
      location: location())
  }

  static func enumeration(_ fullName: String, _ values: [(String, Int32)], allowAlias: Bool = false)
    -> EnumDecl
  {
    EnumDecl(
      name: String(fullName.split(separator: ".").last ?? ""), fullName: fullName,
      values: values.map { EnumValueDecl(name: $0.0, number: $0.1, location: location()) },
      allowAlias: allowAlias, location: location())
  }

  static func method(
    _ name: String, _ input: String, _ output: String, clientStreaming: Bool = false,
    serverStreaming: Bool = false, idempotency: IdempotencyLevel = .idempotencyUnknown,
    deprecated: Bool = false
  ) -> MethodDecl {
    MethodDecl(
      name: name, inputType: input, outputType: output, clientStreaming: clientStreaming,
      serverStreaming: serverStreaming, idempotencyLevel: idempotency, isDeprecated: deprecated,
      location: location())
  }

  static func set(_ files: SchemaFile...) -> SchemaSet {
    SchemaSet(files: files, requestedPaths: files.map(\.path))
  }

  /// `Schemas/bench/v1/bench.proto`, as the checker models it.
  static let bench: SchemaFile = SchemaFile(
    path: "bench/v1/bench.proto", package: "bench.v1",
    messages: [
      message(
        "bench.v1.Amount",
        [field("units", 1, .scalar(.int64)), field("currency", 2, .scalar(.string))]),
      message(
        "bench.v1.TransferRequest",
        [
          field("idempotency_key", 1, .scalar(.string)), field("from_account", 2, .scalar(.string)),
          field("to_account", 3, .scalar(.string)), field("amount", 4, .message("bench.v1.Amount")),
          field("tags", 5, .scalar(.string), label: .repeated),
          field("metadata", 6, .map(key: .string, value: .scalar(.string)), label: .repeated),
          field("created_at_unix_nanos", 7, .scalar(.int64)),
        ]),
      message(
        "bench.v1.TransferReply",
        [
          field("transfer_id", 1, .scalar(.string)), field("balance_after", 2, .scalar(.int64)),
          field("status", 3, .scalar(.int32)),
        ]),
    ],
    services: [
      ServiceDecl(
        name: "Bench", fullName: "bench.v1.Bench",
        methods: [
          method("Transfer", "bench.v1.TransferRequest", "bench.v1.TransferReply"),
          method(
            "Stream", "bench.v1.TransferRequest", "bench.v1.TransferReply", serverStreaming: true),
        ], location: location())
    ],
    documentation:
      " Peer-performance baseline message/service definitions.\n Regenerate the Swift code with scripts/regenerate."
  )
}
