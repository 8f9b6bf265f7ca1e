import CourierCodeGen
import CourierSchema
import Testing

/// The same input gives the same text, byte for byte, however often it is generated.
@Suite struct DeterminismTests {
  @Test(arguments: GoldenCase.all)
  func generatingTwiceGivesTheSameText(_ golden: GoldenCase) throws {
    let first = try GoldenTests.generate(golden)
    let second = try GoldenTests.generate(golden)
    #expect(first == second)
  }

  @Test func fileOrderInTheSetDoesNotChangeAFilesNames() throws {
    let forward = try CodeGenerator.generate(
      file: SchemaBuilders.bench, in: SchemaBuilders.set(SchemaBuilders.bench))
    let unrelated = SchemaFile(
      path: "other.proto", package: "other",
      messages: [
        SchemaBuilders.message("other.Amount", [SchemaBuilders.field("x", 1, .scalar(.int32))])
      ])
    let withOther = try CodeGenerator.generate(
      file: SchemaBuilders.bench,
      in: SchemaSet(
        files: [unrelated, SchemaBuilders.bench], requestedPaths: ["bench/v1/bench.proto"]))
    #expect(forward.contents == withOther.contents)
  }

  @Test func benchFromAHandBuiltModelMatchesTheReference() throws {
    let generated = try CodeGenerator.generate(
      file: SchemaBuilders.bench, in: SchemaBuilders.set(SchemaBuilders.bench))
    let expected = try PackageFiles.read(
      "Sources/CourierBenchAPI/Generated/bench/v1/bench.courier.swift")
    #expect(generated.path == "bench/v1/bench.courier.swift")
    #expect(
      generated.contents == expected,
      "\(TextDiff.unified(expected: expected, actual: generated.contents))")
  }
}
