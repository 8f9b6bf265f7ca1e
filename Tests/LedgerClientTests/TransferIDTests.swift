import LedgerClient
import Testing

/// `LedgerClient.newTransferID()` makes ULIDs: valid transfer ids that sort by time.
@Suite struct TransferIDTests {
  /// Always the same bits, to pin the encoding.
  private struct FixedBits: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
  }

  @Test func encodesTimeThenRandomBitsInCrockfordBase32() {
    // The ULID specification's example time encodes as 01ARYZ6S41.
    var zeros = FixedBits(value: 0)
    #expect(LedgerClient.newTransferID(milliseconds: 1_469_918_176_385, using: &zeros) == "01ARYZ6S41" + String(repeating: "0", count: 16))
    // 80 random bits: 40 from each draw, the rest dropped.
    var ones = FixedBits(value: .max)
    #expect(LedgerClient.newTransferID(milliseconds: 0, using: &ones) == "0000000000" + String(repeating: "Z", count: 16))
    var pattern = FixedBits(value: 0x12_3456_789A)
    #expect(LedgerClient.newTransferID(milliseconds: 0, using: &pattern).suffix(16) == "28T5CY4T28T5CY4T")
  }

  @Test func idsOfLaterMillisecondsSortLaterByteForByte() {
    var generator = SystemRandomNumberGenerator()
    var previous = LedgerClient.newTransferID(milliseconds: 1_700_000_000_000, using: &generator)
    for step in 1...1_000 {
      let next = LedgerClient.newTransferID(milliseconds: 1_700_000_000_000 + UInt64(step * step), using: &generator)
      // The server compares ids as bytes (SQLite's BINARY collation).
      #expect(Array(previous.utf8).lexicographicallyPrecedes(Array(next.utf8)))
      previous = next
    }
  }

  @Test func idsAreValidAndDistinct() {
    let ids = (0..<10_000).map { _ in LedgerClient.newTransferID() }
    #expect(Set(ids).count == ids.count)
    let alphabet = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    for id in ids.prefix(100) {
      #expect(id.count == 26)
      #expect(id.allSatisfy(alphabet.contains))
    }
  }

  @Test func theServerAcceptsThemAndAReplayAppliesOnce() async throws {
    try await LedgerServer.with { client, _ in
      _ = try await client.accounts.createAccount(id: "bank", currency: "USD")
      _ = try await client.accounts.createAccount(id: "alice", currency: "USD")
      let id = LedgerClient.newTransferID()
      let first = try await client.transfers.createTransfer(id: id, debit: "bank", credit: "alice", amount: 5, currency: "USD")
      let replay = try await client.transfers.createTransfer(id: id, debit: "bank", credit: "alice", amount: 5, currency: "USD")
      #expect(first.transferID == id)
      #expect(replay.sequence == first.sequence)
      #expect(try await client.accounts.getAccount(id: "alice").creditsPosted == 5)
    }
  }
}
