// Declaring names: packages, types, fields, oneofs, enum values, services and methods all share
// one namespace per scope, as in protoc, so any two of them with one full name collide.

extension Checker {
  /// A name to declare in one scope.
  private struct Member {
    var name: SyntaxName
    var kind: SymbolKind
    /// For enum values: the enum they belong to (for the C++ scoping note).
    var enumName: String?
    /// For map entries: the map field they are synthesized for.
    var mapField: String?
  }

  /// Declares every name of `file`; a name declared twice is reported at its later declaration.
  mutating func declareSymbols(of file: SyntaxFile) {
    currentFile = file.path
    let package = file.package?.text ?? ""
    if let name = file.package { declarePackage(name) }
    var members = file.messages.map { Member(name: $0.name, kind: .message) }
    members += file.services.map { Member(name: $0.name, kind: .service) }
    members += enumMembers(file.enums)
    members += file.extends.flatMap { $0.fields.map { Member(name: $0.name, kind: .extension) } }
    let declared = declare(members, scope: package)
    recordEnumValueNames(file.enums, scope: package)
    for message in file.messages where declared.contains(message.name.location) {
      declareMembers(of: message, fullName: Self.qualify(package, message.name.text))
    }
    for service in file.services where declared.contains(service.name.location) {
      let fullName = Self.qualify(package, service.name.text)
      _ = declare(service.methods.map { Member(name: $0.name, kind: .method) }, scope: fullName)
    }
  }

  /// Declares the fields, oneofs and nested declarations of a message, recursively (the
  /// parser bounds the nesting depth).
  private mutating func declareMembers(of message: SyntaxMessage, fullName: String) {
    var members = message.fields.map { Member(name: $0.name, kind: .field) }
    members += message.oneofs.map { Member(name: $0.name, kind: .oneof) }
    members += message.messages.map { Member(name: $0.name, kind: .message) }
    members += enumMembers(message.enums)
    var declared = declare(members, scope: fullName)
    recordEnumValueNames(message.enums, scope: fullName)
    // protoc synthesizes `LabelsEntry` for `map<...> labels`; declared after the written names,
    // so a clash is reported at the map field.
    for field in message.fields {
      guard case .map = field.type else { continue }
      let entryName = SyntaxName(text: Self.mapEntryName(field.name.text), location: field.name.location)
      declared.formUnion(declare([Member(name: entryName, kind: .mapEntry, mapField: field.name.text)], scope: fullName))
    }
    for nested in message.messages where declared.contains(nested.name.location) {
      declareMembers(of: nested, fullName: Self.qualify(fullName, nested.name.text))
    }
  }

  private mutating func recordEnumValueNames(_ enums: [SyntaxEnum], scope: String) {
    for enumeration in enums {
      enumValueNames[Self.qualify(scope, enumeration.name.text), default: []].formUnion(
        enumeration.values.map(\.name.text))
    }
  }

  /// Enums and their values: values are siblings of their enum (C++ scoping), not children.
  private func enumMembers(_ enums: [SyntaxEnum]) -> [Member] {
    enums.flatMap { enumeration in
      [Member(name: enumeration.name, kind: .enumeration)]
        + enumeration.values.map { Member(name: $0.name, kind: .enumValue, enumName: enumeration.name.text) }
    }
  }

  /// Declares `members` in source order; returns the locations of those that were declared.
  private mutating func declare(_ members: [Member], scope: String) -> Set<SourceLocation> {
    let ordered = members.sorted {
      ($0.name.location.line, $0.name.location.column) < ($1.name.location.line, $1.name.location.column)
    }
    var declared: Set<SourceLocation> = []
    for member in ordered where declare(member, scope: scope) {
      declared.insert(member.name.location)
    }
    return declared
  }

  private mutating func declare(_ member: Member, scope: String) -> Bool {
    let fullName = Self.qualify(scope, member.name.text)
    guard let existing = symbols[fullName] else {
      symbols[fullName] = Symbol(kind: member.kind, file: currentFile, location: member.name.location)
      return true
    }
    var message: String
    if let mapField = member.mapField {
      message = "the entry type \"\(member.name.text)\" of map field \"\(mapField)\" conflicts with an existing"
        + " \(existing.kind.displayName) of that name"
    } else if existing.kind == .package {
      message = "\"\(fullName)\" is already defined as a package"
    } else if existing.file == currentFile {
      message = scope.isEmpty
        ? "\"\(member.name.text)\" is already defined"
        : "\"\(member.name.text)\" is already defined in \"\(scope)\""
    } else {
      message = "\"\(fullName)\" is already defined in file \"\(existing.file)\""
    }
    if let enumName = member.enumName {
      let scopeText = scope.isEmpty ? "the root scope" : "\"\(scope)\""
      message += "; enum values use C++ scoping rules (they are siblings of their enum, not children"
        + " of it), so \"\(member.name.text)\" must be unique within \(scopeText), not just within"
        + " \"\(enumName)\""
    }
    error(message, at: member.name.location)
    return false
  }

  /// The name of the entry message of a map field: `my_labels` -> `MyLabelsEntry` (protoc's
  /// MapEntryName).
  static func mapEntryName(_ fieldName: String) -> String {
    var result = ""
    var capitalizeNext = true
    for character in fieldName {
      if character == "_" {
        capitalizeNext = true
      } else if capitalizeNext {
        result += character.uppercased()
        capitalizeNext = false
      } else {
        result.append(character)
      }
    }
    return result + "Entry"
  }

  /// Declares `a`, `a.b` and `a.b.c` for `package a.b.c;`. Packages may span files.
  private mutating func declarePackage(_ name: SyntaxName) {
    var prefix = ""
    for component in name.text.split(separator: ".") {
      prefix = Self.qualify(prefix, String(component))
      if let existing = symbols[prefix] {
        guard existing.kind == .package else {
          error(
            "\"\(prefix)\" is already defined (as something other than a package) in file \"\(existing.file)\"",
            at: name.location)
          return
        }
      } else {
        symbols[prefix] = Symbol(kind: .package, file: currentFile, location: name.location)
      }
    }
  }
}
