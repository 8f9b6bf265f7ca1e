// Options: every option is kept as written; the few the framework honours are validated.

/// Where an option list appears; decides which built-in options are honoured.
enum OptionLevel: Sendable {
  case file, message, field, oneof, enumeration, enumValue, service, method
}

/// An option list after validation: the declarations as written plus the honoured values.
struct CheckedOptions: Sendable {
  var declarations: [OptionDecl] = []
  var isDeprecated = false
  var packed: Bool?
  var allowAlias = false
  var idempotencyLevel = IdempotencyLevel.idempotencyUnknown
  var jsonName: String?
}

extension Checker {
  /// Validates the honoured options at `level` (`deprecated`, `packed`, `allow_alias`,
  /// `idempotency_level`, `swift_prefix`, `json_name`) and rejects `map_entry` (the parser
  /// rejects `default`).
  /// Any other option, custom `(ext).options` included, is accepted and kept.
  mutating func checkOptions(_ options: [SyntaxOption], level: OptionLevel) -> CheckedOptions {
    var result = CheckedOptions()
    var seen: Set<String> = []
    for option in options {
      result.declarations.append(OptionDecl(name: option.name, value: option.value, location: option.nameLocation))
      if !option.name.hasPrefix("(") {
        if seen.contains(option.name) {
          error("option \"\(option.name)\" was already set", at: option.nameLocation)
        }
        seen.insert(option.name)
      }
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
