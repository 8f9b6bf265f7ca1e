import LedgerApplication
import LedgerDomain
import LedgerInMemory
import Testing

/// What the shared contract suite (LedgerAdapterTests) does not cover: the in-memory adapter's
/// own guard rails, and the clocks and id generator that ship with it.
@Suite struct InMemoryStoreTests {
  @Test func aReadTransactionCannotWrite() async throws {
    let store = InMemoryLedgerStore()
    let account = try Account.open(id: AccountID("a"), currency: .usd, noOverdraft: false, createdAt: Timestamp(nanosecondsSinceEpoch: 0))
    await #expect(throws: StorageError.self) { try await store.read { try $0.accounts.insert(account) } }
    #expect(try await store.read { try $0.accounts.list(AccountQuery(limit: 10)) }.isEmpty)
  }

  @Test func transfersMustReferenceExistingAccounts() async throws {
    let store = InMemoryLedgerStore()
    let transfer = try request("t1", "a", "b", 1).validated().transfer(sequence: 1, createdAt: Timestamp(nanosecondsSinceEpoch: 0))
    await #expect(throws: StorageError.self) { try await store.write { try $0.transfers.insert([transfer]) } }
  }

  @Test func updatingAMissingAccountFails() async throws {
    let store = InMemoryLedgerStore()
    let account = try Account.open(id: AccountID("a"), currency: .usd, noOverdraft: false, createdAt: Timestamp(nanosecondsSinceEpoch: 0))
    await #expect(throws: StorageError.self) { try await store.write { try $0.accounts.update([account]) } }
  }

  @Test func randomIDsAreValidAndDistinct() {
    let generator = RandomAccountIDGenerator()
    let ids = (0..<1_000).map { _ in generator.newAccountID().rawValue }
    #expect(Set(ids).count == ids.count)
    #expect(ids.allSatisfy { $0.count == 16 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
  }

  @Test func clocks() {
    // 2020-01-01 in nanoseconds: the system clock is past it.
    #expect(SystemClock().now().nanosecondsSinceEpoch > 1_577_836_800_000_000_000)
    let fixed = FixedClock(Timestamp(nanosecondsSinceEpoch: 7))
    #expect(fixed.now() == fixed.now())
    let manual = ManualClock(Timestamp(nanosecondsSinceEpoch: 10))
    manual.advance(byNanoseconds: 5)
    #expect(manual.now() == Timestamp(nanosecondsSinceEpoch: 15))
  }
}
