import CourierBenchAPI
import CourierWire
import Testing

/// The cross-check vector of ../shared/peers: swift-protobuf's encoding of the peer workload.
@Suite("Peer workload vector")
struct PeerVectorTests {
  static let transferRequestHex =
    "0a126964656d2d37663361396332652d30303031120e616363742d3030303132333435361a0e616363742d303030363534333231220908c8d00712035553442a0672657461696c2a037032702a087072696f7269747932110a076368616e6e656c12066d6f62696c6532130a06726567696f6e120965752d776573742d3138959a97ece39fe7cb17"
  static let transferReplyHex = "0a126964656d2d37663361396332652d3030303110c8d0071801"

  static func request() -> Bench_V1_TransferRequest {
    var request = Bench_V1_TransferRequest()
    request.idempotencyKey = "idem-7f3a9c2e-0001"
    request.fromAccount = "acct-000123456"
    request.toAccount = "acct-000654321"
    request.amount.units = 125_000
    request.amount.currency = "USD"
    request.tags = ["retail", "p2p", "priority"]
    request.metadata = ["channel": "mobile", "region": "eu-west-1"]
    request.createdAtUnixNanos = 1_700_000_000_123_456_789
    return request
  }

  @Test func transferRequestEncodesToThePeersExact136Bytes() {
    let bytes = Self.request().serializedBytes()
    #expect(bytes.count == 136)
    #expect(hex(bytes) == Self.transferRequestHex)
    #expect(Self.request().serializedSize == 136)
  }

  @Test func transferRequestDecodesBackToEqualValues() throws {
    let decoded = try Bench_V1_TransferRequest(serializedBytes: Self.request().serializedBytes())
    #expect(decoded == Self.request())
    #expect(decoded.amount.currency == "USD")
    #expect(decoded.metadata["region"] == "eu-west-1")
  }

  @Test func transferReplyEncodesToThePeers26Bytes() throws {
    var reply = Bench_V1_TransferReply()
    reply.transferID = "idem-7f3a9c2e-0001"
    reply.balanceAfter = 125_000
    reply.status = 1
    #expect(hex(reply.serializedBytes()) == Self.transferReplyHex)
    #expect(try Bench_V1_TransferReply(serializedBytes: reply.serializedBytes()) == reply)
  }

  @Test func encodingIsDeterministicWhateverTheMapInsertionOrder() {
    var reversed = Self.request()
    reversed.metadata = [:]
    reversed.metadata["region"] = "eu-west-1"
    reversed.metadata["channel"] = "mobile"
    #expect(reversed.serializedBytes() == Self.request().serializedBytes())
  }
}
