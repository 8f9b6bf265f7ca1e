// Stage 1 of generation: the checked schema model → the names table (`SwiftNames`).
//
// Every rule that turns a proto name into a Swift name, and every collision rule, lives here
// (the case conversions themselves are in `NameTransforms`). The result depends only on the
// schema set and is computed in declaration order, so it is deterministic.

public import CourierSchema

/// Computes the Swift names of every declaration in a schema set.
public enum SwiftNaming {
  /// Names every message, enum, field, enum value, service and method of `set`.
  ///
  /// Top-level types share one namespace across all files of the set (they are assumed to be
  /// generated into the same Swift module). Nested types, members and cases are named within
  /// their scope.
  public static func names(for set: SchemaSet) -> SwiftNames {
    var names = SwiftNames()
    var topLevel = Set<String>()
    // Pass 1: every top-level name, so nested names can avoid shadowing any of them.
    for file in set.files {
      let prefix = typePrefix(of: file)
      for message in file.messages {
        let name = claimTypeName(prefix, message.name, suffix: "Message", in: &topLevel) { _ in
          false
        }
        names.messages[message.fullName] = MessageNames(
          typeName: name, path: name, fields: [], oneofs: [])
      }
      for enumeration in file.enums {
        let name = claimTypeName(prefix, enumeration.name, suffix: "Enum", in: &topLevel) { _ in
          false
        }
        names.enums[enumeration.fullName] = EnumNames(typeName: name, path: name, values: [])
      }
      for service in file.services {
        let name = claimTypeName(prefix, service.name, suffix: "Service", in: &topLevel) { _ in
          false
        }
        names.services[service.fullName] = ServiceNames(typeName: name, methods: [])
      }
    }
    // Pass 2: members, nested types, enum values, methods.
    for file in set.files {
      for message in file.messages {
        nameMessage(
          message, path: names.messages[message.fullName]?.path ?? "", topLevel: topLevel,
          into: &names)
      }
      for enumeration in file.enums {
        names.enums[enumeration.fullName]?.values = valueNames(of: enumeration)
      }
      for service in file.services {
        names.services[service.fullName]?.methods = methodNames(of: service, topLevel: topLevel)
      }
    }
    return names
  }

  /// The prefix of the file's top-level type names: the `swift_prefix` option if set,
  /// otherwise the package in upper camel case (`bench.v1` → `Bench_V1_`).
  public static func typePrefix(of file: SchemaFile) -> String {
    if case .string(let prefix)? = file.option("swift_prefix") {
      return NameTransforms.sanitizedPrefix(prefix)
    }
    return NameTransforms.packagePrefix(file.package)
  }

  // MARK: - Types

  /// Claims a type name in a scope: the proto name as a type name (with `prefix`), plus
  /// `suffix` if it is a keyword, a reserved name or starts like a oneof enum, or if
  /// `shadows` says it would hide a name generated code refers to; then `_2`, `_3`... until
  /// it is free in `scope`.
  static func claimTypeName(
    _ prefix: String, _ protoName: String, suffix: String, in scope: inout Set<String>,
    shadows: (String) -> Bool
  ) -> String {
    let converted = NameTransforms.typeName(protoName)
    var name = prefix + (converted.isEmpty ? suffix : converted)
    if SwiftIdentifiers.keywords.contains(name) || SwiftIdentifiers.reservedTypeNames.contains(name)
      || name.hasPrefix(SwiftIdentifiers.oneofTypePrefix) || shadows(name)
    {
      name += suffix
    }
    let unique = firstFree(name, taken: { scope.contains($0) || shadows($0) })
    scope.insert(unique)
    return unique
  }

  static func nameMessage(
    _ message: MessageDecl, path: String, topLevel: Set<String>, into names: inout SwiftNames
  ) {
    let (fields, oneofs) = memberNames(of: message)
    names.messages[message.fullName]?.fields = fields
    names.messages[message.fullName]?.oneofs = oneofs
    // A nested type must not hide a top-level type: members refer to types by their path
    // from the top level, whose first component would then resolve to the nested type.
    var scope = Set<String>()
    let shadows = { (name: String) in topLevel.contains(name) }
    for enumeration in message.enums {
      let name = claimTypeName("", enumeration.name, suffix: "Enum", in: &scope, shadows: shadows)
      names.enums[enumeration.fullName] = EnumNames(
        typeName: name, path: path + "." + name, values: valueNames(of: enumeration))
    }
    for nested in message.messages {
      let name = claimTypeName("", nested.name, suffix: "Message", in: &scope, shadows: shadows)
      let nestedPath = path + "." + name
      names.messages[nested.fullName] = MessageNames(
        typeName: name, path: nestedPath, fields: [], oneofs: [])
      nameMessage(nested, path: nestedPath, topLevel: topLevel, into: &names)
    }
  }

  // MARK: - Members

  /// The names of a message's fields and oneofs.
  ///
  /// Each is the lower camel case of the proto name; a name that cannot be a member (`init`,
  /// `self`, generated members such as `unknownFields`, or the `hasX`/`clearX` of another
  /// field) gets `_p`; a name already taken by an earlier member gets `_<field number>`
  /// (`_oneof` for a oneof), then `_p` until it is free.
  static func memberNames(of message: MessageDecl) -> ([FieldNames], [OneofNames]) {
    func hasPresence(_ field: FieldDecl) -> Bool {
      guard field.oneofIndex == nil, field.label != .repeated else { return false }
      if field.label == .optional { return true }
      if case .message = field.type { return true }
      return false
    }
    func companions(_ name: String) -> [String] {
      let upper = NameTransforms.uppercasingFirst(name)
      return ["has" + upper, "clear" + upper]
    }
    let fieldCandidates = message.fields.map {
      memberCandidate(
        $0.name, fallback: "field\($0.number)", reserved: SwiftIdentifiers.messageMemberNames)
    }
    let oneofCandidates = message.oneofs.enumerated().map {
      memberCandidate(
        $1.name, fallback: "oneof\($0)", reserved: SwiftIdentifiers.messageMemberNames)
    }
    var allCompanions = Set<String>()
    for (index, field) in message.fields.enumerated() where hasPresence(field) {
      allCompanions.formUnion(companions(fieldCandidates[index]))
    }

    var taken = Set<String>()
    func claim(_ candidate: String, disambiguator: String, presence: Bool) -> String {
      var name = candidate
      if allCompanions.contains(name) { name += "_p" }
      if taken.contains(name) { name += "_" + disambiguator }
      while taken.contains(name) || (presence && companions(name).contains(where: taken.contains)) {
        name += "_p"
      }
      taken.insert(name)
      if presence { taken.formUnion(companions(name)) }
      return name
    }

    var fields: [FieldNames] = []
    var oneofs = [OneofNames?](repeating: nil, count: message.oneofs.count)
    for (index, field) in message.fields.enumerated() {
      if let oneofIndex = field.oneofIndex, oneofs.indices.contains(oneofIndex),
        oneofs[oneofIndex] == nil
      {
        let name = claim(oneofCandidates[oneofIndex], disambiguator: "oneof", presence: false)
        oneofs[oneofIndex] = OneofNames(
          property: SwiftIdentifier(name),
          enumType: SwiftIdentifiers.oneofTypePrefix + NameTransforms.uppercasingFirst(name))
      }
      let name = claim(
        fieldCandidates[index], disambiguator: "\(field.number)", presence: hasPresence(field))
      fields.append(FieldNames(property: SwiftIdentifier(name)))
    }
    // A oneof without members cannot pass the checker; name it anyway so lookups never fail.
    let resolvedOneofs = oneofs.enumerated().map { index, names in
      names
        ?? OneofNames(
          property: SwiftIdentifier(
            claim(oneofCandidates[index], disambiguator: "oneof", presence: false)),
          enumType: SwiftIdentifiers.oneofTypePrefix
            + NameTransforms.uppercasingFirst(oneofCandidates[index]))
    }
    return (fields, resolvedOneofs)
  }

  /// The lower camel case of `protoName` made valid as a member name: `fallback` if empty,
  /// `_` in front of a leading digit, `_p` after a name that cannot be a member.
  static func memberCandidate(_ protoName: String, fallback: String, reserved: Set<String>)
    -> String
  {
    var name = NameTransforms.lowerCamelCase(protoName)
    if name.isEmpty { name = fallback }
    if let first = name.first, first.isNumber { name = "_" + name }
    if SwiftIdentifiers.unquotableMemberNames.contains(name) || reserved.contains(name) {
      name += "_p"
    }
    return name
  }

  // MARK: - Enum values

  /// The case (or alias) name of every value: the value name without the enum's name in
  /// front (when what remains is a valid identifier), in lower camel case; collisions get
  /// `_<number>` (`_n<number>` for negative numbers), then `_p`.
  static func valueNames(of enumeration: EnumDecl) -> [SwiftIdentifier] {
    var taken = Set<String>()
    return enumeration.values.map { value in
      let stripped = NameTransforms.strippingEnumPrefix(value.name, enumName: enumeration.name)
      let number = value.number < 0 ? "n\(value.number.magnitude)" : "\(value.number)"
      var name = memberCandidate(
        stripped ?? value.name, fallback: "value\(number)",
        reserved: SwiftIdentifiers.enumMemberNames)
      if taken.contains(name) { name += "_" + number }
      while taken.contains(name) { name += "_p" }
      taken.insert(name)
      return SwiftIdentifier(name)
    }
  }

  // MARK: - Services

  /// The `Method.<Name>` enum and the Swift method of every rpc.
  static func methodNames(of service: ServiceDecl, topLevel: Set<String>) -> [MethodNames] {
    var enumScope = Set<String>()
    var functions = Set<String>()
    return service.methods.enumerated().map { index, method in
      let enumName = claimTypeName("", method.name, suffix: "Method", in: &enumScope) {
        topLevel.contains($0)
      }
      var function = memberCandidate(
        method.name, fallback: "method\(index + 1)", reserved: SwiftIdentifiers.serviceMemberNames)
      if functions.contains(function) { function += "_\(index + 1)" }
      while functions.contains(function) { function += "_p" }
      functions.insert(function)
      return MethodNames(enumName: enumName, function: SwiftIdentifier(function))
    }
  }

  /// `name`, or `name_2`, `name_3`... whichever is first not `taken`.
  static func firstFree(_ name: String, taken: (String) -> Bool) -> String {
    guard taken(name) else { return name }
    var counter = 2
    while taken("\(name)_\(counter)") { counter += 1 }
    return "\(name)_\(counter)"
  }
}
