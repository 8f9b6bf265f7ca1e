import CourierCodeGen
import CourierSchema
import Testing

@Suite struct GeneratorSmokeTests {
  @Test func benchFromHandBuiltModelMatchesReference() throws {
    let generated = try CodeGenerator.generate(file: SchemaBuilders.bench, in: SchemaBuilders.set(SchemaBuilders.bench))
    let expected = try PackageFiles.read("Sources/CourierBenchAPI/Generated/bench/v1/bench.courier.swift")
    #expect(generated.path == "bench/v1/bench.courier.swift")
    try PackageFiles.write(generated.contents, to: "/tmp/bench.generated.swift")
    #expect(generated.contents == expected, "\(TextDiff.unified(expected: expected, actual: generated.contents))")
  }
}
