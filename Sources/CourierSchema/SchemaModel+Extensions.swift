// Custom options in the checked model: the options messages they extend, the extensions a
// file declares, and the names of the options Courier itself honours.

/// Where an option list appears. Each level has its options message in
/// google/protobuf/descriptor.proto; a custom option is an extension of one of them and can be
/// used only at that level (a `MethodOptions` extension only on rpcs).
public enum OptionLevel: String, Sendable, Hashable, CaseIterable {
  case file, message, field, oneof, enumeration, enumValue, service, method
  /// Options of `extensions` ranges, a proto2 construct: no proto3 declaration has them, but
  /// protoc lets proto3 files extend the message, so Courier does too.
  case extensionRange

  /// The options message's name in package `google.protobuf`, e.g. `MethodOptions`.
  public var optionsMessageName: String {
    switch self {
    case .file: return "FileOptions"
    case .message: return "MessageOptions"
    case .field: return "FieldOptions"
    case .oneof: return "OneofOptions"
    case .enumeration: return "EnumOptions"
    case .enumValue: return "EnumValueOptions"
    case .service: return "ServiceOptions"
    case .method: return "MethodOptions"
    case .extensionRange: return "ExtensionRangeOptions"
    }
  }

  /// The options message's fully qualified name, e.g. `google.protobuf.MethodOptions`.
  public var optionsMessageFullName: String { "google.protobuf." + optionsMessageName }

  /// The level whose options message is `fullName` (no leading dot), if any.
  public init?(optionsMessageFullName fullName: String) {
    guard let level = Self.allCases.first(where: { $0.optionsMessageFullName == fullName }) else { return nil }
    self = level
  }
}

/// A custom option, declared as a field of an `extend google.protobuf.*Options { ... }` block:
///
/// ```proto
/// extend google.protobuf.MethodOptions {
///   string required_scope = 50501;
/// }
/// ```
///
/// An option `(name)` resolves to an extension by protobuf's scoping rules (relative to where
/// the option is written, then outwards; `(.pkg.name)` is fully qualified), from the files the
/// declaring file can see. Its value is checked against `type` and stored, converted, in the
/// `customOptions` of the declaration that carries it, keyed by `fullName`:
///
/// | `type` | value written | stored as |
/// | --- | --- | --- |
/// | `string`, `bytes` | a quoted string | `.string` |
/// | `bool` | `true` or `false` | `.bool` |
/// | `int32`, `sint32`, `sfixed32`, `int64`, `sint64`, `sfixed64` | an integer in range | `.integer` |
/// | `uint32`, `fixed32`, `uint64`, `fixed64` | a non-negative integer in range | `.unsignedInteger` |
/// | `float`, `double` | a number, `inf`, `nan` | `.float` |
/// | an enum | one of its value names | `.identifier` |
///
/// Courier supports singular scalar, string, bytes and enum extensions only (protoc also
/// allows repeated and message-typed ones).
public struct ExtensionDecl: Sendable, Hashable {
  /// As declared: `required_scope`.
  public var name: String
  /// In the file's package: `courier.v1.required_scope`.
  public var fullName: String
  /// The level whose options message it extends (`.method` for `MethodOptions`).
  public var extendee: OptionLevel
  /// Its field number in the options message: 1000 to 536,870,911 (50000 to 99999 are for
  /// organizations' own options).
  public var number: Int
  /// A `.scalar` or an `.enumeration`.
  public var type: FieldType
  public var isDeprecated: Bool
  public var options: [OptionDecl]
  /// Custom options by the fully qualified name of their extension (`FieldOptions` ones).
  public var customOptions: [String: OptionValue]
  public var documentation: String?
  public var location: SourceLocation

  public init(
    name: String, fullName: String, extendee: OptionLevel, number: Int, type: FieldType,
    isDeprecated: Bool = false, options: [OptionDecl] = [], customOptions: [String: OptionValue] = [:],
    documentation: String? = nil, location: SourceLocation
  ) {
    self.name = name
    self.fullName = fullName
    self.extendee = extendee
    self.number = number
    self.type = type
    self.isDeprecated = isDeprecated
    self.options = options
    self.customOptions = customOptions
    self.documentation = documentation
    self.location = location
  }
}

/// The custom options Courier honours, declared in `Schemas/courier/v1/options.proto`.
public enum CourierOptions {
  /// `(courier.v1.required_scope)`, a string `MethodOptions` extension (number 50501): the scope a
  /// caller's credentials must grant to call the method, e.g. `ledger.write`.
  public static let requiredScope = "courier.v1.required_scope"
}

extension MethodDecl {
  /// The method's `(courier.v1.required_scope)` option, or nil when it sets none.
  public var requiredScope: String? {
    if case .string(let scope)? = customOptions[CourierOptions.requiredScope] { return scope }
    return nil
  }
}
