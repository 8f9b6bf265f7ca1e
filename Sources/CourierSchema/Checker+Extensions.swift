// Extend blocks: custom options declared as extensions of descriptor.proto's options messages.

/// One number of one options message, which at most one extension may hold.
struct ExtensionNumber: Sendable, Hashable {
  var extendee: OptionLevel
  var number: Int
}

extension Checker {
  /// The extension numbers every options message of descriptor.proto declares
  /// (`extensions 1000 to max;`).
  static let optionsExtensionNumbers = 1000...fieldNumberMax

  /// The error for an extendee that is not an options message.
  static let onlyOptionsExtendees =
    "extensions are only supported to declare custom options (extend google.protobuf.*Options)"

  /// Checks one `extend` block; returns its valid extensions, which are also recorded in
  /// `extensions` for the options that use them. Extensions with errors are reported and left
  /// out, so options that name them are not reported a second time.
  mutating func checkExtend(_ syntax: SyntaxExtend, package: String) -> [ExtensionDecl] {
    let extendee = resolveExtendee(syntax.extendee, package: package)
    var checked: [ExtensionDecl] = []
    for field in syntax.fields {
      guard let type = checkExtensionField(field, package: package), let extendee else { continue }
      // checkExtensionField reported numbers outside every field range; these are below 1000.
      guard Self.optionsExtensionNumbers.contains(field.number) else {
        error(
          "\"\(extendee.optionsMessageFullName)\" does not declare \(field.number) as an extension number"
            + " (options messages declare 1000 to max)", at: field.numberLocation)
        continue
      }
      let options = checkOptions(field.options, level: .field, scope: package)
      checkExtensionOptions(field, options: options)
      let fullName = Self.qualify(package, field.name.text)
      let declaration = ExtensionDecl(
        name: field.name.text, fullName: fullName, extendee: extendee, number: field.number, type: type,
        isDeprecated: options.isDeprecated, options: options.declarations, customOptions: options.customOptions,
        documentation: field.documentation, location: field.location)
      // A name declared twice was reported when names were declared; keep the first.
      guard symbols[fullName]?.location == field.name.location else { continue }
      guard claimNumber(declaration, at: field.numberLocation) else { continue }
      extensions[fullName] = declaration
      checked.append(declaration)
    }
    return checked
  }

  /// The options level whose message `name` resolves to, or nil after reporting.
  private mutating func resolveExtendee(_ name: SyntaxName, package: String) -> OptionLevel? {
    let lookup = lookUp(name.text, scope: package, typesOnly: false)
    guard let (fullName, symbol) = lookup.found else {
      let written = name.text.hasPrefix(".") ? String(name.text.dropFirst()) : name.text
      if lookup.notImported != nil || lookup.resolvedTo != nil {
        reportUnresolved(name, lookup)
      } else if OptionLevel(optionsMessageFullName: written) != nil {
        error(
          "\"\(name.text)\" is not defined; add import \"\(BuiltInSchemas.descriptorPath)\"; to declare custom options",
          at: name.location)
      } else if written.hasPrefix("google.protobuf.") {
        // Another message of descriptor.proto, which the built-in file leaves out.
        error(Self.onlyOptionsExtendees, at: name.location)
      } else {
        reportUnresolved(name, lookup)
      }
      return nil
    }
    guard symbol.kind == .message, symbol.file == BuiltInSchemas.descriptorPath,
      let level = OptionLevel(optionsMessageFullName: fullName)
    else {
      error(Self.onlyOptionsExtendees, at: name.location)
      return nil
    }
    return level
  }

  /// The type of an extension field: a singular scalar or enum. Reports anything else, and
  /// field numbers outside every field range; returns nil when the field cannot be used.
  private mutating func checkExtensionField(_ field: SyntaxField, package: String) -> FieldType? {
    checkFieldNumber(field.number, at: field.numberLocation)
    let valid = field.number >= 1 && field.number <= Self.fieldNumberMax
      && !Self.implementationReservedFieldNumbers.contains(field.number)
    switch field.type {
    case .map:
      error("map fields are not allowed to be extensions", at: field.location)
      return nil
    case .named(let typeName):
      if field.label == .repeated {
        error("repeated custom options are not supported; declare a singular field", at: field.location)
      }
      let resolved = resolveFieldType(typeName, scope: package)
      if case .message? = resolved {
        error(
          "custom options of message type are not supported; use a scalar, string, bytes or enum type",
          at: typeName.location)
        return nil
      }
      return valid && field.label != .repeated ? resolved : nil
    }
  }

  /// The built-in options that make no sense on an extension, as protoc reports them.
  private mutating func checkExtensionOptions(_ field: SyntaxField, options: CheckedOptions) {
    if options.packed == true, let packed = field.options.last(where: { $0.name == "packed" }) {
      error("[packed = true] can only be specified for repeated primitive fields", at: packed.nameLocation)
    }
    if let jsonName = field.options.last(where: { $0.name == "json_name" }) {
      error("option json_name is not allowed on extension fields", at: jsonName.nameLocation)
    }
  }

  /// Records that `declaration` holds its number; false (after reporting) when an extension
  /// of the same file holds it already. protoc only warns when the other extension is in
  /// another file (options then carry the number twice), and so does Courier, which keys
  /// option values by extension name.
  private mutating func claimNumber(_ declaration: ExtensionDecl, at location: SourceLocation) -> Bool {
    let key = ExtensionNumber(extendee: declaration.extendee, number: declaration.number)
    guard let existing = extensionsByNumber[key] else {
      extensionsByNumber[key] = declaration
      return true
    }
    let message = "extension number \(declaration.number) has already been used in"
      + " \"\(declaration.extendee.optionsMessageFullName)\" by extension \"\(existing.fullName)\""
    if existing.location.file == currentFile {
      error(message, at: location)
      return false
    }
    warning(message + " defined in \(existing.location.file)", at: location)
    return true
  }
}
