// Finding, reading and parsing files: input files and their imports, each parsed once, with
// missing imports, cycles and limits reported at the import that caused them.

/// Loads the files of one compilation. The import graph is walked depth first with an explicit
/// stack (no recursion), so `orderedFiles` lists every dependency before its dependents.
struct SchemaLoader {
  private enum State {
    /// On the current depth-first path (seeing it again is a cycle).
    case loading
    case loaded
    /// Not found or unreadable; the reason is reported again at each import of it.
    case failed(String)
  }

  let roots: [String]
  let fileSystem: any SchemaFileSystem
  let limits: SchemaLimits
  private var states: [String: State] = [:]
  private var syntaxByPath: [String: SyntaxFile] = [:]
  private var order: [String] = []
  private(set) var diagnostics: [Diagnostic] = []

  init(roots: [String], fileSystem: any SchemaFileSystem, limits: SchemaLimits) {
    self.roots = roots
    self.fileSystem = fileSystem
    self.limits = limits
  }

  /// Every loaded file, dependencies before dependents.
  var orderedFiles: [SyntaxFile] { order.compactMap { syntaxByPath[$0] } }

  // MARK: Input files

  /// Loads an input file and everything it imports; returns its root-relative path, or nil
  /// (after reporting) when it cannot be found or read.
  mutating func loadInput(_ given: String) -> String? {
    let location = SourceLocation(file: given, line: 1, column: 1)
    guard let (path, bytes) = locateInput(given, reportingAt: location) else { return nil }
    switch states[path] {
    case .loaded: return path
    case .failed: return nil
    case .loading, nil:
      if syntaxByPath.count >= limits.filesMax {
        report("too many files: the limit is \(limits.filesMax)", at: location)
        return nil
      }
      walk(from: parse(bytes, path: path))
      return path
    }
  }

  /// Maps an input file to its root-relative path and contents: first as a path under a root
  /// (`Schemas/a.proto` with root `Schemas`), then as a root-relative path.
  private mutating func locateInput(_ given: String, reportingAt location: SourceLocation) -> (String, [UInt8])? {
    var isUnderRoot = false
    for (rootIndex, root) in roots.enumerated() {
      guard let relative = SchemaPath.relative(given, to: root), SchemaPath.isValidRelative(relative) else {
        continue
      }
      isUnderRoot = true
      if let builtIn = BuiltInSchemas.contents(of: relative) { return (relative, builtIn) }
      switch fileSystem.read(SchemaPath.join(root, relative), byteCountMax: limits.fileBytesMax) {
      case .bytes(let bytes):
        if let earlier = roots[..<rootIndex].first(where: { exists(relative, under: $0) }) {
          report(
            "input is shadowed in the proto paths by \"\(SchemaPath.join(earlier, relative))\"; either use"
              + " that file as the input or reorder the proto paths", at: location)
          return nil
        }
        return (relative, bytes)
      case .notFound: continue
      case .tooLarge(let byteCount):
        report(tooLargeMessage(byteCount), at: location)
        return nil
      case .unreadable(let reason):
        report("cannot read \(given): \(reason)", at: location)
        return nil
      }
    }
    let path = SchemaPath.normalize(given)
    guard SchemaPath.isValidRelative(path) else {
      report(
        isUnderRoot ? "\(given): file not found" : "\(given) is not under any proto path (\(roots.joined(separator: ", ")))",
        at: location)
      return nil
    }
    switch locate(path) {
    case .success(let bytes): return (path, bytes)
    case .failure(let failure):
      report(failure.reason, at: location)
      return nil
    }
  }

  private func exists(_ relative: String, under root: String) -> Bool {
    if case .bytes = fileSystem.read(SchemaPath.join(root, relative), byteCountMax: limits.fileBytesMax) {
      return true
    }
    return false
  }

  // MARK: Imports

  /// Walks the imports of `root` depth first, loading each file once.
  private mutating func walk(from root: SyntaxFile) {
    var stack: [(file: SyntaxFile, nextImport: Int)] = [(root, 0)]
    states[root.path] = .loading
    syntaxByPath[root.path] = root
    while let (file, nextImport) = stack.last {
      guard nextImport < file.imports.count else {
        stack.removeLast()
        states[file.path] = .loaded
        order.append(file.path)
        continue
      }
      stack[stack.count - 1].nextImport += 1
      let entry = file.imports[nextImport]
      guard SchemaPath.isValidRelative(entry.path) else {
        report(
          "import path \"\(entry.path)\" must be relative to a proto path, without \".\" or \"..\""
            + " components, empty components or backslashes", at: entry.pathLocation)
        continue
      }
      switch states[entry.path] {
      case .loaded:
        continue
      case .loading:
        let cycleStart = stack.firstIndex(where: { $0.file.path == entry.path }) ?? 0
        let chain = stack[cycleStart...].map(\.file.path) + [entry.path]
        report("import cycle: \(chain.joined(separator: " -> "))", at: entry.pathLocation)
      case .failed(let reason):
        report(reason, at: entry.pathLocation)
      case nil:
        if syntaxByPath.count >= limits.filesMax {
          report("too many files: the limit is \(limits.filesMax)", at: entry.pathLocation)
          continue
        }
        switch locate(entry.path) {
        case .success(let bytes):
          let imported = parse(bytes, path: entry.path)
          states[entry.path] = .loading
          syntaxByPath[entry.path] = imported
          stack.append((imported, 0))
        case .failure(let failure):
          states[entry.path] = .failed(failure.reason)
          report(failure.reason, at: entry.pathLocation)
        }
      }
    }
  }

  /// A failure to find or read a file, as the message to report.
  private struct LocateFailure: Error {
    var reason: String
  }

  /// The contents of `path`: a built-in file (`BuiltInSchemas`, whatever the roots hold), or
  /// else the file from the first root that has it.
  private func locate(_ path: String) -> Result<[UInt8], LocateFailure> {
    if let builtIn = BuiltInSchemas.contents(of: path) { return .success(builtIn) }
    for root in roots {
      switch fileSystem.read(SchemaPath.join(root, path), byteCountMax: limits.fileBytesMax) {
      case .bytes(let bytes): return .success(bytes)
      case .notFound: continue
      case .tooLarge(let byteCount): return .failure(LocateFailure(reason: "\(path): " + tooLargeMessage(byteCount)))
      case .unreadable(let reason): return .failure(LocateFailure(reason: "cannot read \(path): \(reason)"))
      }
    }
    return .failure(
      LocateFailure(reason: "\"\(path)\" not found in proto paths: \(roots.joined(separator: ", "))"))
  }

  private func tooLargeMessage(_ byteCount: Int) -> String {
    "file is too large (\(byteCount) bytes; the limit is \(limits.fileBytesMax) bytes)"
  }

  private mutating func parse(_ bytes: [UInt8], path: String) -> SyntaxFile {
    let parsed = Parser.parse(source: bytes, path: path, nestingDepthMax: limits.nestingDepthMax)
    diagnostics += parsed.diagnostics
    return parsed.syntax
  }

  private mutating func report(_ message: String, at location: SourceLocation) {
    diagnostics.append(Diagnostic(.error, message, at: location))
  }
}
