// courier-gen: proto3 schemas → Swift source, via CourierSchema and CourierCodeGen.
//
// Exit status: 0 success, 1 schema errors or I/O errors, 2 usage errors.

import CourierCodeGen
import CourierSchema

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs the command and returns the exit status.
func run(_ arguments: [String]) -> Int32 {
  let command: Command
  do {
    command = try CommandLineParser.parse(arguments)
  } catch {
    StandardError.write(
      "Error: \(error.message)\n\(CommandLineParser.usage)\n  See 'courier-gen --help' for more information.\n"
    )
    return 2
  }
  guard case .generate(let options) = command else {
    print(CommandLineParser.help)
    return 0
  }

  let compilation = SchemaCompiler(protoPaths: options.protoPaths).compile(options.files)
  for diagnostic in compilation.diagnostics { StandardError.write("\(diagnostic)\n") }
  guard let schemaSet = compilation.schemaSet, !compilation.hasErrors else { return 1 }

  let generated: [GeneratedFile]
  do {
    generated = try CodeGenerator.generate(schemaSet, options: options.generatorOptions)
  } catch {
    StandardError.write("\(error)\n")
    return 1
  }
  for file in generated {
    let path = options.swiftOut + "/" + file.path
    do {
      try OutputFiles.write(file.contents, to: path)
    } catch {
      StandardError.write("error: cannot write \(path): \(error)\n")
      return 1
    }
  }
  return 0
}

exit(run(Array(CommandLine.arguments.dropFirst())))
