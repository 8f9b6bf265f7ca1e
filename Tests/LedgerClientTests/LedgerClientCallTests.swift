import LedgerClient
import Testing

/// Unary and streaming calls through `LedgerClient` against the production stack.
@Suite("LedgerClient calls")
struct LedgerClientCallTests {
  @Test func targetsAreParsed() throws {
    let client = try LedgerClient(targets: ["127.0.0.1:7070", "ledger.internal:7071"])
    defer { client.close() }
    #expect(client.endpoints == [Endpoint(host: "127.0.0.1", port: 7070), Endpoint(host: "ledger.internal", port: 7071)])
    #expect(throws: LedgerClient.TargetError.empty) { try LedgerClient(targets: []) }
    #expect(throws: LedgerClient.TargetError.malformed("localhost")) { try LedgerClient(targets: ["localhost"]) }
    #expect(throws: LedgerClient.TargetError.malformed("a:99999")) { try LedgerClient(targets: ["a:99999"]) }
  }

  @Test func unaryCallsThroughTheShortcuts() async throws {
    try await LedgerServer.with { client, _ in
      #expect(try await client.health.check(Grpc_Health_V1_HealthCheckRequest()).status == .serving)
      let bank = try await client.accounts.createAccount(id: "bank", currency: "USD")
      let alice = try await client.accounts.createAccount(id: "alice", currency: "USD", noOverdraft: true, label: "Alice")
      #expect(bank.accountID == "bank" && bank.status == .open)
      #expect(alice.noOverdraft && alice.label == "Alice")

      let transfer = try await client.transfers.createTransfer(
        id: "t-1", debit: "bank", credit: "alice", amount: 1_250, currency: "USD", reference: "invoice 1042")
      #expect(transfer.amount == 1_250 && transfer.reference == "invoice 1042" && transfer.sequence >= 1)
      // The idempotency key: resending returns the original transfer.
      #expect(
        try await client.transfers.createTransfer(
          id: "t-1", debit: "bank", credit: "alice", amount: 1_250, currency: "USD", reference: "invoice 1042")
          == transfer)
      #expect(try await client.transfers.getTransfer(id: "t-1") == transfer)
      #expect(try await client.accounts.getAccount(id: "alice").balance == 1_250)
      #expect(try await client.accounts.getAccount(id: "bank").balance == -1_250)
    }
  }

  @Test func transferSessionAndWatchThroughTheGeneratedClient() async throws {
    try await LedgerServer.with { client, _ in
      _ = try await client.accounts.createAccount(id: "a", currency: "EUR")
      _ = try await client.accounts.createAccount(id: "b", currency: "EUR")
      let results = try await client.transfers.transferSession { writer in
        for index in 1...3 {
          try await writer.write(.init(id: "s-\(index)", debit: "a", credit: "b", amount: Int64(index), currency: "EUR"))
        }
      } onResponse: { response in
        var results: [Ledger_V1_TransferResult] = []
        for try await result in response.messages { results.append(result) }
        return results
      }
      #expect(results.map(\.transferID) == ["s-1", "s-2", "s-3"])
      #expect(results.allSatisfy { $0.errorCode == .unspecified })

      let watched = LockedValue<[Int64]>([])
      try await client.transfers.watchAccount(id: "b") { transfer in
        watched.withLock { $0.append(transfer.amount) }
        return transfer.transferID != "s-3"
      }
      #expect(watched.withLock { $0 } == [1, 2, 3])
    }
  }

  @Test func callsAlternateBetweenTwoServers() async throws {
    let first = try await LedgerServer.start()
    let second = try await LedgerServer.start()
    let client = LedgerClient(endpoints: [first.endpoint, second.endpoint])
    let onlyFirst = LedgerClient(endpoints: [first.endpoint])
    let onlySecond = LedgerClient(endpoints: [second.endpoint])
    defer {
      client.close()
      onlyFirst.close()
      onlySecond.close()
    }
    do {
      for index in 0..<6 { _ = try await client.accounts.createAccount(id: "rr-\(index)", currency: "USD") }
      let onFirst = try await onlyFirst.accounts.listAccounts(Ledger_V1_ListAccountsRequest()).accounts.map(\.accountID)
      let onSecond = try await onlySecond.accounts.listAccounts(Ledger_V1_ListAccountsRequest()).accounts.map(\.accountID)
      // Round robin: every other call went to each server.
      #expect(Set([onFirst, onSecond]) == Set([["rr-0", "rr-2", "rr-4"], ["rr-1", "rr-3", "rr-5"]]))
    } catch {
      await first.stop()
      await second.stop()
      throw error
    }
    await first.stop()
    await second.stop()
  }
}
