import CourierBenchAPI
import CourierWire
import Testing

/// One message checked against protoc both ways.
struct OracleCase: CustomTestStringConvertible, Sendable {
  let name: String
  /// protobuf text format, with fields in field-number order and map entries in ascending key
  /// order, so that protoc's encoding is the canonical one Courier must match byte for byte.
  let text: String
  let protoFile: String
  let messageName: String
  let includeRoot: String
  /// Decodes bytes with Courier and compares with the expected value; returns Courier's
  /// re-encoding of the expected value.
  let check: @Sendable ([UInt8]) throws -> (decodedMatches: Bool, courierBytes: [UInt8])

  var testDescription: String { name }

  init<M: Message>(_ name: String, _ expected: M, root: String, file: String, text: String) {
    self.name = name
    self.text = text
    self.protoFile = file
    self.messageName = M.protoMessageName
    self.includeRoot = root
    self.check = { bytes in
      let decoded = try M(serializedBytes: bytes)
      return (decoded == expected, expected.serializedBytes())
    }
  }
}

@Suite("protoc oracle")
struct ProtocOracleTests {
  static let cases: [OracleCase] = BenchOracleCorpus.cases + TestSchemaOracleCorpus.cases

  @Test func theCorpusIsLargeEnough() {
    #expect(Self.cases.count >= 20)
  }

  /// protoc --encode → Courier decode gives the expected value; Courier encode gives protoc's
  /// bytes exactly; protoc --decode reads Courier's bytes back to the same text.
  @Test(arguments: cases)
  func protocAndCourierAgree(_ oracle: OracleCase) async throws {
    let protoc = Protoc(includeRoots: [oracle.includeRoot])
    let protocBytes = try await protoc.encode(oracle.text, as: oracle.messageName, in: oracle.protoFile)
    let (decodedMatches, courierBytes) = try oracle.check(protocBytes)
    #expect(decodedMatches, "Courier decoded protoc's bytes \(hex(protocBytes)) to a different value")
    #expect(hex(courierBytes) == hex(protocBytes), "Courier's encoding differs from protoc's")
    let protocText = try await protoc.decode(protocBytes, as: oracle.messageName, in: oracle.protoFile)
    let courierText = try await protoc.decode(courierBytes, as: oracle.messageName, in: oracle.protoFile)
    #expect(courierText == protocText)
  }
}

enum BenchOracleCorpus {
  static func make(_ name: String, _ text: String, _ build: (inout Bench_V1_TransferRequest) -> Void) -> OracleCase {
    var message = Bench_V1_TransferRequest()
    build(&message)
    return OracleCase(name, message, root: PackagePaths.schemas, file: "bench/v1/bench.proto", text: text)
  }

  static let cases: [OracleCase] = [
    make("empty TransferRequest", "") { _ in },
    make(
      "peer workload",
      """
      idempotency_key: "idem-7f3a9c2e-0001" from_account: "acct-000123456" to_account: "acct-000654321"
      amount { units: 125000 currency: "USD" } tags: "retail" tags: "p2p" tags: "priority"
      metadata { key: "channel" value: "mobile" } metadata { key: "region" value: "eu-west-1" }
      created_at_unix_nanos: 1700000000123456789
      """
    ) { $0 = PeerVectorTests.request() },
    make("negative int64 and empty nested message", "amount { units: -1 } created_at_unix_nanos: -9223372036854775808") {
      $0.amount.units = -1
      $0.createdAtUnixNanos = .min
    },
    make("present but empty nested message", "amount { }") { $0.amount = Bench_V1_Amount() },
    make("unicode strings", #"idempotency_key: "žluťoučký kůň 🐎" tags: "日本" tags: """#) {
      $0.idempotencyKey = "žluťoučký kůň 🐎"
      $0.tags = ["日本", ""]
    },
    make(
      "map with several entries in key order",
      #"metadata { key: "" value: "empty" } metadata { key: "a" value: "" } metadata { key: "b" value: "2" } metadata { key: "c" value: "3" }"#
    ) { $0.metadata = ["c": "3", "a": "", "": "empty", "b": "2"] },
    make("long string needs a 2-byte length", "from_account: \"\(String(repeating: "x", count: 300))\"") {
      $0.fromAccount = String(repeating: "x", count: 300)
    },
  ]
}
