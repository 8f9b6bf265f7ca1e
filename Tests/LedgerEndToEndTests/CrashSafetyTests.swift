import CourierCore
import CourierTransport
import Foundation
import LedgerAPI
import Testing

/// The real binary, killed with SIGKILL under load and started again on the same database:
/// no acknowledged transfer may be lost, invariants must hold, and retries must apply once.
@Suite("Crash safety of ledger-server", .timeLimit(.minutes(5)))
struct CrashSafetyTests {
  /// What the senders learned: transfers acknowledged (with the committed transfer) and
  /// transfers whose outcome is unknown (in flight when the server died).
  struct Outcomes: Sendable {
    var acknowledged: [String: (request: Ledger_V1_CreateTransferRequest, transfer: Ledger_V1_Transfer)] = [:]
    var unknown: Set<String> = []
  }

  @Test func acknowledgedTransfersSurviveSIGKILLAndRetriesApplyOnce() async throws {
    let directory = try TemporaryDirectory()
    let database = directory.file("ledger.sqlite")
    let first = try await LedgerServerProcess.start(database: database, logPath: directory.file("first.log"))
    let accounts = ["k0", "k1", "k2", "k3", "k4", "k5"]
    var funding: Set<String> = []
    do {
      let channel = channel(to: first.port)
      defer { channel.close() }
      let accountsClient = Ledger_V1_Accounts.Client(wrapping: channel)
      let transfersClient = Ledger_V1_Transfers.Client(wrapping: channel)
      _ = try await accountsClient.createAccount(.make("bank"))
      for id in accounts {
        _ = try await accountsClient.createAccount(.make(id, noOverdraft: true))
        _ = try await transfersClient.createTransfer(.make("fund-\(id)", from: "bank", to: id, amount: 100_000))
        funding.insert("fund-\(id)")
      }
    }

    // Load: 16 senders, each on its own connection, until the server dies under them.
    let outcomes = LockedValue(Outcomes())
    let port = first.port
    let load = Task {
      await withTaskGroup(of: Void.self) { group in
        for sender in 0..<16 {
          group.addTask { await Self.send(from: sender, among: accounts, port: port, into: outcomes) }
        }
      }
    }
    // Kill mid-load: after a second of it and at least 500 acknowledgements.
    let loadStart = ContinuousClock.now
    while ContinuousClock.now < loadStart + .seconds(1)
      || (outcomes.withLock({ $0.acknowledged.count }) < 500 && ContinuousClock.now < loadStart + .seconds(20))
    {
      try await Task.sleep(for: .milliseconds(10))
    }
    first.send(SIGKILL)
    let killed = try await first.waitForExit()
    #expect(killed.signaled && killed.status == SIGKILL)
    await load.value
    let learned = outcomes.withLock { $0 }
    #expect(learned.acknowledged.count >= 500, "only \(learned.acknowledged.count) acknowledged before the kill")
    // Every sender stopped at its first failed call: one unknown outcome each.
    #expect(learned.unknown.count == 16)

    // Restart on the same file: everything acknowledged is there, as it was acknowledged.
    let second = try await LedgerServerProcess.start(database: database, logPath: directory.file("second.log"))
    let channel = channel(to: second.port)
    defer { channel.close() }
    let accountsClient = Ledger_V1_Accounts.Client(wrapping: channel)
    let transfersClient = Ledger_V1_Transfers.Client(wrapping: channel)
    let audit = try await LedgerAudit.read(accounts: accountsClient, transfers: transfersClient)
    audit.checkInvariants()
    for (id, acknowledged) in learned.acknowledged {
      #expect(audit.transfers[id] == acknowledged.transfer, "acknowledged transfer \(id) is missing or changed")
    }
    let explained = Set(learned.acknowledged.keys).union(learned.unknown).union(funding)
    #expect(Set(audit.transfers.keys).isSubset(of: explained), "transfers no one sent")

    // Re-sending every acknowledged transfer returns the original and stores nothing new.
    let resent = try await withThrowingTaskGroup(of: Int.self) { group in
      let batches = Array(learned.acknowledged.values).chunked(into: 8)
      for batch in batches {
        group.addTask {
          for acknowledged in batch {
            let again = try await transfersClient.createTransfer(acknowledged.request).transfer
            #expect(again == acknowledged.transfer)
          }
          return batch.count
        }
      }
      return try await group.reduce(0, +)
    }
    #expect(resent == learned.acknowledged.count)
    let after = try await LedgerAudit.read(accounts: accountsClient, transfers: transfersClient)
    #expect(after.transfers.count == audit.transfers.count)
    #expect(after.accounts == audit.accounts)

    second.send(SIGTERM)
    let stopped = try await second.waitForExit()
    #expect(stopped.status == 0 && !stopped.signaled)
  }

  /// Sends random transfers among `accounts` until a call fails for a reason other than the
  /// ledger refusing it (the server is gone), recording what it learned.
  private static func send(from sender: Int, among accounts: [String], port: Int, into outcomes: LockedValue<Outcomes>)
    async
  {
    let channel = channel(to: port)
    defer { channel.close() }
    let client = Ledger_V1_Transfers.Client(wrapping: channel)
    for attempt in 1... {
      let pair = accounts.shuffled().prefix(2)
      let request = Ledger_V1_CreateTransferRequest.make(
        "s\(sender)-\(attempt)", from: pair.first!, to: pair.last!, amount: .random(in: 1...500))
      do {
        let transfer = try await client.createTransfer(request).transfer
        outcomes.withLock { $0.acknowledged[request.transferID] = (request, transfer) }
      } catch let error as RPCError where error.metadata.firstString(forKey: "ledger-error-code") != nil {
        continue  // refused by the ledger (e.g. insufficient funds): a definite outcome
      } catch {
        outcomes.withLock { _ = $0.unknown.insert(request.transferID) }
        return
      }
    }
  }

  private static func channel(to port: Int) -> CourierChannel {
    CourierChannel(
      configuration: .init(
        endpoints: [Endpoint(host: "127.0.0.1", port: port)], retry: RetryPolicy(attemptsMax: 1)))
  }

  private func channel(to port: Int) -> CourierChannel { Self.channel(to: port) }
}

extension Array {
  /// The elements dealt round-robin into `count` arrays.
  fileprivate func chunked(into count: Int) -> [[Element]] {
    var chunks = [[Element]](repeating: [], count: count)
    for (index, element) in enumerated() { chunks[index % count].append(element) }
    return chunks
  }
}
