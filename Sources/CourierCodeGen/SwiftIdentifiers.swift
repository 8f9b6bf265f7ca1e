// The identifiers Swift reserves, and the names generated code claims for itself.
//
// Every set here is a deliberate list: generated code must compile for any schema protoc
// accepts, so a proto name that would collide with the language or with a generated member is
// escaped with backticks where Swift allows it, or renamed (`_p`, `Message`, `Enum`, ...).

/// Swift's reserved words and the names generated code uses, as the naming stage consults them.
public enum SwiftIdentifiers {
  /// Keywords of Swift (declarations, statements, expressions and types) plus the contextual
  /// keywords that are awkward as bare identifiers. As member names they are written in
  /// backticks; as type names they get a suffix.
  public static let keywords: Set<String> = [
    // Declarations.
    "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension",
    "fileprivate", "func", "import", "init", "inout", "internal", "let", "nonisolated", "open",
    "operator", "package", "precedencegroup", "private", "protocol", "public", "rethrows",
    "static", "struct", "subscript", "typealias", "var",
    // Statements.
    "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for",
    "guard", "if", "in", "repeat", "return", "switch", "throw", "where", "while",
    // Expressions and types.
    "Any", "any", "as", "async", "await", "consume", "copy", "discard", "each", "false", "is",
    "nil", "self", "Self", "some", "super", "throws", "true", "try", "Type", "Protocol",
    // Names with a special meaning after a dot or in patterns.
    "_",
  ]

  /// Member names that backticks cannot make unambiguous (`x.self`, `x.Type`, `.init`): a field,
  /// enum case or method with one of these names gets the `_p` suffix instead.
  public static let unquotableMemberNames: Set<String> = [
    "init", "deinit", "subscript", "self", "Self", "Type", "Protocol", "_",
  ]

  /// Members every generated message has (or inherits from `CourierWire.Message`): a field
  /// whose Swift name would be one of these gets the `_p` suffix.
  public static let messageMemberNames: Set<String> = [
    "unknownFields", "protoMessageName", "decodeFields", "computeSize", "encodeFields",
    "hashValue", "hash", "description", "debugDescription", "serializedBytes", "serializedSize",
    "serialize", "merge",
  ]

  /// Members every generated enum has: a case whose Swift name would be one of these gets `_p`.
  public static let enumMemberNames: Set<String> = [
    "unrecognized", "allCases", "rawValue", "hashValue", "hash", "description",
    "debugDescription",
  ]

  /// Members of the generated service protocol and client: an rpc whose Swift method name
  /// would be one of these gets `_p`.
  public static let serviceMemberNames: Set<String> = [
    "registerMethods", "invoker", "hashValue", "hash", "description", "debugDescription",
  ]

  /// Type names that would shadow what generated code refers to: the modules it qualifies
  /// names with, and the names the service namespace declares or binds (`Method`, `Client`,
  /// the `Input`/`Output` aliases, the `Result` generic parameter of streaming clients), and
  /// the literal-type aliases Swift looks up by name.
  public static let reservedTypeNames: Set<String> = [
    "Swift", "CourierWire", "CourierCore", "Method", "ServiceProtocol", "Client", "Input",
    "Output", "Result", "IntegerLiteralType", "FloatLiteralType", "BooleanLiteralType",
    "StringLiteralType", "UnicodeScalarType", "ExtendedGraphemeClusterType",
  ]

  /// The prefix of the enum generated for a oneof (`OneOf_Kind`); message and enum types may
  /// not start with it.
  public static let oneofTypePrefix = "OneOf_"

  /// `name` as it must be written in source: in backticks if it is a keyword.
  public static func quoted(_ name: String) -> String {
    keywords.contains(name) ? "`\(name)`" : name
  }
}
