import Testing
@testable import CourierSchema

/// Bad input never crashes the compiler: every failure is a diagnostic.
@Suite struct RobustnessTests {
  /// Compiles raw bytes as `test.proto` and checks the compilation's own invariants.
  @discardableResult
  func compileBytes(_ bytes: [UInt8], limits: SchemaLimits = SchemaLimits()) -> SchemaCompilation {
    let compiler = SchemaCompiler(
      protoPaths: ["."], fileSystem: InMemoryFileSystem(bytes: ["test.proto": bytes]), limits: limits)
    let result = compiler.compile(["test.proto"])
    #expect((result.schemaSet == nil) == result.hasErrors)
    #expect(result.schemaSet != nil || !result.diagnostics.isEmpty)
    for diagnostic in result.diagnostics {
      #expect(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "\(diagnostic)")
    }
    return result
  }

  @Test func emptyAndBlankFiles() {
    for source in ["", "   \n\t\n", "// only a comment\n", "/* block */", ";;;"] {
      let result = compileBytes(Array(source.utf8))
      #expect(result.diagnostics.first?.message.hasPrefix("missing syntax statement") == true, "\(source)")
    }
  }

  @Test func minimalFileCompiles() {
    #expect(compileBytes(Array("syntax = 'proto3';".utf8)).schemaSet?.files.count == 1)
  }

  @Test func binaryGarbage() {
    var generator = SplitMix64(seed: 0xC0FFEE)
    for length in [1, 2, 7, 64, 512, 4096] {
      for _ in 0..<10 {
        let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        compileBytes(bytes)
      }
    }
    compileBytes([0x00, 0x00, 0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82])
    compileBytes(Array("syntax = \"proto3\";\nmessage A { int32 x\u{0} = 1; }\n".utf8) + [0xFF, 0xC0, 0x80])
  }

  @Test func unterminatedLiteralsAndComments() {
    #expect(diagnostics("syntax = \"proto3;\nmessage A {}\n").first
      == "test.proto:1:10: error: unterminated string literal (strings cannot span lines)")
    #expect(diagnostics("syntax = \"proto3\";\n/* never closed\nmessage A {}\n")
      == ["test.proto:2:1: error: unterminated block comment (missing \"*/\")"])
    compileBytes(Array("syntax = \"proto3\"; option x = \"\\".utf8))
    compileBytes(Array("syntax = \"proto3\"; option x = '\\x".utf8))
    compileBytes(Array("syntax = \"proto3\"; option x = \"\\U0011FFFF\";".utf8))
    compileBytes(Array("syntax = \"proto3\"; /".utf8))
    compileBytes(Array("syntax = \"proto3\"; message A { int32 x = 0x".utf8))
  }

  @Test func deeplyNestedMessagesAreCutOffWithOneDiagnostic() {
    let depth = 10_000
    let source = "syntax = \"proto3\";\n" + String(repeating: "message A { ", count: depth)
      + String(repeating: "} ", count: depth)
    let result = compileBytes(Array(source.utf8))
    #expect(result.diagnostics.map(\.description) == [
      "test.proto:2:1201: error: messages are nested deeper than 100 levels",
    ])
  }

  @Test func nestingAtTheLimitCompiles() throws {
    let depth = 100
    let source = "syntax = \"proto3\";\n" + String(repeating: "message A { ", count: depth)
      + "A a = 1; " + String(repeating: "} ", count: depth)
    let result = compileBytes(Array(source.utf8))
    #expect(result.diagnostics.isEmpty)
    var message = try #require(result.schemaSet?.files.first?.messages.first)
    for _ in 1..<depth { message = try #require(message.messages.first) }
    #expect(message.fields.first?.type == .message(Array(repeating: "A", count: depth).joined(separator: ".")))
  }

  @Test func deeplyNestedUnclosedMessagesAndBraces() {
    let depth = 10_000
    compileBytes(Array(("syntax = \"proto3\";\n" + String(repeating: "message A { ", count: depth)).utf8))
    let braces = compileBytes(Array(("syntax = \"proto3\";\n" + String(repeating: "{", count: depth)).utf8))
    #expect(braces.diagnostics.count == 1)
    compileBytes(Array(("syntax = \"proto3\";\nmessage A {" + String(repeating: "{", count: depth)
      + String(repeating: "}", count: depth + 1)).utf8))
    compileBytes(Array(("syntax = \"proto3\";\noption (x) = " + String(repeating: "{ a ", count: depth)
      + String(repeating: "} ", count: depth) + ";").utf8))
    compileBytes(Array(("syntax = \"proto3\";\noption " + String(repeating: "(", count: depth)).utf8))
    compileBytes(Array(("syntax = \"proto3\";\n" + String(repeating: "}", count: depth)).utf8))
  }

  @Test func manyErrorsAreCappedPerFile() {
    let source = "syntax = \"proto3\";\n" + String(repeating: "bogus;\n", count: 500)
    let result = compileBytes(Array(source.utf8), limits: SchemaLimits(diagnosticsPerFileMax: 50))
    #expect(result.diagnostics.count == 51)
    #expect(result.diagnostics.last?.message == "too many errors; 450 more not shown")
  }

  /// Mutations of a valid schema (bytes and tokens deleted, inserted, duplicated, swapped):
  /// the compiler always returns, and every failure comes with a diagnostic.
  @Test(arguments: 0..<4) func fuzzMutationsOfAValidSchema(shard: Int) {
    var generator = SplitMix64(seed: 0x5EED_0000 + UInt64(shard))
    let valid = Array(ledgerProto.utf8)
    let tokens = ledgerProto.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { Array($0.utf8) }
    let inserts: [[UInt8]] = tokens + [
      "{", "}", ";", "\"", "'", "/*", "//", "<", ">", "=", "-", ".", "(", ")", "[", "]", "0x", "1e",
      "\\", "\u{0}", "message", "oneof", "map<", "stream", "reserved", "max", "to", "9999999999999999999999",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82]]
    for _ in 0..<500 {
      var bytes = valid
      for _ in 0..<Int.random(in: 1...4, using: &generator) {
        mutate(&bytes, inserts: inserts, using: &generator)
      }
      compileBytes(bytes)
    }
  }

  private func mutate(_ bytes: inout [UInt8], inserts: [[UInt8]], using generator: inout SplitMix64) {
    guard !bytes.isEmpty else {
      bytes = inserts.randomElement(using: &generator) ?? []
      return
    }
    let position = Int.random(in: 0..<bytes.count, using: &generator)
    let length = min(Int.random(in: 1...12, using: &generator), bytes.count - position)
    switch Int.random(in: 0..<6, using: &generator) {
    case 0: bytes.removeSubrange(position..<position + length)
    case 1: bytes.insert(contentsOf: inserts.randomElement(using: &generator) ?? [], at: position)
    case 2: bytes.insert(contentsOf: bytes[position..<position + length], at: position)
    case 3: bytes[position] = UInt8.random(in: 0...255, using: &generator)
    case 4:
      let other = Int.random(in: 0..<bytes.count, using: &generator)
      bytes.swapAt(position, other)
    default:
      let start = Int.random(in: 0..<bytes.count, using: &generator)
      let chunk = Array(bytes[start..<min(bytes.count, start + 40)])
      bytes.insert(contentsOf: chunk, at: position)
    }
  }
}
