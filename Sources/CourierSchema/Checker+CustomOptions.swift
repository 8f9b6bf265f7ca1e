// Custom options: `option (name) = value;` resolved to an extension, checked against the
// level it is used at and against the extension's type, as protoc's option interpreter does.

extension Checker {
  /// The extension `option` names (its `(name)` part, looked up from `scope` like protoc) and
  /// its value converted to the extension's type; nil after reporting why it cannot be used.
  mutating func resolveCustomOption(
    _ option: SyntaxOption, level: OptionLevel, scope: String
  ) -> (extensionName: String, value: OptionValue)? {
    let written = Self.customPart(of: option.name)
    let name = String(written.dropFirst().dropLast())
    let lookup = lookUp(name, scope: scope, typesOnly: false)
    guard let (fullName, symbol) = lookup.found else {
      reportUnknownOption(written, lookup, at: option.nameLocation)
      return nil
    }
    switch symbol.kind {
    case .extension: break
    case .field:
      // protoc takes any field it finds; one of a message is never a field of an options message.
      error(
        "option field \"\(written)\" is not a field or extension of message \"\(level.optionsMessageName)\"",
        at: option.nameLocation)
      return nil
    default:
      reportUnknownOption(written, Lookup(), at: option.nameLocation)
      return nil
    }
    // An extension with errors was reported where it is declared.
    guard let declaration = extensions[fullName] else { return nil }
    guard declaration.extendee == level else {
      error(
        "option field \"\(written)\" is not a field or extension of message \"\(level.optionsMessageName)\""
          + " (\"\(fullName)\" extends \"\(declaration.extendee.optionsMessageFullName)\")",
        at: option.nameLocation)
      return nil
    }
    guard option.name.count == written.count else {
      error("option \"\(written)\" is an atomic type, not a message", at: option.nameLocation)
      return nil
    }
    guard let value = convert(option.value, to: declaration, at: option.valueLocation) else { return nil }
    return (fullName, value)
  }

  /// The leading `(name)` of a custom option name such as `(my.ext).field`.
  static func customPart(of optionName: String) -> String {
    guard let close = optionName.firstIndex(of: ")") else { return optionName }
    return String(optionName[...close])
  }

  private mutating func reportUnknownOption(_ written: String, _ lookup: Lookup, at location: SourceLocation) {
    if let resolvedTo = lookup.resolvedTo {
      let name = written.dropFirst().dropLast()
      error(
        "option \"\(written)\" is resolved to \"(\(resolvedTo))\", which is not defined; the innermost scope is"
          + " searched first in name resolution (use a leading \".\", i.e. \"(.\(name))\", to start from the"
          + " outermost scope)", at: location)
    } else if let (fullName, file) = lookup.notImported {
      error(
        "option \"\(written)\" unknown; \"\(fullName)\" is defined in \(file), which is not imported by"
          + " \(currentFile)", at: location)
    } else {
      error(
        "option \"\(written)\" unknown; ensure that your proto definition file imports the proto which defines"
          + " the option", at: location)
    }
  }

  /// `value` as the extension's type (see `ExtensionDecl`), or nil after reporting.
  private mutating func convert(
    _ value: OptionValue, to declaration: ExtensionDecl, at location: SourceLocation
  ) -> OptionValue? {
    let name = declaration.fullName
    switch declaration.type {
    case .scalar(let scalar):
      return convert(value, to: scalar, option: name, at: location)
    case .enumeration(let enumName):
      guard case .identifier(let valueName) = value else {
        error("value must be an identifier for enum-valued option \"\(name)\"", at: location)
        return nil
      }
      guard enumValueNames[enumName]?.contains(valueName) == true else {
        // Enum values are siblings of their enum: a value of another enum of the same scope
        // is declared where this one's would be.
        let sibling = Self.qualify(Self.parentScope(of: enumName), valueName)
        let hint = symbols[sibling]?.kind == .enumValue ? "; this appears to be a value from a sibling type" : ""
        error(
          "enum type \"\(enumName)\" has no value named \"\(valueName)\" for option \"\(name)\"\(hint)", at: location)
        return nil
      }
      return .identifier(valueName)
    case .message, .map:
      return nil  // checkExtend never records such an extension.
    }
  }

  private mutating func convert(
    _ value: OptionValue, to scalar: ScalarType, option name: String, at location: SourceLocation
  ) -> OptionValue? {
    let typeName = scalar.rawValue
    switch scalar {
    case .string, .bytes:
      if case .string = value { return value }
      error("value must be a quoted string for string option \"\(name)\"", at: location)
    case .bool:
      if case .bool = value { return value }
      error("value must be \"true\" or \"false\" for boolean option \"\(name)\"", at: location)
    case .float, .double:
      switch value {
      case .float: return value
      case .integer(let integer): return .float(Double(integer))
      case .unsignedInteger(let integer): return .float(Double(integer))
      default: error("value must be a number for \(typeName) option \"\(name)\"", at: location)
      }
    case .int32, .sint32, .sfixed32, .int64, .sint64, .sfixed64:
      let bounds = scalar == .int32 || scalar == .sint32 || scalar == .sfixed32
        ? Int64(Int32.min)...Int64(Int32.max) : Int64.min...Int64.max
      switch value {
      case .integer(let integer) where bounds.contains(integer): return value
      case .integer, .unsignedInteger: error("value out of range for \(typeName) option \"\(name)\"", at: location)
      default: error("value must be an integer for \(typeName) option \"\(name)\"", at: location)
      }
    case .uint32, .fixed32, .uint64, .fixed64:
      let maximum = scalar == .uint32 || scalar == .fixed32 ? UInt64(UInt32.max) : UInt64.max
      switch value {
      case .integer(let integer) where integer >= 0 && UInt64(integer) <= maximum: return .unsignedInteger(UInt64(integer))
      case .unsignedInteger(let integer) where integer <= maximum: return value
      case .integer(let integer) where integer < 0:
        error("value must be a non-negative integer for \(typeName) option \"\(name)\"", at: location)
      case .integer, .unsignedInteger: error("value out of range for \(typeName) option \"\(name)\"", at: location)
      default: error("value must be a non-negative integer for \(typeName) option \"\(name)\"", at: location)
      }
    }
    return nil
  }

  /// `a.b` for `a.b.C`; "" for a name at the root.
  static func parentScope(of fullName: String) -> String {
    fullName.lastIndex(of: ".").map { String(fullName[..<$0]) } ?? ""
  }
}
