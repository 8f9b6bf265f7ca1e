// Enums: the zero first value, int32 numbers, aliases, reserved values, prefix-stripped names.

extension Checker {
  mutating func checkEnum(_ syntax: SyntaxEnum, scope: String) -> EnumDecl {
    let fullName = Self.qualify(scope, syntax.name.text)
    let options = checkOptions(syntax.options, level: .enumeration, scope: scope)
    let reserved = checkReserved(syntax.reserved, bounds: Int(Int32.min)...Int(Int32.max), of: .enumValue)
    if let first = syntax.values.first {
      if first.number != 0 {
        error("the first enum value must be zero in proto3", at: first.numberLocation)
      }
    } else {
      error("enums must contain at least one value", at: syntax.name.location)
    }
    var namesByNumber: [Int: String] = [:]
    var hasAliases = false
    var values: [EnumValueDecl] = []
    for value in syntax.values {
      // Enum values are siblings of their enum, so their options resolve from the enum's scope.
      let valueOptions = checkOptions(value.options, level: .enumValue, scope: scope)
      if Int32(exactly: value.number) == nil {
        error(
          "enum value \"\(value.name.text)\" is out of range (enum values are int32: \(Int32.min) to \(Int32.max))",
          at: value.numberLocation)
      }
      if let existing = namesByNumber[value.number] {
        hasAliases = true
        if !options.allowAlias {
          error(
            "\"\(value.name.text)\" uses the same enum value as \"\(existing)\"; if this is intended, set"
              + " 'option allow_alias = true;' to the enum definition", at: value.numberLocation)
        }
      } else {
        namesByNumber[value.number] = value.name.text
      }
      if reserved.names.contains(value.name.text) {
        error("enum value \"\(value.name.text)\" is reserved", at: value.name.location)
      }
      if reserved.contains(value.number) {
        error("enum value \"\(value.name.text)\" uses reserved number \(value.number)", at: value.numberLocation)
      }
      values.append(
        EnumValueDecl(
          name: value.name.text, number: Int32(clamping: value.number), isDeprecated: valueOptions.isDeprecated,
          options: valueOptions.declarations, customOptions: valueOptions.customOptions,
          documentation: value.documentation, location: value.location))
    }
    if options.allowAlias, !hasAliases,
       let option = syntax.options.last(where: { $0.name == "allow_alias" }) {
      error(
        "\"\(fullName)\" declares 'option allow_alias = true;' but no enum values share a number;"
          + " remove the option", at: option.nameLocation)
    }
    checkStrippedNames(syntax)
    return EnumDecl(
      name: syntax.name.text, fullName: fullName, values: values, allowAlias: options.allowAlias,
      reserved: reserved.declaration, isDeprecated: options.isDeprecated, options: options.declarations,
      customOptions: options.customOptions, documentation: syntax.documentation, location: syntax.location)
  }

  /// protoc requires value names to stay distinct once the enum's name is stripped as a prefix
  /// and they are PascalCased (`MY_ENUM_FOO` and `FOO` of `MyEnum` collide), so generators can
  /// strip prefixes; aliases (same number) are allowed to collide.
  private mutating func checkStrippedNames(_ syntax: SyntaxEnum) {
    var valuesByKey: [String: SyntaxEnumValue] = [:]
    for value in syntax.values {
      let key = Self.pascalCase(Self.strippingPrefix(syntax.name.text, from: value.name.text))
      guard let existing = valuesByKey[key] else {
        valuesByKey[key] = value
        continue
      }
      if existing.name.text != value.name.text, existing.number != value.number {
        error(
          "enum value \"\(value.name.text)\" has the same name as \"\(existing.name.text)\" if you ignore"
            + " case and strip out the enum name prefix (if any); if you are using allow_alias, assign"
            + " the same number to both", at: value.name.location)
      }
    }
  }

  /// `name` without the enum name as a prefix, compared case-insensitively and ignoring
  /// underscores (protoc's PrefixRemover); unchanged when that would leave nothing.
  static func strippingPrefix(_ enumName: String, from name: String) -> String {
    let prefix = enumName.utf8.filter { $0 != UInt8(ascii: "_") }.map(Self.lowercased)
    let bytes = Array(name.utf8)
    var index = 0
    var matched = 0
    while index < bytes.count, matched < prefix.count {
      if bytes[index] != UInt8(ascii: "_") {
        guard Self.lowercased(bytes[index]) == prefix[matched] else { return name }
        matched += 1
      }
      index += 1
    }
    guard matched == prefix.count else { return name }
    while index < bytes.count, bytes[index] == UInt8(ascii: "_") { index += 1 }
    guard index < bytes.count else { return name }
    return String(decoding: bytes[index...], as: UTF8.self)
  }

  /// `FOO_BAR` -> `FooBar` (protoc's EnumValueToPascalCase).
  static func pascalCase(_ name: String) -> String {
    var result: [UInt8] = []
    var upperNext = true
    for byte in name.utf8 {
      if byte == UInt8(ascii: "_") {
        upperNext = true
      } else {
        result.append(upperNext ? uppercased(byte) : lowercased(byte))
        upperNext = false
      }
    }
    return String(decoding: result, as: UTF8.self)
  }

  static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  static func uppercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
  }
}
