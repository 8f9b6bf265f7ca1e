import Dispatch
import LedgerApplication
import LedgerDomain
import Synchronization
import Testing

/// The `UnitOfWork` contract (atomicity, isolation, serialized writes), run against every adapter.
@Suite struct UnitOfWorkContractTests {
  @Test(arguments: AdapterKind.allCases)
  func aThrowingWriteChangesNothing(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let alice = try Fixtures.account("alice")
      let bob = try Fixtures.account("bob")
      try await store.write { context in
        try context.accounts.insert(alice)
        try context.accounts.insert(bob)
      }
      let amount = try Amount(minorUnits: 40)
      await #expect(throws: PlannedFailure.self) {
        try await store.write { context in
          try context.accounts.insert(Fixtures.account("carol"))
          try context.transfers.insert([
            Fixtures.transfer("t1", from: "alice", to: "bob", amount: 40, sequence: 1)
          ])
          try context.accounts.update([alice.debited(by: amount), bob.credited(by: amount)])
          throw PlannedFailure()
        }
      }
      let (accounts, transfers, lastSequence) = try await store.read { context in
        (
          try context.accounts.list(AccountQuery(limit: 100)),
          try context.transfers.transfers(withIDs: [Fixtures.transferID("t1")]),
          try context.transfers.lastSequence()
        )
      }
      #expect(accounts == [alice, bob])
      #expect(transfers.isEmpty)
      #expect(lastSequence == 0)

      // The store still works after the rollback.
      try await store.write { try $0.accounts.insert(Fixtures.account("carol")) }
      #expect(try await store.read { try $0.accounts.list(AccountQuery(limit: 100)) }.count == 3)
    }
  }

  @Test(arguments: AdapterKind.allCases)
  func aWriteReturnsItsClosuresValue(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let value = try await store.write { _ in "committed" }
      #expect(value == "committed")
      let read = try await store.read { _ in 42 }
      #expect(read == 42)
    }
  }

  /// Each write reads the last sequence and a counter account, then writes both one higher:
  /// interleaved writes would lose updates or collide on a sequence.
  @Test(arguments: AdapterKind.allCases)
  func concurrentWritesAreSerialized(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let source = try Fixtures.account("source")
      let counter = try Fixtures.account("counter")
      try await store.write { context in
        try context.accounts.insert(source)
        try context.accounts.insert(counter)
      }
      let writers = 40
      let one = try Amount(minorUnits: 1)
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<writers {
          group.addTask {
            try await store.write { context in
              let sequence = try context.transfers.lastSequence() + 1
              let accounts = try context.accounts.accounts(withIDs: [source.id, counter.id])
              guard let from = accounts[source.id], let to = accounts[counter.id] else {
                throw PlannedFailure()
              }
              try context.transfers.insert([
                Fixtures.transfer(
                  "w\(index)", from: "source", to: "counter", amount: 1, sequence: sequence)
              ])
              try context.accounts.update([from.debited(by: one), to.credited(by: one)])
            }
          }
        }
        try await group.waitForAll()
      }
      let (accounts, lastSequence) = try await store.read { context in
        (
          try context.accounts.accounts(withIDs: [source.id, counter.id]),
          try context.transfers.lastSequence()
        )
      }
      #expect(lastSequence == Int64(writers))
      #expect(accounts[counter.id]?.creditsPosted == Int64(writers))
      #expect(accounts[counter.id]?.version == Int64(writers) + 1)
      #expect(accounts[source.id]?.debitsPosted == Int64(writers))
    }
  }

  /// A read that runs while a write is open never sees the write's changes, and a rolled-back
  /// write is never seen at all. The write waits (bounded) for the read, so adapters whose reads
  /// run beside writes are exercised mid-transaction; adapters that queue reads behind writes
  /// still pass, since they only ever see committed state.
  @Test(arguments: AdapterKind.allCases)
  func readsSeeCommittedDataOnly(kind: AdapterKind) async throws {
    try await kind.withUnitOfWork { store in
      let committed = try Fixtures.account("committed")
      try await store.write { try $0.accounts.insert(committed) }
      let pending = try Fixtures.account("pending")
      let (inserted, insertedContinuation) = AsyncStream<Void>.makeStream()
      let readDone = DispatchSemaphore(value: 0)
      let readFinishedDuringWrite = Flag()

      let write = Task {
        try await store.write { context in
          try context.accounts.insert(pending)
          try context.accounts.update([committed.credited(by: Amount(minorUnits: 5))])
          insertedContinuation.yield()
          // Bounded, so an adapter that serializes reads behind this write cannot deadlock.
          let outcome = readDone.wait(timeout: .now() + .seconds(2))
          readFinishedDuringWrite.set(outcome == .success)
          throw PlannedFailure()
        }
      }
      for await _ in inserted { break }
      let seen = try await store.read { context in
        try context.accounts.accounts(withIDs: [committed.id, pending.id])
      }
      readDone.signal()
      await #expect(throws: PlannedFailure.self) { try await write.value }

      #expect(seen == [committed.id: committed])
      let after = try await store.read {
        try $0.accounts.accounts(withIDs: [committed.id, pending.id])
      }
      #expect(after == [committed.id: committed])
      if kind == .sqlite {
        #expect(
          readFinishedDuringWrite.value, "a WAL reader must not wait for the open write transaction"
        )
      }
    }
  }
}

/// A boolean set on one thread and read on another.
private final class Flag: Sendable {
  private let storage = Atomic<Bool>(false)
  var value: Bool { storage.load(ordering: .sequentiallyConsistent) }
  func set(_ value: Bool) { storage.store(value, ordering: .sequentiallyConsistent) }
}
