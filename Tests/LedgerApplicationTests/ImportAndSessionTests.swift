@testable import LedgerApplication
import LedgerDomain
import Testing

/// `requests` as the async sequence an RPC stream would be.
func stream(_ requests: [TransferRequest]) -> AsyncStream<TransferRequest> {
  AsyncStream { continuation in
    for request in requests { continuation.yield(request) }
    continuation.finish()
  }
}

struct InputBroke: Error, Equatable {}

@Suite struct ImportTests {
  @Test func summarizesCreatedExistingAndFailed() async throws {
    let ledger = TestLedger()
    try await ledger.open("bank")
    try await ledger.open("alice", noOverdraft: true)
    _ = try await ledger.transfers.create(request("old", "bank", "alice", 7))
    let requests = [
      request("n1", "bank", "alice", 10), request("n2", "bank", "alice", 10), request("old", "bank", "alice", 7),
      request("n1", "bank", "alice", 10), request("n2", "bank", "alice", 11), request("", "bank", "alice", 1),
      request("n3", "alice", "bank", 1_000), request("n4", "bank", "ghost", 1), request("n5", "alice", "bank", 27),
    ]
    let summary = try await ledger.transfers.importTransfers(stream(requests))
    #expect(summary.received == 9)
    #expect(summary.created == 3)
    #expect(summary.alreadyExisted == 2)
    #expect(summary.failed == 4)
    #expect(summary.firstFailures.map(\.transferID) == ["n2", "", "n3", "n4"])
    #expect(summary.firstFailures.map { $0.outcome.error?.code } == [
      "TRANSFER_ID_CONFLICT", "INVALID_ARGUMENT", "INSUFFICIENT_FUNDS", "ACCOUNT_NOT_FOUND",
    ])
    #expect(try await ledger.balance("alice") == 0)
  }

  @Test func reportsTheFirstHundredFailuresAndCountsTheRest() async throws {
    let ledger = TestLedger()
    try await ledger.open("bank")
    let requests = (0..<150).map { request("f\($0)", "bank", "ghost", 1) }
    let summary = try await ledger.transfers.importTransfers(stream(requests))
    #expect(summary.failed == 150 && summary.received == 150 && summary.created == 0)
    #expect(summary.firstFailures.map(\.transferID) == (0..<100).map { "f\($0)" })
  }

  @Test func anImportRidesGroupCommits() async throws {
    var counter: CountingUnitOfWork?
    let ledger = TestLedger { inner in
      let counting = CountingUnitOfWork(inner)
      counter = counting
      return counting
    }
    guard let counter else { return }
    try await ledger.open("bank")
    try await ledger.open("alice")
    let writesBefore = counter.writes
    let summary = try await ledger.transfers.importTransfers(stream((0..<500).map { request("i\($0)", "bank", "alice", 1) }))
    #expect(summary.created == 500)
    #expect(counter.writes - writesBefore < 500)
    #expect(try await ledger.balance("alice") == 500)
  }

  @Test func aBrokenInputStreamFailsTheImport() async throws {
    let ledger = TestLedger()
    try await ledger.open("bank")
    try await ledger.open("alice")
    let input = AsyncThrowingStream<TransferRequest, any Error> { continuation in
      continuation.yield(request("ok", "bank", "alice", 1))
      continuation.finish(throwing: InputBroke())
    }
    await #expect(throws: InputBroke.self) { try await ledger.transfers.importTransfers(input) }
  }

  @Test func anEmptyImportIsAnEmptySummary() async throws {
    let ledger = TestLedger()
    #expect(try await ledger.transfers.importTransfers(stream([])) == ImportSummary())
  }
}

@Suite struct SessionTests {
  /// Runs a session over `requests` and returns what it delivered.
  func runSession(_ ledger: TestLedger, _ requests: [TransferRequest]) async throws -> [TransferResult] {
    var results: [TransferResult] = []
    try await ledger.transfers.session(stream(requests)) { results.append($0) }
    return results
  }

  @Test func resultsComeInRequestOrderAndShareCommits() async throws {
    var counter: CountingUnitOfWork?
    var configuration = TransferService.Configuration()
    configuration.pipelineWindow = 32
    let ledger = TestLedger(configuration: configuration) { inner in
      let counting = CountingUnitOfWork(inner)
      counter = counting
      return counting
    }
    guard let counter else { return }
    try await ledger.open("bank")
    try await ledger.open("alice", noOverdraft: true)
    let writesBefore = counter.writes
    // Every 7th is malformed, every 11th overdraws alice, every 13th retries the one before.
    let requests = (0..<300).map { index -> TransferRequest in
      if index.isMultiple(of: 7) { return request("s\(index)", "bank", "alice", 0) }
      if index.isMultiple(of: 11) { return request("s\(index)", "alice", "bank", 1_000_000) }
      if index.isMultiple(of: 13) { return request("s\(index - 1)", "bank", "alice", 1) }
      return request("s\(index)", "bank", "alice", 1)
    }
    let results = try await runSession(ledger, requests)
    #expect(results.map(\.transferID) == requests.map(\.transferID))
    for (index, result) in results.enumerated() {
      if index.isMultiple(of: 7) {
        #expect(result.outcome.error?.code == "INVALID_ARGUMENT")
      } else if index.isMultiple(of: 11) {
        #expect(result.outcome.error?.code == "INSUFFICIENT_FUNDS")
      } else if index.isMultiple(of: 13) {
        let retried = (index - 1).isMultiple(of: 7) || (index - 1).isMultiple(of: 11)
        let expected = retried ? result.outcome.transfer.map(TransferOutcome.created) : results[index - 1].outcome.transfer.map(TransferOutcome.alreadyExisted)
        #expect(expected != nil && result.outcome == expected)
      } else {
        guard case .created = result.outcome else {
          Issue.record("request \(index): \(result.outcome)")
          continue
        }
      }
    }
    #expect(counter.writes - writesBefore < 300)
    let created = results.filter { if case .created = $0.outcome { true } else { false } }
    #expect(try await ledger.storedTransfers().count == created.count)
  }

  @Test func aWindowOfOneStillWorks() async throws {
    var configuration = TransferService.Configuration()
    configuration.pipelineWindow = 1
    let ledger = TestLedger(configuration: configuration)
    try await ledger.open("bank")
    try await ledger.open("alice")
    let requests = (0..<20).map { request("w\($0)", "bank", "alice", 1) }
    let results = try await runSession(ledger, requests)
    #expect(results.map { $0.outcome.transfer?.sequence } == (1...20).map { Int64($0) })
  }

  @Test func aFailingDeliveryEndsTheSession() async throws {
    let ledger = TestLedger()
    try await ledger.open("bank")
    try await ledger.open("alice")
    // An input that never ends: the session must still end when delivery fails.
    let (input, inputSink) = AsyncStream.makeStream(of: TransferRequest.self)
    for index in 0..<10 { inputSink.yield(request("x\(index)", "bank", "alice", 1)) }
    await #expect(throws: CommitFailure.self) {
      try await ledger.transfers.session(input) { _ in throw CommitFailure() }
    }
    inputSink.finish()
  }

  @Test func aFailedCommitEndsTheSessionWithTheError() async throws {
    var failing: FailingCommitUnitOfWork?
    let ledger = TestLedger { inner in
      let double = FailingCommitUnitOfWork(inner)
      failing = double
      return double
    }
    guard let failing else { return }
    try await ledger.open("bank")
    try await ledger.open("alice")
    failing.isFailing = true
    await #expect(throws: CommitFailure.self) {
      _ = try await runSession(ledger, (0..<10).map { request("x\($0)", "bank", "alice", 1) })
    }
    #expect(try await ledger.storedTransfers().isEmpty)
  }
}
