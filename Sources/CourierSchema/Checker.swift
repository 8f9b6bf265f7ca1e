// The checker: syntax trees of every file -> the checked schema model, plus diagnostics.

/// What a name in the symbol table stands for.
enum SymbolKind: Sendable, Hashable {
  case package, message, enumeration, enumValue, field, oneof, service, method
  /// A field of an `extend` block: a custom option, declared in its file's package.
  case `extension`
  /// The message protoc synthesizes for a map field (`labels` -> `LabelsEntry`); it takes its
  /// name in the scope, but a schema may not name it.
  case mapEntry

  /// Types (as protoc's `IsType`; a field naming a map entry is then rejected).
  var isType: Bool { self == .message || self == .enumeration || self == .mapEntry }

  /// Symbols that hold further names (`Outer.Inner`), as protoc's `IsAggregate`.
  var isAggregate: Bool {
    self == .message || self == .package || self == .enumeration || self == .service || self == .mapEntry
  }

  var displayName: String {
    switch self {
    case .package: return "package"
    case .message: return "message"
    case .enumeration: return "enum"
    case .enumValue: return "enum value"
    case .field: return "field"
    case .oneof: return "oneof"
    case .service: return "service"
    case .method: return "method"
    case .mapEntry: return "map entry"
    case .extension: return "extension"
    }
  }
}

/// A declared name: what it is and where.
struct Symbol: Sendable, Hashable {
  var kind: SymbolKind
  /// The root-relative path of the file that declares it (for a package: the first such file).
  var file: String
  var location: SourceLocation
}

/// The checker's output.
struct CheckedFiles: Sendable {
  /// One per input file without syntax errors, in input order (dependencies first).
  var files: [SchemaFile]
  var diagnostics: [Diagnostic]
}

/// Validates parsed files and builds the checked model: declares every name, resolves every
/// type reference with protobuf's scoping rules, and applies the checks protoc makes for proto3.
///
/// Files must come in dependency order; an import that names a file absent from the input (a
/// missing file, already reported by the compiler) is ignored.
struct Checker {
  var diagnostics: [Diagnostic] = []
  /// Every declared name, fully qualified without a leading dot.
  var symbols: [String: Symbol] = [:]
  /// The file being checked, and what it may see: itself, its imports and their public imports.
  var currentFile = ""
  var visibleFiles: Set<String> = []
  /// Packages declared by visible files, with every prefix (`a.b.c` gives `a`, `a.b`, `a.b.c`).
  var visiblePackages: Set<String> = []
  /// Set while declaring the names of an incomplete file (see `SyntaxFile.isIncomplete`): its
  /// own semantic errors would mostly be echoes of its syntax errors, so they are not reported.
  var isDeclaringIncompleteFile = false
  /// The value names of every enum, by the enum's fully qualified name (for enum-typed custom
  /// options, whose values may name an enum declared later in the file).
  var enumValueNames: [String: Set<String>] = [:]
  /// Every valid extension checked so far (files are checked dependencies first, and a file's
  /// extensions before its options), by fully qualified name.
  var extensions: [String: ExtensionDecl] = [:]
  /// The extension that holds each number of each options message.
  var extensionsByNumber: [ExtensionNumber: ExtensionDecl] = [:]

  /// Checks `files` (dependencies before dependents).
  static func check(_ files: [SyntaxFile]) -> CheckedFiles {
    var checker = Checker()
    for file in files {
      checker.isDeclaringIncompleteFile = file.isIncomplete
      checker.declareSymbols(of: file)
    }
    checker.isDeclaringIncompleteFile = false
    var filesByPath: [String: SyntaxFile] = [:]
    for file in files where filesByPath[file.path] == nil { filesByPath[file.path] = file }
    var checked: [SchemaFile] = []
    for file in files where !file.isIncomplete {
      checker.enter(file, filesByPath: filesByPath)
      checked.append(checker.checkFile(file))
    }
    return CheckedFiles(files: checked, diagnostics: checker.diagnostics)
  }

  mutating func error(_ message: String, at location: SourceLocation) {
    guard !isDeclaringIncompleteFile else { return }
    diagnostics.append(Diagnostic(.error, message, at: location))
  }

  mutating func warning(_ message: String, at location: SourceLocation) {
    guard !isDeclaringIncompleteFile else { return }
    diagnostics.append(Diagnostic(.warning, message, at: location))
  }

  /// The error for a type reference that names a map field's synthesized entry message.
  static func mapEntryMisuse(_ name: String) -> String {
    "\"\(name)\" is the entry type of a map field; use map<KeyType, ValueType> instead"
  }

  /// `scope.name`, or `name` in the root scope.
  static func qualify(_ scope: String, _ name: String) -> String {
    scope.isEmpty ? name : scope + "." + name
  }

  // MARK: Visibility

  /// Computes what `file` may see: itself, its direct imports, and everything those re-export
  /// with `import public`, transitively.
  mutating func enter(_ file: SyntaxFile, filesByPath: [String: SyntaxFile]) {
    currentFile = file.path
    var visible: Set<String> = [file.path]
    var pending = file.imports.map(\.path)
    var seenImports: [String: SourceLocation] = [:]
    for entry in file.imports {
      if seenImports[entry.path] != nil {
        error("import \"\(entry.path)\" was listed twice", at: entry.pathLocation)
      }
      seenImports[entry.path] = entry.pathLocation
    }
    while let path = pending.popLast() {
      guard !visible.contains(path), let imported = filesByPath[path] else { continue }
      visible.insert(path)
      pending.append(contentsOf: imported.imports.filter { $0.kind == .public }.map(\.path))
    }
    visibleFiles = visible
    visiblePackages = []
    for path in visible {
      guard let package = filesByPath[path]?.package?.text else { continue }
      var prefix = ""
      for component in package.split(separator: ".") {
        prefix = Self.qualify(prefix, String(component))
        visiblePackages.insert(prefix)
      }
    }
  }

  // MARK: Files

  mutating func checkFile(_ file: SyntaxFile) -> SchemaFile {
    let package = file.package?.text ?? ""
    // Extensions first: the file's own options may use them.
    let extensions = file.extends.flatMap { checkExtend($0, package: package) }
    let options = checkOptions(file.options, level: .file, scope: package)
    let messages = file.messages.map { checkMessage($0, scope: package) }
    let enums = file.enums.map { checkEnum($0, scope: package) }
    let services = file.services.map { checkService($0, scope: package) }
    let imports = file.imports.map { ImportDecl(path: $0.path, kind: $0.kind, location: $0.location) }
    return SchemaFile(
      path: file.path, package: package, imports: imports, messages: messages, enums: enums,
      services: services, extensions: extensions, options: options.declarations,
      customOptions: options.customOptions, documentation: file.documentation)
  }

  // MARK: Services

  mutating func checkService(_ syntax: SyntaxService, scope: String) -> ServiceDecl {
    let fullName = Self.qualify(scope, syntax.name.text)
    let options = checkOptions(syntax.options, level: .service, scope: scope)
    let methods = syntax.methods.map { checkMethod($0, service: fullName) }
    return ServiceDecl(
      name: syntax.name.text, fullName: fullName, methods: methods, isDeprecated: options.isDeprecated,
      options: options.declarations, customOptions: options.customOptions, documentation: syntax.documentation,
      location: syntax.location)
  }

  mutating func checkMethod(_ syntax: SyntaxMethod, service: String) -> MethodDecl {
    let options = checkOptions(syntax.options, level: .method, scope: service)
    return MethodDecl(
      name: syntax.name.text, inputType: resolveMessage(syntax.input, scope: service),
      outputType: resolveMessage(syntax.output, scope: service), clientStreaming: syntax.clientStreaming,
      serverStreaming: syntax.serverStreaming, idempotencyLevel: options.idempotencyLevel,
      isDeprecated: options.isDeprecated, options: options.declarations, customOptions: options.customOptions,
      documentation: syntax.documentation, location: syntax.location)
  }

  /// The fully qualified name of the message an rpc takes or returns. protoc looks the name up
  /// among all symbols (not only types), so an rpc named like its input type finds itself first.
  mutating func resolveMessage(_ name: SyntaxName, scope: String) -> String {
    // The parser reported scalar keywords (`returns (int32)`).
    if ScalarType(rawValue: name.text) != nil { return name.text }
    let lookup = lookUp(name.text, scope: scope, typesOnly: false)
    guard let (fullName, symbol) = lookup.found else {
      reportUnresolved(name, lookup)
      return name.text.hasPrefix(".") ? String(name.text.dropFirst()) : name.text
    }
    if symbol.kind == .mapEntry {
      error(Self.mapEntryMisuse(name.text), at: name.location)
    } else if symbol.kind != .message {
      error("\"\(name.text)\" is not a message type", at: name.location)
    }
    return fullName
  }
}
