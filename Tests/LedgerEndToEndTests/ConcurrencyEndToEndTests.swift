import CourierCore
import CourierTransport
import LedgerAPI
import Testing

/// Many clients at once, each on its own connection: what group commit must get right.
@Suite("Concurrent clients over the network", .timeLimit(.minutes(3)))
struct ConcurrencyEndToEndTests {
  /// 32 clients move random amounts among 10 accounts (two currencies, half no-overdraft) for
  /// about 3 seconds; then the ledger is read back through the API.
  @Test func thirtyTwoClientsKeepEveryInvariant() async throws {
    try await LedgerFixture.with { ledger in
      let accountsByCurrency = [
        "USD": ["u0", "u1", "u2", "u3", "u4", "u5"],
        "EUR": ["e0", "e1", "e2", "e3"],
      ]
      for (currency, ids) in accountsByCurrency {
        for (index, id) in ids.enumerated() {
          // Even-indexed accounts may go negative and so fund the others.
          try await ledger.openAccount(id, currency: currency, noOverdraft: !index.isMultiple(of: 2))
        }
      }
      let clientCount = 32
      let deadline = ContinuousClock.now + .seconds(2)
      let port = ledger.stack.port
      let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
        for client in 0..<clientCount {
          group.addTask {
            let channel = CourierChannel(configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)]))
            defer { channel.close() }
            let transfers = Ledger_V1_Transfers.Client(wrapping: channel)
            var acknowledged: [String] = []
            var attempt = 0
            while ContinuousClock.now < deadline {
              attempt += 1
              let (currency, ids) = accountsByCurrency.randomElement()!
              let pair = ids.shuffled().prefix(2)
              let request = Ledger_V1_CreateTransferRequest.make(
                "c\(client)-\(attempt)", from: pair.first!, to: pair.last!, amount: .random(in: 1...1_000),
                currency: currency)
              do {
                let transfer = try await transfers.createTransfer(request).transfer
                #expect(transfer.transferID == request.transferID)
                acknowledged.append(transfer.transferID)
              } catch let error as RPCError
                where error.metadata.firstString(forKey: "ledger-error-code") == "INSUFFICIENT_FUNDS"
              {
                continue  // expected: a no-overdraft account ran dry
              }
            }
            return acknowledged
          }
        }
        var all: [String] = []
        for try await ids in group { all += ids }
        return all
      }
      #expect(acknowledged.count > 100, "too few transfers went through: \(acknowledged.count)")

      let audit = try await LedgerAudit.read(accounts: ledger.accounts, transfers: ledger.transfers)
      audit.checkInvariants()
      #expect(Set(audit.transfers.keys) == Set(acknowledged))
      #expect(audit.transfers.count == acknowledged.count)
    }
  }
}
