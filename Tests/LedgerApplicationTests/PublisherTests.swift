import Dispatch
#if canImport(Glibc)
  import Glibc
#endif
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

  /// Found by the soak (a client vanishing mid-WatchAccount while transfers were published
  /// stopped every later commit from being answered): cancelling a subscriber's task holds the
  /// task's status lock while `onTermination` takes the publisher's lock, so `publish` must not
  /// hold that lock while `yield` resumes the same task (which takes its status lock). Here
  /// both happen over and over. Publishing, cancelling and the subscribers all run on threads
  /// of their own (the subscribers through `DispatchTaskExecutor`), so a deadlock fails the
  /// test instead of hanging the cooperative pool.
  @Test func cancellingSubscribersWhilePublishingDoesNotDeadlock() async throws {
    let executor = DispatchTaskExecutor()
    let publisher = InProcessTransferEventPublisher()
    let alice = try AccountID("alice")
    let transfers = try (1...4).map { try transfer("t\($0)", "alice", "bob", sequence: Int64($0)) }
    let finished = Locked((publishing: false, cancelling: false, rounds: 0))
    let rounds = 200
    DispatchQueue(label: "publisher-tests.publish").async {
      while finished.withLock({ !$0.cancelling }) { publisher.publish(transfers) }
      finished.withLock { $0.publishing = true }
    }
    DispatchQueue(label: "publisher-tests.cancel").async {
      for _ in 0..<rounds {
        let subscribers = (0..<16).map { _ in
          Task(executorPreference: executor) { for await _ in publisher.subscribe(accountID: alice) {} }
        }
        // Let most of them reach `next()` and receive a few transfers, then cancel them all.
        usleep(500)
        for subscriber in subscribers { subscriber.cancel() }
        finished.withLock { $0.rounds += 1 }
      }
      finished.withLock { $0.cancelling = true }
    }
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline, finished.withLock({ !($0.publishing && $0.cancelling) }) {
      try await Task.sleep(for: .milliseconds(20))
    }
    let state = finished.withLock { $0 }
    // Stop here on a deadlock: the publisher's lock is held for good, so touching it would
    // block this thread too.
    try #require(state.publishing && state.cancelling, "deadlocked after \(state.rounds) of \(rounds) rounds")
    try await eventually("every subscription to go") { publisher.subscriberCount == 0 }
  }
}

/// Runs tasks on a concurrent Dispatch queue instead of the cooperative pool.
final class DispatchTaskExecutor: TaskExecutor {
  private let queue = DispatchQueue(label: "publisher-tests.executor", attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { job.runSynchronously(on: executor) }
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
