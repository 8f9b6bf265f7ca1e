// The entry point: file names -> loaded, parsed and checked schema set, with diagnostics.

/// Limits on what one compilation accepts; crossing one is a diagnostic, never a crash.
public struct SchemaLimits: Sendable, Hashable {
  /// The largest `.proto` file read, in bytes (default 16 MiB).
  public var fileBytesMax: Int
  /// How deeply messages may nest inside messages (default 100; at most
  /// `nestingDepthLimitMax`).
  public var nestingDepthMax: Int
  /// How many files one compilation may load, imports included (default 4096).
  public var filesMax: Int
  /// How many diagnostics are kept per file before the rest are summarized (default 100).
  public var diagnosticsPerFileMax: Int

  /// The largest `nestingDepthMax` allowed: the parser and the checker recurse once per level,
  /// and this keeps their stack use far below a thread's stack (1000 levels run in a debug build).
  public static let nestingDepthLimitMax = 500

  /// The defaults; each one must be at least 1, and `nestingDepthMax` at most
  /// `nestingDepthLimitMax`.
  public init(
    fileBytesMax: Int = 16 << 20, nestingDepthMax: Int = 100, filesMax: Int = 4096,
    diagnosticsPerFileMax: Int = 100
  ) {
    precondition(
      fileBytesMax >= 1 && nestingDepthMax >= 1 && filesMax >= 1 && diagnosticsPerFileMax >= 1,
      "every schema limit must be at least 1: \(fileBytesMax), \(nestingDepthMax), \(filesMax), \(diagnosticsPerFileMax)")
    precondition(
      nestingDepthMax <= Self.nestingDepthLimitMax,
      "nestingDepthMax \(nestingDepthMax) exceeds \(Self.nestingDepthLimitMax), past which the stack is at risk")
    self.fileBytesMax = fileBytesMax
    self.nestingDepthMax = nestingDepthMax
    self.filesMax = filesMax
    self.diagnosticsPerFileMax = diagnosticsPerFileMax
  }
}

/// The result of a compilation.
public struct SchemaCompilation: Sendable {
  /// The checked files, or nil when any error was found.
  public var schemaSet: SchemaSet?
  /// Every problem found, sorted by file, then line, then column.
  public var diagnostics: [Diagnostic]

  /// A result as the compiler builds it (`schemaSet` is nil exactly when there are errors).
  public init(schemaSet: SchemaSet?, diagnostics: [Diagnostic]) {
    self.schemaSet = schemaSet
    self.diagnostics = diagnostics
  }

  /// Whether any diagnostic is an error.
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Compiles proto3 schemas like `protoc -I <root>... <files>`: resolves the named files and
/// their imports against the proto-path roots, parses each file once, checks them all, and
/// returns the checked `SchemaSet` (dependencies first) or every error found.
///
/// The pipeline is `Lexer` (bytes -> tokens) -> `Parser` (tokens -> syntax tree) -> `Checker`
/// (syntax trees -> `SchemaSet`); each stage is a pure function of its input.
public struct SchemaCompiler: Sendable {
  /// The roots that imports and input files are resolved against, searched in order.
  public let protoPaths: [String]
  /// The size, depth and count limits every compilation applies.
  public let limits: SchemaLimits
  private let fileSystem: any SchemaFileSystem

  /// - Parameters:
  ///   - protoPaths: the roots (`-I` directories); empty means the current directory.
  ///   - fileSystem: where files are read from; the disk by default.
  ///   - limits: size and depth limits.
  public init(
    protoPaths: [String], fileSystem: some SchemaFileSystem = PosixFileSystem(),
    limits: SchemaLimits = SchemaLimits()
  ) {
    self.protoPaths = protoPaths.isEmpty ? ["."] : protoPaths
    self.fileSystem = fileSystem
    self.limits = limits
  }

  /// Compiles `files`: each given relative to a proto-path root (`bench/v1/bench.proto`) or as
  /// a path under one (`Schemas/bench/v1/bench.proto`). Never throws and never traps on bad
  /// input: every problem is a diagnostic, and `schemaSet` is nil when there is any error.
  public func compile(_ files: [String]) -> SchemaCompilation {
    var loader = SchemaLoader(roots: protoPaths, fileSystem: fileSystem, limits: limits)
    var requestedPaths: [String] = []
    for file in files {
      guard let path = loader.loadInput(file) else { continue }
      if !requestedPaths.contains(path) { requestedPaths.append(path) }
    }
    let checked = Checker.check(loader.orderedFiles)
    let diagnostics = Self.sortedAndCapped(
      loader.diagnostics + checked.diagnostics, perFileMax: limits.diagnosticsPerFileMax)
    let hasErrors = diagnostics.contains { $0.severity == .error }
    return SchemaCompilation(
      schemaSet: hasErrors ? nil : SchemaSet(files: checked.files, requestedPaths: requestedPaths),
      diagnostics: diagnostics)
  }

  /// Sorts by file, line and column (stable), keeping at most `perFileMax` per file and
  /// summarizing the rest in one more diagnostic.
  static func sortedAndCapped(_ diagnostics: [Diagnostic], perFileMax: Int) -> [Diagnostic] {
    let sorted = diagnostics.enumerated().sorted { left, right in
      let (a, b) = (left.element.location, right.element.location)
      return (a.file, a.line, a.column, left.offset) < (b.file, b.line, b.column, right.offset)
    }.map(\.element)
    var result: [Diagnostic] = []
    var index = 0
    while index < sorted.count {
      let file = sorted[index].location.file
      var end = index
      while end < sorted.count, sorted[end].location.file == file { end += 1 }
      result.append(contentsOf: sorted[index..<min(end, index + perFileMax)])
      if end - index > perFileMax {
        let first = sorted[index + perFileMax]
        result.append(
          Diagnostic(first.severity, "too many errors; \(end - index - perFileMax) more not shown", at: first.location))
      }
      index = end
    }
    return result
  }
}
