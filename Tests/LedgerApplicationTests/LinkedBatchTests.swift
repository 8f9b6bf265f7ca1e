@testable import LedgerApplication
import LedgerDomain
import Testing

@Suite struct LinkedBatchTests {
  let ledger = TestLedger()

  init() async throws {
    try await ledger.open("bank")
    try await ledger.open("alice", noOverdraft: true)
    try await ledger.open("bob", noOverdraft: true)
  }

  @Test func appliesEveryItemInOneCommit() async throws {
    let results = try await ledger.transfers.createLinked([
      request("l1", "bank", "alice", 100), request("l2", "alice", "bob", 70), request("l3", "bob", "bank", 20),
    ])
    #expect(results.map(\.transferID) == ["l1", "l2", "l3"])
    let transfers = results.compactMap(\.outcome.transfer)
    #expect(transfers.map(\.sequence) == [1, 2, 3])
    #expect(results.allSatisfy { if case .created = $0.outcome { true } else { false } })
    // Item 2 spends what item 1 brought: items see the ones before them.
    #expect(try await ledger.balance("alice") == 30)
    #expect(try await ledger.balance("bob") == 50)
    #expect(ledger.publisher.published == [transfers])
  }

  @Test func oneFailingItemFailsAllWithTheRightCodes() async throws {
    let results = try await ledger.transfers.createLinked([
      request("l1", "bank", "alice", 100), request("l2", "alice", "bob", 150), request("l3", "bank", "bob", 1),
    ])
    let linked = LedgerError.linkedTransferFailed(failedIndex: 1, failedTransferID: "l2")
    #expect(results.map(\.outcome) == [
      .failed(linked), .failed(.insufficientFunds(try AccountID("alice"), balance: 100, amount: 150)), .failed(linked),
    ])
    #expect(results.map { $0.outcome.error?.code } == ["LINKED_TRANSFER_FAILED", "INSUFFICIENT_FUNDS", "LINKED_TRANSFER_FAILED"])
    #expect(try await ledger.storedTransfers().isEmpty)
    #expect(try await ledger.balance("alice") == 0)
    #expect(ledger.publisher.published.isEmpty)
    // Nothing of the failed batch was kept: its ids are free.
    _ = try await ledger.transfers.create(request("l1", "bank", "bob", 5))
  }

  @Test func aMalformedItemFailsTheBatchBeforeTheWritePath() async throws {
    let results = try await ledger.transfers.createLinked([
      request("l1", "bank", "alice", 100), request("", "bank", "bob", 1), request("l3", "bank", "bob", 0),
    ])
    #expect(results.map(\.transferID) == ["l1", "", "l3"])
    #expect(results[1].outcome == .failed(.invalidArgument(field: "transfer_id", reason: "must be 1 to 64 characters from A-Z a-z 0-9 - _")))
    #expect(results[0].outcome == .failed(.linkedTransferFailed(failedIndex: 1, failedTransferID: "")))
    #expect(results[2].outcome == .failed(.linkedTransferFailed(failedIndex: 1, failedTransferID: "")))
    #expect(await ledger.transfers.committer.batchesCommitted == 0)
  }

  @Test func duplicatesInsideABatchAreRetriesOrConflicts() async throws {
    let same = try await ledger.transfers.createLinked([request("d1", "bank", "alice", 10), request("d1", "bank", "alice", 10)])
    guard case .created(let created) = same[0].outcome else {
      Issue.record("first d1 not created: \(same[0])")
      return
    }
    #expect(same[1].outcome == .alreadyExisted(created))
    #expect(try await ledger.balance("alice") == 10)

    let conflicting = try await ledger.transfers.createLinked([
      request("d2", "bank", "alice", 10), request("d2", "bank", "alice", 11),
    ])
    #expect(conflicting[1].outcome == .failed(.transferIDConflict(try TransferID("d2"))))
    #expect(conflicting[0].outcome == .failed(.linkedTransferFailed(failedIndex: 1, failedTransferID: "d2")))
    #expect(try await ledger.balance("alice") == 10)
  }

  @Test func retryingAWholeBatchReturnsTheOriginals() async throws {
    let batch = [request("r1", "bank", "alice", 10), request("r2", "alice", "bob", 10)]
    let first = try await ledger.transfers.createLinked(batch)
    let again = try await ledger.transfers.createLinked(batch)
    #expect(again.map(\.outcome) == first.compactMap(\.outcome.transfer).map { .alreadyExisted($0) })
    #expect(try await ledger.balance("bob") == 10)
  }

  @Test(arguments: [0, 1_001])
  func batchSizeIsLimited(count: Int) async throws {
    let requests = (0..<count).map { request("b\($0)", "bank", "alice", 1) }
    await #expect(throws: LedgerError.invalidArgument(field: "transfers", reason: "must hold 1 to 1000 transfers, got \(count)")) {
      try await ledger.transfers.createLinked(requests)
    }
  }

  @Test func aFullSizeBatchCommits() async throws {
    let requests = (0..<1_000).map { request("b\($0)", "bank", "alice", 1) }
    let results = try await ledger.transfers.createLinked(requests)
    #expect(results.allSatisfy { $0.outcome.transfer != nil })
    #expect(try await ledger.balance("alice") == 1_000)
  }
}
