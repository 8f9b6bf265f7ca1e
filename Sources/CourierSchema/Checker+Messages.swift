// Messages: field numbers, labels, types, maps, oneofs, reserved numbers and names.

extension Checker {
  /// The largest field number protobuf allows (2^29 - 1).
  static let fieldNumberMax = 536_870_911
  /// Field numbers the protobuf implementation keeps for itself.
  static let implementationReservedFieldNumbers = 19_000...19_999

  mutating func checkMessage(_ syntax: SyntaxMessage, scope: String) -> MessageDecl {
    let fullName = Self.qualify(scope, syntax.name.text)
    let options = checkOptions(syntax.options, level: .message, scope: scope)
    let messages = syntax.messages.map { checkMessage($0, scope: fullName) }
    let enums = syntax.enums.map { checkEnum($0, scope: fullName) }
    let reserved = checkReserved(syntax.reserved, bounds: 1...Self.fieldNumberMax, of: .field)
    var fields: [FieldDecl] = []
    var fieldsByNumber: [Int: String] = [:]
    for field in syntax.fields {
      fields.append(checkField(field, message: fullName, reserved: reserved))
      if let existing = fieldsByNumber[field.number] {
        error(
          "field number \(field.number) has already been used in \"\(fullName)\" by field \"\(existing)\"",
          at: field.numberLocation)
      } else {
        fieldsByNumber[field.number] = field.name.text
      }
    }
    checkCamelCaseNames(syntax.fields)
    let oneofs = syntax.oneofs.enumerated().map { index, oneof in
      checkOneof(
        oneof, message: fullName, fieldIndices: syntax.fields.indices.filter { syntax.fields[$0].oneofIndex == index })
    }
    return MessageDecl(
      name: syntax.name.text, fullName: fullName, fields: fields, oneofs: oneofs, messages: messages,
      enums: enums, reserved: reserved.declaration, isDeprecated: options.isDeprecated,
      options: options.declarations, customOptions: options.customOptions, documentation: syntax.documentation,
      location: syntax.location)
  }

  private mutating func checkOneof(_ syntax: SyntaxOneof, message: String, fieldIndices: [Int]) -> OneofDecl {
    let options = checkOptions(syntax.options, level: .oneof, scope: message)
    if fieldIndices.isEmpty {
      error("oneof must have at least one field", at: syntax.name.location)
    }
    return OneofDecl(
      name: syntax.name.text, fieldIndices: fieldIndices, customOptions: options.customOptions,
      documentation: syntax.documentation, location: syntax.location)
  }

  private mutating func checkField(_ syntax: SyntaxField, message: String, reserved: CheckedReserved) -> FieldDecl {
    let options = checkOptions(syntax.options, level: .field, scope: message)
    checkFieldNumber(syntax.number, at: syntax.numberLocation)
    if reserved.names.contains(syntax.name.text) {
      error("field name \"\(syntax.name.text)\" is reserved", at: syntax.name.location)
    }
    if reserved.contains(syntax.number) {
      error("field \"\(syntax.name.text)\" uses reserved number \(syntax.number)", at: syntax.numberLocation)
    }
    let label: FieldLabel
    let type: FieldType
    switch syntax.type {
    case .named(let name):
      type = resolveFieldType(name, scope: message) ?? .message(name.text)
      switch syntax.label {
      case nil: label = .singular
      case .optional: label = .optional
      case .repeated: label = .repeated
      }
    case .map(let key, let value):
      let keyType = checkMapKey(key, scope: message) ?? .string
      let valueType = resolveFieldType(value, scope: message) ?? .message(value.text)
      type = .map(key: keyType, value: valueType)
      label = .repeated
    }
    if options.packed == true, !Self.isPackable(type, label: label),
       let packed = syntax.options.last(where: { $0.name == "packed" }) {
      error("[packed = true] can only be specified for repeated primitive fields", at: packed.nameLocation)
    }
    return FieldDecl(
      name: syntax.name.text, number: syntax.number, label: label, type: type, oneofIndex: syntax.oneofIndex,
      packed: options.packed, isDeprecated: options.isDeprecated, options: options.declarations,
      customOptions: options.customOptions, documentation: syntax.documentation, location: syntax.location)
  }

  mutating func checkFieldNumber(_ number: Int, at location: SourceLocation) {
    if number < 1 {
      error("field numbers must be positive integers", at: location)
    } else if number > Self.fieldNumberMax {
      error("field numbers cannot be greater than \(Self.fieldNumberMax)", at: location)
    } else if Self.implementationReservedFieldNumbers.contains(number) {
      error(
        "field numbers 19000 through 19999 are reserved for the protocol buffer library implementation",
        at: location)
    }
  }

  /// A map key must be an integer type, `bool` or `string`.
  private mutating func checkMapKey(_ key: SyntaxName, scope: String) -> ScalarType? {
    if let scalar = ScalarType(rawValue: key.text) {
      if scalar.isValidMapKey { return scalar }
      error("key in map fields cannot be float/double, bytes or message types", at: key.location)
      return nil
    }
    switch resolveFieldType(key, scope: scope) {
    case .enumeration: error("key in map fields cannot be enum types", at: key.location)
    case .message: error("key in map fields cannot be float/double, bytes or message types", at: key.location)
    default: break
    }
    return nil
  }

  static func isPackable(_ type: FieldType, label: FieldLabel) -> Bool {
    guard label == .repeated else { return false }
    switch type {
    case .scalar(let scalar): return scalar.isPackable
    case .enumeration: return true
    case .message, .map: return false
    }
  }

  /// protoc (3.21) rejects two fields of a proto3 message whose names are equal once lowercased
  /// with underscores removed (`foo_bar` and `fooBar`): their JSON (and Swift) names collide.
  private mutating func checkCamelCaseNames(_ fields: [SyntaxField]) {
    var fieldsByKey: [String: String] = [:]
    for field in fields {
      let key = String(field.name.text.lowercased().filter { $0 != "_" })
      if let existing = fieldsByKey[key] {
        if existing != field.name.text {
          error(
            "the JSON camel-case name of field \"\(field.name.text)\" conflicts with field \"\(existing)\"",
            at: field.name.location)
        }
      } else {
        fieldsByKey[key] = field.name.text
      }
    }
  }
}
