import CourierCore
import LedgerAPI
import Testing

/// Every Ledger method names the scope a caller needs (ledger.proto's
/// `(courier.v1.required_scope)` options, carried into the generated descriptors).
@Suite("required scopes")
struct RequiredScopeTests {
  @Test func readsNeedLedgerReadAndWritesNeedLedgerWrite() {
    #expect(Ledger_V1_Transfers.Method.CreateTransfer.descriptor.requiredScope == "ledger.write")
    #expect(Ledger_V1_Accounts.Method.GetAccount.descriptor.requiredScope == "ledger.read")
    let descriptors = Ledger_V1_Accounts.Method.descriptors + Ledger_V1_Transfers.Method.descriptors
    let scopes = Dictionary(uniqueKeysWithValues: descriptors.map { ($0.path, $0.requiredScope) })
    #expect(scopes == [
      "/ledger.v1.Accounts/CreateAccount": "ledger.write",
      "/ledger.v1.Accounts/GetAccount": "ledger.read",
      "/ledger.v1.Accounts/CloseAccount": "ledger.write",
      "/ledger.v1.Accounts/ListAccounts": "ledger.read",
      "/ledger.v1.Transfers/CreateTransfer": "ledger.write",
      "/ledger.v1.Transfers/CreateTransfers": "ledger.write",
      "/ledger.v1.Transfers/GetTransfer": "ledger.read",
      "/ledger.v1.Transfers/ListTransfers": "ledger.read",
      "/ledger.v1.Transfers/WatchAccount": "ledger.read",
      "/ledger.v1.Transfers/ImportTransfers": "ledger.write",
      "/ledger.v1.Transfers/TransferSession": "ledger.write",
    ])
  }

  /// The reads are exactly the methods without side effects.
  @Test func theReadScopeGoesWithNoSideEffects() {
    for descriptor in Ledger_V1_Accounts.Method.descriptors + Ledger_V1_Transfers.Method.descriptors {
      #expect((descriptor.requiredScope == "ledger.read") == (descriptor.idempotency == .noSideEffects), "\(descriptor)")
    }
  }

  /// health.proto is the standard file: no Courier options.
  @Test func healthChecksNeedNoScope() {
    #expect(Grpc_Health_V1_Health.Method.descriptors.allSatisfy { $0.requiredScope == nil })
  }
}
