// The names table: the output of the naming stage and the input of every renderer. Renderers
// never invent a Swift name; they look it up here, so one place decides every rename.

/// The Swift name of every declaration in a schema set.
public struct SwiftNames: Sendable, Hashable {
  /// Messages by fully qualified proto name.
  public internal(set) var messages: [String: MessageNames] = [:]
  /// Enums by fully qualified proto name.
  public internal(set) var enums: [String: EnumNames] = [:]
  /// Services by fully qualified proto name.
  public internal(set) var services: [String: ServiceNames] = [:]

  /// The Swift type path of a message or enum (`bench.v1.Amount` → `Bench_V1_Amount`,
  /// `pkg.Outer.Inner` → `Pkg_Outer.Inner`), or `nil` if the set declares no such type.
  public func typePath(of fullName: String) -> String? {
    messages[fullName]?.path ?? enums[fullName]?.path
  }
}

/// How a Swift identifier is written, and the names derived from it.
public struct SwiftIdentifier: Sendable, Hashable, CustomStringConvertible {
  /// The identifier itself, without backticks: `default`, `transferID`.
  public var name: String

  /// The identifier `name`, given without backticks.
  public init(_ name: String) { self.name = name }

  /// The identifier as source code: in backticks if it is a keyword.
  public var quoted: String { SwiftIdentifiers.quoted(name) }

  /// The identifier as source code.
  public var description: String { quoted }
}

/// The Swift names of a message and its members.
public struct MessageNames: Sendable, Hashable {
  /// The type's own name, e.g. `Inner`.
  public var typeName: String
  /// The path from the top level, e.g. `Pkg_Outer.Inner`.
  public var path: String
  /// Parallel to `MessageDecl.fields`: the property of each field (for oneof members, the
  /// convenience accessor and the case of the oneof enum).
  public var fields: [FieldNames]
  /// Parallel to `MessageDecl.oneofs`.
  public var oneofs: [OneofNames]
}

/// The names generated for one field.
public struct FieldNames: Sendable, Hashable {
  /// The public property (and, in a oneof, the enum case).
  public var property: SwiftIdentifier
  /// The private storage of fields with presence or deprecation, and of copy-on-write fields.
  public var storage: String { "_" + property.name }
  /// `hasX`, for fields with presence.
  public var has: String { "has" + NameTransforms.uppercasingFirst(property.name) }
  /// `clearX()`, for fields with presence.
  public var clear: String { "clear" + NameTransforms.uppercasingFirst(property.name) }
}

/// The names generated for one oneof.
public struct OneofNames: Sendable, Hashable {
  /// The optional property holding the set member, e.g. `kind`.
  public var property: SwiftIdentifier
  /// The nested enum of its members, e.g. `OneOf_Kind`.
  public var enumType: String
  /// The storage of the property in copy-on-write messages.
  public var storage: String { "_" + property.name }
}

/// The Swift names of an enum and its values.
public struct EnumNames: Sendable, Hashable {
  /// The type's own name, e.g. `Kind`.
  public var typeName: String
  /// The path from the top level, e.g. `Pkg_Leaf.Kind`.
  public var path: String
  /// Parallel to `EnumDecl.values`: the case, or for an alias the static property.
  public var values: [SwiftIdentifier]
}

/// The Swift names of a service and its methods.
public struct ServiceNames: Sendable, Hashable {
  /// The namespace enum, e.g. `Bench_V1_Bench`.
  public var typeName: String
  /// Parallel to `ServiceDecl.methods`.
  public var methods: [MethodNames]
}

/// The Swift names of one rpc.
public struct MethodNames: Sendable, Hashable {
  /// The enum in `Method` that holds the descriptor, e.g. `Transfer`.
  public var enumName: String
  /// The protocol requirement and client method, e.g. `transfer`.
  public var function: SwiftIdentifier
}
