// The syntax tree: what the parser produces and the checker consumes. It records what was
// written, with positions; nothing is resolved or validated beyond the grammar.

/// A name as written (an identifier or a dotted type name, maybe with a leading dot).
struct SyntaxName: Sendable, Hashable {
  var text: String
  var location: SourceLocation
}

/// `option name = value;` or one entry of `[name = value, ...]`.
struct SyntaxOption: Sendable, Hashable {
  /// Components joined by dots; custom parts keep their parentheses: `(my.ext).field`.
  var name: String
  var nameLocation: SourceLocation
  var value: OptionValue
  var valueLocation: SourceLocation
}

/// A field's type as written.
enum SyntaxType: Sendable, Hashable {
  /// A scalar keyword (`int32`) or a message/enum name (`Foo.Bar`, `.pkg.Foo`).
  case named(SyntaxName)
  /// `map<key, value>`.
  case map(key: SyntaxName, value: SyntaxName)
}

/// `optional` or `repeated` (`required` is rejected by the parser).
enum SyntaxLabel: Sendable, Hashable {
  case optional, repeated
}

/// A message field (oneof members included).
struct SyntaxField: Sendable, Hashable {
  var name: SyntaxName
  /// As written, clamped to `Int` (the checker reports out-of-range numbers).
  var number: Int
  var numberLocation: SourceLocation
  var label: SyntaxLabel?
  var type: SyntaxType
  var options: [SyntaxOption]
  /// Index into `SyntaxMessage.oneofs` when the field is declared inside a oneof.
  var oneofIndex: Int?
  var documentation: String?
  /// The first token of the declaration.
  var location: SourceLocation
}

/// `oneof name { ... }`; its fields live in the message's `fields` with `oneofIndex` set.
struct SyntaxOneof: Sendable, Hashable {
  var name: SyntaxName
  var options: [SyntaxOption]
  var documentation: String?
  var location: SourceLocation
}

/// One element of a `reserved` list: `5`, `9 to 11`, `100 to max`.
struct SyntaxRange: Sendable, Hashable {
  var start: Int
  /// Equal to `start` for a single number; ignored when `endIsMax`.
  var end: Int
  var endIsMax: Bool
  var location: SourceLocation
}

/// `reserved 2, 9 to 11;` or `reserved "foo", "bar";`.
struct SyntaxReserved: Sendable, Hashable {
  var ranges: [SyntaxRange]
  var names: [SyntaxName]
}

/// A `message` with its body.
struct SyntaxMessage: Sendable, Hashable {
  var name: SyntaxName
  var fields: [SyntaxField] = []
  var oneofs: [SyntaxOneof] = []
  var messages: [SyntaxMessage] = []
  var enums: [SyntaxEnum] = []
  var reserved: [SyntaxReserved] = []
  var options: [SyntaxOption] = []
  var documentation: String?
  var location: SourceLocation
}

/// One enum value: `NAME = 1 [deprecated = true];`.
struct SyntaxEnumValue: Sendable, Hashable {
  var name: SyntaxName
  /// As written, clamped to `Int` (the checker reports values outside `Int32`).
  var number: Int
  var numberLocation: SourceLocation
  var options: [SyntaxOption]
  var documentation: String?
  var location: SourceLocation
}

/// An `enum` with its body.
struct SyntaxEnum: Sendable, Hashable {
  var name: SyntaxName
  var values: [SyntaxEnumValue] = []
  var reserved: [SyntaxReserved] = []
  var options: [SyntaxOption] = []
  var documentation: String?
  var location: SourceLocation
}

/// `rpc Name(stream In) returns (stream Out);`.
struct SyntaxMethod: Sendable, Hashable {
  var name: SyntaxName
  var input: SyntaxName
  var output: SyntaxName
  var clientStreaming: Bool
  var serverStreaming: Bool
  var options: [SyntaxOption]
  var documentation: String?
  var location: SourceLocation
}

/// A `service` with its methods.
struct SyntaxService: Sendable, Hashable {
  var name: SyntaxName
  var methods: [SyntaxMethod] = []
  var options: [SyntaxOption] = []
  var documentation: String?
  var location: SourceLocation
}

/// `extend google.protobuf.MethodOptions { string required_scope = 50501; }` at the top level
/// of a file: custom option declarations (the checker accepts only options messages as
/// extendees).
struct SyntaxExtend: Sendable, Hashable {
  /// The extended message as written (`google.protobuf.MethodOptions`, `.google.protobuf.X`).
  var extendee: SyntaxName
  /// The extension fields, in declaration order (never in a oneof).
  var fields: [SyntaxField]
  var location: SourceLocation
}

/// `import [public|weak] "path";`.
struct SyntaxImport: Sendable, Hashable {
  var path: String
  var kind: ImportDecl.Kind
  var pathLocation: SourceLocation
  var location: SourceLocation
}

/// One parsed `.proto` file.
struct SyntaxFile: Sendable, Hashable {
  /// The path relative to its proto-path root.
  var path: String
  var package: SyntaxName?
  var imports: [SyntaxImport] = []
  var options: [SyntaxOption] = []
  var messages: [SyntaxMessage] = []
  var enums: [SyntaxEnum] = []
  var services: [SyntaxService] = []
  var extends: [SyntaxExtend] = []
  var documentation: String?
  /// Whether part of the file was lost to a syntax error (the lexer reported an error, or the
  /// parser skipped tokens to recover). Such a file is not checked, since most of its semantic
  /// errors would be echoes; its symbols are still declared, so the files that import it
  /// resolve what did parse. Errors that lose nothing (a label on a map field) keep it complete.
  var isIncomplete = false

  init(path: String) {
    self.path = path
  }
}
