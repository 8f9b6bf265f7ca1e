// The library's entry point: checked schema model → Swift source files.
//
// The pipeline, one named stage per step:
//   SchemaSet ─SwiftNaming─▶ SwiftNames (every Swift name, every collision resolved)
//             ─MessagePlan / ServicePlan─▶ resolved types, storage, wire keys (can fail)
//             ─FileRenderer, MessageRenderer, EnumRenderer, ServiceRenderer...─▶ text
// Every stage is a pure function of its input, so the output is deterministic.

public import CourierSchema

/// One generated Swift file.
public struct GeneratedFile: Sendable, Hashable {
  /// Where the file goes, relative to the output directory: the schema's path with
  /// `.proto` replaced by `.courier.swift` (`bench/v1/bench.courier.swift`).
  public var path: String
  /// The Swift source text.
  public var contents: String

  /// A file with `contents` at `path`.
  public init(path: String, contents: String) {
    self.path = path
    self.contents = contents
  }
}

/// Turns checked schema files into Swift source.
public enum CodeGenerator {
  /// Generates the Swift file for `file`, whose imports must be in `set`.
  ///
  /// Types of imported files are referred to by their generated Swift names, so they must be
  /// generated into the same module (or a module the output imports).
  ///
  /// - Throws: `CodeGenerationError` when the model refers to a type that is not in `set` or
  ///   is otherwise not a checked model (the checker rules this out).
  public static func generate(
    file: SchemaFile, in set: SchemaSet, options: GeneratorOptions = GeneratorOptions()
  ) throws(CodeGenerationError) -> GeneratedFile {
    try generate(file: file, context: RenderContext(set: set, options: options))
  }

  /// Generates one Swift file for every path in `set.requestedPaths`, in that order.
  ///
  /// - Throws: `CodeGenerationError` as `generate(file:in:options:)` does, or when a
  ///   requested path is not in the set.
  public static func generate(
    _ set: SchemaSet, options: GeneratorOptions = GeneratorOptions()
  ) throws(CodeGenerationError) -> [GeneratedFile] {
    let context = RenderContext(set: set, options: options)
    var generated: [GeneratedFile] = []
    for path in set.requestedPaths {
      guard let file = set.file(path) else {
        throw CodeGenerationError("\(path) was requested but is not in the schema set")
      }
      generated.append(try generate(file: file, context: context))
    }
    return generated
  }

  /// The output path for a schema path: `bench/v1/bench.proto` → `bench/v1/bench.courier.swift`.
  public static func outputPath(forSchemaPath path: String) -> String {
    let stem = path.hasSuffix(".proto") ? String(path.dropLast(".proto".count)) : path
    return stem + ".courier.swift"
  }

  static func generate(file: SchemaFile, context: RenderContext) throws(CodeGenerationError)
    -> GeneratedFile
  {
    let contents = try FileRenderer(file: file, context: context).render()
    return GeneratedFile(path: outputPath(forSchemaPath: file.path), contents: contents)
  }
}
