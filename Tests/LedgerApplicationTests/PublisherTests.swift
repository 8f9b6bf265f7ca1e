@testable import LedgerApplication
import LedgerDomain
import Testing

@Suite struct PublisherTests {
  func transfer(_ id: String, _ debit: String, _ credit: String, sequence: Int64) throws -> Transfer {
    try request(id, debit, credit, 1).validated().transfer(sequence: sequence, createdAt: Timestamp(nanosecondsSinceEpoch: 0))
  }

  @Test func fansOutToBothAccountsSubscribersInOrder() async throws {
    let publisher = InProcessTransferEventPublisher()
    let alice = publisher.subscribe(accountID: try AccountID("alice"))
    let aliceAgain = publisher.subscribe(accountID: try AccountID("alice"))
    let bob = publisher.subscribe(accountID: try AccountID("bob"))
    let carol = publisher.subscribe(accountID: try AccountID("carol"))
    #expect(publisher.subscriberCount == 4)
    let t1 = try transfer("t1", "alice", "bob", sequence: 1)
    let t2 = try transfer("t2", "carol", "dave", sequence: 2)
    let t3 = try transfer("t3", "bob", "alice", sequence: 3)
    publisher.publish([t1, t2])
    publisher.publish([t3])
    #expect(try await collect(2, from: alice) == [t1, t3])
    #expect(try await collect(2, from: aliceAgain) == [t1, t3])
    #expect(try await collect(2, from: bob) == [t1, t3])
    #expect(try await collect(1, from: carol) == [t2])
  }

  @Test func aSubscriberThatFallsBehindIsEndedAfterItsBuffer() async throws {
    let publisher = InProcessTransferEventPublisher(bufferedTransfersMax: 3)
    let slow = publisher.subscribe(accountID: try AccountID("alice"))
    let transfers = try (1...5).map { try transfer("t\($0)", "alice", "bob", sequence: Int64($0)) }
    publisher.publish(transfers)
    #expect(publisher.subscriberCount == 0)
    var received: [Transfer] = []
    for await transfer in slow { received.append(transfer) }
    #expect(received == Array(transfers.prefix(3)))
  }

  @Test func aSubscriberThatStopsIsForgotten() async throws {
    let publisher = InProcessTransferEventPublisher()
    let task = Task {
      for await _ in publisher.subscribe(accountID: try AccountID("alice")) {}
    }
    try await eventually("the subscription") { publisher.subscriberCount == 1 }
    task.cancel()
    try await task.value
    try await eventually("the subscription to go") { publisher.subscriberCount == 0 }
    publisher.publish([try transfer("t1", "alice", "bob", sequence: 1)])
  }
}

@Suite struct PageTokenTests {
  @Test(arguments: [
    ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
    ("foobar", "Zm9vYmFy"),
  ])
  func base64URLMatchesRFC4648Vectors(plain: String, encoded: String) {
    #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
    #expect(Base64URL.decode(encoded) == Array(plain.utf8))
  }

  @Test func base64URLUsesTheURLAlphabetAndRejectsNonCanonicalText() {
    #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
    #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    #expect(Base64URL.decode("Zh") == nil)  // stray low bits
    #expect(Base64URL.decode("Z") == nil)  // no whole byte
    #expect(Base64URL.decode("Zg==") == nil)  // padding
    #expect(Base64URL.decode("+/8") == nil)  // the other alphabet
  }

  @Test func tokensRoundTrip() throws {
    let alice = try AccountID("alice")
    #expect(try PageToken.accountCursor(PageToken.accounts(after: alice)) == alice)
    #expect(try PageToken.accountCursor("") == nil)
    #expect(try PageToken.transferCursor(PageToken.transfers(of: alice, after: 42), accountID: alice) == 42)
    #expect(try PageToken.transferCursor("", accountID: alice) == 0)
  }

  @Test func pageSizes() throws {
    #expect(try PageSize.resolve(0) == 100)
    #expect(try PageSize.resolve(1) == 1)
    #expect(try PageSize.resolve(1_000) == 1_000)
    #expect(throws: LedgerError.self) { try PageSize.resolve(1_001) }
  }
}
