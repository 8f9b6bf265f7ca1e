// The checked schema model: what the checker produces and the code generator consumes.
//
// Every type reference is resolved to a fully qualified name without a leading dot
// ("bench.v1.Amount"); every declaration keeps its source location and the comment written
// above it (or after it, on the same line), so the generator can turn it into a doc comment.

/// A position in a schema file; lines and columns count from 1.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// The file as it was named on the command line or in an `import` (relative to its root).
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}

/// A value given to an option: `option (my.opt) = 3;` or `[deprecated = true]`.
public enum OptionValue: Sendable, Hashable {
  case identifier(String)
  case integer(Int64)
  case unsignedInteger(UInt64)
  case float(Double)
  case string(String)
  case bool(Bool)
  /// A message literal `{ ... }`, kept as its source text.
  case aggregate(String)
}

/// One option as written. Custom options keep their parenthesized name: `(my.ext).field`.
public struct OptionDecl: Sendable, Hashable {
  public var name: String
  public var value: OptionValue
  public var location: SourceLocation

  public init(name: String, value: OptionValue, location: SourceLocation) {
    self.name = name
    self.value = value
    self.location = location
  }
}

/// The 15 scalar types of proto3.
public enum ScalarType: String, Sendable, Hashable, CaseIterable {
  case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, bytes, uint32
  case sfixed32, sfixed64, sint32, sint64

  /// Whether a `map` may use this type as its key (every integer type, `bool`, `string`).
  public var isValidMapKey: Bool {
    switch self {
    case .double, .float, .bytes: return false
    default: return true
    }
  }

  /// Whether `repeated` fields of this type are packed (every scalar but `string` and `bytes`).
  public var isPackable: Bool { self != .string && self != .bytes }
}

/// The type of a field, with references resolved.
public indirect enum FieldType: Sendable, Hashable {
  case scalar(ScalarType)
  /// A message, by fully qualified name.
  case message(String)
  /// An enum, by fully qualified name.
  case enumeration(String)
  /// `map<K, V>`: the key is a scalar allowed as a key; the value is never a map.
  case map(key: ScalarType, value: FieldType)
}

/// How a field holds values.
public enum FieldLabel: Sendable, Hashable {
  /// A proto3 singular field: scalars have no presence, messages do.
  case singular
  /// `optional`: explicit presence (`hasX`, `clearX`).
  case optional
  /// `repeated` (maps are `repeated` with a `.map` type).
  case repeated
}

/// A field of a message.
public struct FieldDecl: Sendable, Hashable {
  public var name: String
  public var number: Int
  public var label: FieldLabel
  public var type: FieldType
  /// The index into `MessageDecl.oneofs` of the oneof that holds this field, if any.
  public var oneofIndex: Int?
  /// `[packed = false]` turns packing off; `nil` means proto3's default (packed).
  public var packed: Bool?
  public var isDeprecated: Bool
  public var options: [OptionDecl]
  /// Custom options by the fully qualified name of their extension (see `ExtensionDecl`).
  public var customOptions: [String: OptionValue]
  public var documentation: String?
  public var location: SourceLocation

  public init(
    name: String, number: Int, label: FieldLabel, type: FieldType, oneofIndex: Int? = nil,
    packed: Bool? = nil, isDeprecated: Bool = false, options: [OptionDecl] = [],
    customOptions: [String: OptionValue] = [:],
    documentation: String? = nil, location: SourceLocation
  ) {
    self.name = name
    self.number = number
    self.label = label
    self.type = type
    self.oneofIndex = oneofIndex
    self.packed = packed
    self.isDeprecated = isDeprecated
    self.options = options
    self.customOptions = customOptions
    self.documentation = documentation
    self.location = location
  }
}

/// A `oneof`: at most one of its fields is set.
public struct OneofDecl: Sendable, Hashable {
  public var name: String
  /// Indices into `MessageDecl.fields`, in declaration order.
  public var fieldIndices: [Int]
  /// Custom options by the fully qualified name of their extension (see `ExtensionDecl`).
  public var customOptions: [String: OptionValue]
  public var documentation: String?
  public var location: SourceLocation

  public init(
    name: String, fieldIndices: [Int], customOptions: [String: OptionValue] = [:], documentation: String? = nil,
    location: SourceLocation
  ) {
    self.name = name
    self.fieldIndices = fieldIndices
    self.customOptions = customOptions
    self.documentation = documentation
    self.location = location
  }
}

/// `reserved 2, 15, 9 to 11;` as inclusive ranges, and `reserved "foo";` as names.
public struct ReservedDecl: Sendable, Hashable {
  public var ranges: [ClosedRange<Int>]
  public var names: [String]

  public init(ranges: [ClosedRange<Int>] = [], names: [String] = []) {
    self.ranges = ranges
    self.names = names
  }
}

/// A message, with its nested declarations.
public struct MessageDecl: Sendable, Hashable {
  public var name: String
  /// Fully qualified: `package.Outer.Inner`.
  public var fullName: String
  /// In declaration order (oneof members included, in place).
  public var fields: [FieldDecl]
  public var oneofs: [OneofDecl]
  public var messages: [MessageDecl]
  public var enums: [EnumDecl]
  public var reserved: ReservedDecl
  public var isDeprecated: Bool
  public var options: [OptionDecl]
  /// Custom options by the fully qualified name of their extension (see `ExtensionDecl`).
  public var customOptions: [String: OptionValue]
  public var documentation: String?
  public var location: SourceLocation

  public init(
    name: String, fullName: String, fields: [FieldDecl] = [], oneofs: [OneofDecl] = [],
    messages: [MessageDecl] = [], enums: [EnumDecl] = [], reserved: ReservedDecl = ReservedDecl(),
    isDeprecated: Bool = false, options: [OptionDecl] = [],
    customOptions: [String: OptionValue] = [:], documentation: String? = nil,
    location: SourceLocation
  ) {
    self.name = name
    self.fullName = fullName
    self.fields = fields
    self.oneofs = oneofs
    self.messages = messages
    self.enums = enums
    self.reserved = reserved
    self.isDeprecated = isDeprecated
    self.options = options
    self.customOptions = customOptions
    self.documentation = documentation
    self.location = location
  }
}

/// One value of an enum.
public struct EnumValueDecl: Sendable, Hashable {
  public var name: String
  public var number: Int32
  public var isDeprecated: Bool
  public var options: [OptionDecl]
  /// Custom options by the fully qualified name of their extension (see `ExtensionDecl`).
  public var customOptions: [String: OptionValue]
  public var documentation: String?
  public var location: SourceLocation

  public init(
    name: String, number: Int32, isDeprecated: Bool = false, options: [OptionDecl] = [],
    customOptions: [String: OptionValue] = [:],
    documentation: String? = nil, location: SourceLocation
  ) {
    self.name = name
    self.number = number
    self.isDeprecated = isDeprecated
    self.options = options
    self.customOptions = customOptions
    self.documentation = documentation
    self.location = location
  }
}

/// An enum (proto3 enums are open).
public struct EnumDecl: Sendable, Hashable {
  public var name: String
  public var fullName: String
  /// In declaration order; the first has number 0.
  public var values: [EnumValueDecl]
  /// `option allow_alias = true;`: several names may share a number.
  public var allowAlias: Bool
  public var reserved: ReservedDecl
  public var isDeprecated: Bool
  public var options: [OptionDecl]
  /// Custom options by the fully qualified name of their extension (see `ExtensionDecl`).
  public var customOptions: [String: OptionValue]
  public var documentation: String?
  public var location: SourceLocation

  public init(
    name: String, fullName: String, values: [EnumValueDecl], allowAlias: Bool = false,
    reserved: ReservedDecl = ReservedDecl(), isDeprecated: Bool = false, options: [OptionDecl] = [],
    customOptions: [String: OptionValue] = [:],
    documentation: String? = nil, location: SourceLocation
  ) {
    self.name = name
    self.fullName = fullName
    self.values = values
    self.allowAlias = allowAlias
    self.reserved = reserved
    self.isDeprecated = isDeprecated
    self.options = options
    self.customOptions = customOptions
    self.documentation = documentation
    self.location = location
  }
}

/// `option idempotency_level = ...;` on a method.
public enum IdempotencyLevel: String, Sendable, Hashable {
  case idempotencyUnknown = "IDEMPOTENCY_UNKNOWN"
  /// Safe to retry and to call speculatively (reads).
  case noSideEffects = "NO_SIDE_EFFECTS"
  /// Safe to retry: repeating it has the effect of one call.
  case idempotent = "IDEMPOTENT"
}

/// An `rpc` of a service.
public struct MethodDecl: Sendable, Hashable {
  public var name: String
  /// Fully qualified message names.
  public var inputType: String
  public var outputType: String
  public var clientStreaming: Bool
  public var serverStreaming: Bool
  public var idempotencyLevel: IdempotencyLevel
  public var isDeprecated: Bool
  public var options: [OptionDecl]
  /// Custom options by the fully qualified name of their extension (see `ExtensionDecl`).
  public var customOptions: [String: OptionValue]
  public var documentation: String?
  public var location: SourceLocation

  public init(
    name: String, inputType: String, outputType: String, clientStreaming: Bool = false,
    serverStreaming: Bool = false, idempotencyLevel: IdempotencyLevel = .idempotencyUnknown,
    isDeprecated: Bool = false, options: [OptionDecl] = [],
    customOptions: [String: OptionValue] = [:], documentation: String? = nil,
    location: SourceLocation
  ) {
    self.name = name
    self.inputType = inputType
    self.outputType = outputType
    self.clientStreaming = clientStreaming
    self.serverStreaming = serverStreaming
    self.idempotencyLevel = idempotencyLevel
    self.isDeprecated = isDeprecated
    self.options = options
    self.customOptions = customOptions
    self.documentation = documentation
    self.location = location
  }
}

/// A `service`.
public struct ServiceDecl: Sendable, Hashable {
  public var name: String
  public var fullName: String
  public var methods: [MethodDecl]
  public var isDeprecated: Bool
  public var options: [OptionDecl]
  /// Custom options by the fully qualified name of their extension (see `ExtensionDecl`).
  public var customOptions: [String: OptionValue]
  public var documentation: String?
  public var location: SourceLocation

  public init(
    name: String, fullName: String, methods: [MethodDecl], isDeprecated: Bool = false,
    options: [OptionDecl] = [],
    customOptions: [String: OptionValue] = [:], documentation: String? = nil, location: SourceLocation
  ) {
    self.name = name
    self.fullName = fullName
    self.methods = methods
    self.isDeprecated = isDeprecated
    self.options = options
    self.customOptions = customOptions
    self.documentation = documentation
    self.location = location
  }
}

/// An `import` statement.
public struct ImportDecl: Sendable, Hashable {
  public enum Kind: Sendable, Hashable { case normal, `public`, weak }
  /// The path as written, relative to a proto-path root.
  public var path: String
  public var kind: Kind
  public var location: SourceLocation

  public init(path: String, kind: Kind = .normal, location: SourceLocation) {
    self.path = path
    self.kind = kind
    self.location = location
  }
}

/// One checked `.proto` file.
public struct SchemaFile: Sendable, Hashable {
  /// The path relative to its proto-path root, e.g. `bench/v1/bench.proto`.
  public var path: String
  /// The package, or "" when the file declares none.
  public var package: String
  public var imports: [ImportDecl]
  public var messages: [MessageDecl]
  public var enums: [EnumDecl]
  public var services: [ServiceDecl]
  /// The custom options the file declares (its `extend` blocks), in declaration order.
  public var extensions: [ExtensionDecl]
  /// File options, e.g. `swift_prefix`.
  public var options: [OptionDecl]
  /// Custom options by the fully qualified name of their extension (see `ExtensionDecl`).
  public var customOptions: [String: OptionValue]
  /// The comment above `syntax` (or the file's first comment block).
  public var documentation: String?

  public init(
    path: String, package: String = "", imports: [ImportDecl] = [], messages: [MessageDecl] = [],
    enums: [EnumDecl] = [], services: [ServiceDecl] = [], extensions: [ExtensionDecl] = [],
    options: [OptionDecl] = [], customOptions: [String: OptionValue] = [:], documentation: String? = nil
  ) {
    self.path = path
    self.package = package
    self.imports = imports
    self.messages = messages
    self.enums = enums
    self.services = services
    self.extensions = extensions
    self.options = options
    self.customOptions = customOptions
    self.documentation = documentation
  }

  /// The value of the file option `name`, if set.
  public func option(_ name: String) -> OptionValue? {
    options.last(where: { $0.name == name })?.value
  }
}

/// The files a compilation asked for, plus every file they import (transitively).
public struct SchemaSet: Sendable, Hashable {
  /// Every file, dependencies before dependents.
  public var files: [SchemaFile]
  /// The paths named on the command line (the ones to generate code for).
  public var requestedPaths: [String]

  public init(files: [SchemaFile], requestedPaths: [String]) {
    self.files = files
    self.requestedPaths = requestedPaths
  }

  /// The file at `path`, if it is in the set.
  public func file(_ path: String) -> SchemaFile? {
    files.first(where: { $0.path == path })
  }
}

/// A problem found in a schema, reported as `file:line:col: error: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Error {
  public enum Severity: String, Sendable, Hashable {
    case error, warning
  }

  public var severity: Severity
  public var location: SourceLocation
  public var message: String

  public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
    self.severity = severity
    self.location = location
    self.message = message
  }

  public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
