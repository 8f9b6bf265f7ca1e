// Options: every option is kept as written; the built-in ones the framework honours are
// validated, and custom ones are resolved to their extensions (Checker+CustomOptions.swift).

/// An option list after validation: the declarations as written plus the honoured values.
struct CheckedOptions: Sendable {
  var declarations: [OptionDecl] = []
  /// Resolved custom options, by fully qualified extension name, converted to its type.
  var customOptions: [String: OptionValue] = [:]
  var isDeprecated = false
  var packed: Bool?
  var allowAlias = false
  var idempotencyLevel = IdempotencyLevel.idempotencyUnknown
  var jsonName: String?
}

extension Checker {
  /// Validates the honoured options at `level` (`deprecated`, `packed`, `allow_alias`,
  /// `idempotency_level`, `swift_prefix`, `json_name`), rejects `map_entry` (the parser
  /// rejects `default`) and resolves custom `(ext)` options from `scope` (where protoc looks
  /// them up: the scope that declares the element carrying the options, e.g. the service for
  /// an rpc, the package for a top-level message).
  /// Any other built-in option is accepted and kept.
  mutating func checkOptions(_ options: [SyntaxOption], level: OptionLevel, scope: String) -> CheckedOptions {
    var result = CheckedOptions()
    var seen: Set<String> = []
    for option in options {
      result.declarations.append(OptionDecl(name: option.name, value: option.value, location: option.nameLocation))
      if option.name.hasPrefix("(") {
        guard let (extensionName, value) = resolveCustomOption(option, level: level, scope: scope) else { continue }
        if result.customOptions[extensionName] != nil {
          error("option \"\(Self.customPart(of: option.name))\" was already set", at: option.nameLocation)
        } else {
          result.customOptions[extensionName] = value
        }
        continue
      }
      if seen.contains(option.name) {
        error("option \"\(option.name)\" was already set", at: option.nameLocation)
      }
      seen.insert(option.name)
      switch (option.name, level) {
      case ("deprecated", let level) where level != .oneof:
        result.isDeprecated = boolValue(option) ?? false
      case ("packed", .field):
        result.packed = boolValue(option)
      case ("allow_alias", .enumeration):
        result.allowAlias = boolValue(option) ?? false
      case ("idempotency_level", .method):
        result.idempotencyLevel = idempotencyLevel(option)
      case ("swift_prefix", .file):
        _ = stringValue(option)
      case ("json_name", .field):
        result.jsonName = stringValue(option)
      case ("map_entry", .message):
        error("map_entry should not be set explicitly; use map<KeyType, ValueType> instead", at: option.nameLocation)
      default:
        break
      }
    }
    return result
  }

  private mutating func boolValue(_ option: SyntaxOption) -> Bool? {
    if case .bool(let value) = option.value { return value }
    error("value must be \"true\" or \"false\" for boolean option \"\(option.name)\"", at: option.valueLocation)
    return nil
  }

  private mutating func stringValue(_ option: SyntaxOption) -> String? {
    if case .string(let value) = option.value { return value }
    error("value must be a quoted string for string option \"\(option.name)\"", at: option.valueLocation)
    return nil
  }

  private mutating func idempotencyLevel(_ option: SyntaxOption) -> IdempotencyLevel {
    if case .identifier(let name) = option.value, let level = IdempotencyLevel(rawValue: name) {
      return level
    }
    error(
      "value of option \"idempotency_level\" must be one of NO_SIDE_EFFECTS, IDEMPOTENT, IDEMPOTENCY_UNKNOWN",
      at: option.valueLocation)
    return .idempotencyUnknown
  }
}
