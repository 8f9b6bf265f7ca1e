import LedgerClient
import Testing

/// The machine-readable codes, parsed from real failures of the production stack.
@Suite("LedgerServiceError and ledgerErrorCode")
struct LedgerServiceErrorTests {
  @Test func everyCodeNameRoundTrips() {
    for code in Ledger_V1_ErrorCode.allCases {
      #expect(Ledger_V1_ErrorCode(protoName: code.protoName) == code)
    }
    #expect(Ledger_V1_ErrorCode(protoName: "INSUFFICIENT_FUNDS") == .insufficientFunds)
    #expect(Ledger_V1_ErrorCode(protoName: "SOMETHING_NEW") == nil)
    #expect(Set(Ledger_V1_ErrorCode.allCases.map(\.protoName)).count == Ledger_V1_ErrorCode.allCases.count)
  }

  @Test func statusAndCodeOfCommonFailures() async throws {
    try await LedgerServer.with { client, _ in
      _ = try await client.accounts.createAccount(id: "bank", currency: "USD")
      _ = try await client.accounts.createAccount(id: "alice", currency: "USD", noOverdraft: true)
      _ = try await client.accounts.createAccount(id: "eve", currency: "EUR")

      func failure(_ call: () async throws -> Void) async -> LedgerServiceError? {
        do {
          try await call()
          return nil
        } catch {
          return LedgerServiceError(error)
        }
      }

      let overdraft = await failure {
        _ = try await client.transfers.createTransfer(id: "t-1", debit: "alice", credit: "bank", amount: 1, currency: "USD")
      }
      #expect(overdraft?.code == .failedPrecondition)
      #expect(overdraft?.ledgerCode == .insufficientFunds)
      #expect(overdraft?.correlationID?.isEmpty == false)

      let missing = await failure { _ = try await client.accounts.getAccount(id: "nobody") }
      #expect(missing?.code == .notFound && missing?.ledgerCode == .accountNotFound)

      let same = await failure {
        _ = try await client.transfers.createTransfer(id: "t-2", debit: "bank", credit: "bank", amount: 1, currency: "USD")
      }
      #expect(same?.code == .invalidArgument && same?.ledgerCode == .sameAccount)

      let currencies = await failure {
        _ = try await client.transfers.createTransfer(id: "t-3", debit: "bank", credit: "eve", amount: 1, currency: "USD")
      }
      #expect(currencies?.code == .failedPrecondition && currencies?.ledgerCode == .currencyMismatch)

      let typo = await failure { _ = try await client.accounts.createAccount(id: "x", currency: "UDS") }
      #expect(typo?.code == .invalidArgument && typo?.ledgerCode == .unknownCurrency)

      _ = try await client.transfers.createTransfer(id: "t-4", debit: "bank", credit: "alice", amount: 5, currency: "USD")
      let conflict = await failure {
        _ = try await client.transfers.createTransfer(id: "t-4", debit: "bank", credit: "alice", amount: 6, currency: "USD")
      }
      #expect(conflict?.code == .alreadyExists && conflict?.ledgerCode == .transferIDConflict)
      #expect(conflict.map { "\($0)" }?.hasPrefix("ALREADY_EXISTS [TRANSFER_ID_CONFLICT]: ") == true)
    }
  }

  @Test func transportFailuresHaveNoLedgerCode() async throws {
    let server = try await LedgerServer.start()
    let endpoint = server.endpoint
    await server.stop()
    let client = LedgerClient(endpoints: [endpoint])
    defer { client.close() }
    let error = await #expect(throws: RPCError.self) {
      _ = try await client.accounts.getAccount(id: "a", options: CallOptions(retryable: false))
    }
    #expect(error?.code == .unavailable)
    #expect(error?.ledgerErrorCode == nil)
    #expect(LedgerServiceError(CancellationError()) == nil)
  }
}
