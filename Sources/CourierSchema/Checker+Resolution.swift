// Name resolution with protobuf's scoping rules.

/// The outcome of looking a name up, with what is needed to explain a failure.
struct Lookup {
  /// The fully qualified name and the symbol found.
  var found: (fullName: String, symbol: Symbol)?
  /// A symbol with a candidate name that lives in a file the current file cannot see.
  var notImported: (fullName: String, file: String)?
  /// Set when the first component of a dotted name resolved but the rest did not (protoc
  /// stops there rather than searching outer scopes).
  var resolvedTo: String?
  /// A symbol that matched but was skipped because it is not a type (a types-only search).
  var skippedNonType: String?
}

extension Checker {
  /// Looks `name` up from `scope` (the fully qualified name of the innermost enclosing message
  /// or service, or the package), following protoc:
  ///
  /// - `.a.B` is fully qualified.
  /// - Otherwise the first component (`a` of `a.B`) is searched from the innermost scope
  ///   outwards (`pkg.Outer.a`, `pkg.a`, ...). Once it is found as something that can hold names
  ///   (a message, enum, service or package), the rest must resolve inside it: no further
  ///   outward search. A single component that names a non-type in a `typesOnly` search is
  ///   skipped (a field named `Foo` does not hide a message `Foo` of an outer scope).
  /// - The last try is the name itself at the root.
  ///
  /// Symbols in files that are not visible from the current file are treated as absent.
  func lookUp(_ name: String, scope: String, typesOnly: Bool) -> Lookup {
    var lookup = Lookup()
    if name.hasPrefix(".") {
      let fullName = String(name.dropFirst())
      if let symbol = find(fullName, recordingInto: &lookup) { lookup.found = (fullName, symbol) }
      return lookup
    }
    let firstComponent = name.prefix(while: { $0 != "." })
    let isCompound = firstComponent.count < name.count
    var current = Substring(scope)
    while !current.isEmpty {
      let candidate = String(current + "." + firstComponent)
      if let symbol = find(candidate, recordingInto: &lookup) {
        if isCompound {
          if symbol.kind.isAggregate {
            let fullName = String(current) + "." + name
            if let found = find(fullName, recordingInto: &lookup) {
              lookup.found = (fullName, found)
            } else {
              lookup.resolvedTo = fullName
            }
            return lookup
          }
        } else if !typesOnly || symbol.kind.isType {
          lookup.found = (candidate, symbol)
          return lookup
        } else if lookup.skippedNonType == nil {
          lookup.skippedNonType = candidate
        }
      }
      current = current.lastIndex(of: ".").map { current[..<$0] } ?? ""
    }
    if let symbol = find(name, recordingInto: &lookup) { lookup.found = (name, symbol) }
    return lookup
  }

  /// The symbol named `fullName` if the current file can see it. A package is visible when any
  /// visible file declares it (packages span files); anything else when its file is visible.
  func find(_ fullName: String, recordingInto lookup: inout Lookup) -> Symbol? {
    guard let symbol = symbols[fullName] else { return nil }
    let isVisible = symbol.kind == .package
      ? visiblePackages.contains(fullName) : visibleFiles.contains(symbol.file)
    if isVisible { return symbol }
    if lookup.notImported == nil { lookup.notImported = (fullName, symbol.file) }
    return nil
  }

  /// Reports why `name` did not resolve.
  mutating func reportUnresolved(_ name: SyntaxName, _ lookup: Lookup) {
    if let (fullName, file) = lookup.notImported {
      error("\"\(fullName)\" is defined in \(file), which is not imported by \(currentFile)", at: name.location)
    } else if let resolvedTo = lookup.resolvedTo {
      error(
        "\"\(name.text)\" is resolved to \"\(resolvedTo)\", which is not defined; the innermost scope is"
          + " searched first in name resolution (use a leading \".\", i.e. \".\(name.text)\", to start"
          + " from the outermost scope)", at: name.location)
    } else if lookup.skippedNonType != nil {
      error("\"\(name.text)\" is not a type", at: name.location)
    } else {
      error("\"\(name.text)\" is not defined", at: name.location)
    }
  }

  /// Resolves a field's (or map value's) type: a scalar keyword, or a message or enum name.
  /// Returns nil, after reporting, when the name does not resolve to a type.
  mutating func resolveFieldType(_ name: SyntaxName, scope: String) -> FieldType? {
    if let scalar = ScalarType(rawValue: name.text) { return .scalar(scalar) }
    let lookup = lookUp(name.text, scope: scope, typesOnly: true)
    guard let (fullName, symbol) = lookup.found else {
      reportUnresolved(name, lookup)
      return nil
    }
    switch symbol.kind {
    case .message: return .message(fullName)
    case .enumeration: return .enumeration(fullName)
    case .mapEntry:
      error(Self.mapEntryMisuse(name.text), at: name.location)
      return nil
    default:
      error("\"\(name.text)\" is not a type (it is a \(symbol.kind.displayName))", at: name.location)
      return nil
    }
  }
}
