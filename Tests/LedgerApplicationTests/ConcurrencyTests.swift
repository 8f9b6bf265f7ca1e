@testable import LedgerApplication
import LedgerDomain
import Testing

@Suite struct ConcurrencyTests {
  /// 32 tasks move money at random among 10 accounts in two currencies, with single transfers,
  /// retries and linked batches. Afterwards every ledger invariant holds and what was
  /// acknowledged is exactly what is stored.
  @Test func invariantsHoldUnderConcurrentRandomTransfers() async throws {
    let ledger = TestLedger()
    let accounts: [(id: String, currency: Currency, noOverdraft: Bool)] = [
      ("bank-usd", .usd, false), ("bank-eur", .eur, false),
      ("u1", .usd, true), ("u2", .usd, true), ("u3", .usd, true), ("u4", .usd, false), ("u5", .usd, true),
      ("e1", .eur, true), ("e2", .eur, true), ("e3", .eur, false),
    ]
    for account in accounts { try await ledger.open(account.id, account.currency, noOverdraft: account.noOverdraft) }
    // Fund the no-overdraft accounts from their bank.
    for account in accounts where account.noOverdraft {
      let bank = account.currency == .usd ? "bank-usd" : "bank-eur"
      _ = try await ledger.transfers.create(request("fund-\(account.id)", bank, account.id, 500, account.currency.code))
    }

    let tasks = 32
    let operationsPerTask = 40
    let acknowledged = try await withThrowingTaskGroup(of: [Transfer].self) { group in
      for task in 0..<tasks {
        group.addTask {
          var random = SplitMix64(seed: UInt64(task) &* 7_919 &+ 1)
          var created: [Transfer] = []
          for operation in 0..<operationsPerTask {
            let id = "c\(task)-\(operation)"
            let debit = accounts.randomElement(using: &random)!
            let credit = accounts.randomElement(using: &random)!
            let amount = Int64.random(in: 1...120, using: &random)
            let currency = Bool.random(using: &random) ? debit.currency.code : credit.currency.code
            if operation % 10 == 9 {
              let second = accounts.randomElement(using: &random)!
              let results = try await ledger.transfers.createLinked([
                request(id + "a", debit.id, credit.id, amount, currency),
                request(id + "b", credit.id, second.id, amount, currency),
              ])
              created += results.compactMap { if case .created(let t) = $0.outcome { t } else { nil } }
              continue
            }
            let outcome = try await ledger.transfers.submit(request(id, debit.id, credit.id, amount, currency))
            if case .created(let transfer) = outcome { created.append(transfer) }
            if operation % 7 == 3 {
              let retry = try await ledger.transfers.submit(request(id, debit.id, credit.id, amount, currency))
              switch (outcome, retry) {
              case (.created(let original), _):
                // A retry of a committed transfer never applies it twice.
                #expect(retry == .alreadyExisted(original))
              case (.failed, .created(let transfer)):
                // A failed transfer left no trace, so its retry may succeed now (funds arrived).
                created.append(transfer)
              default:
                break
              }
            }
          }
          return created
        }
      }
      var all: [Transfer] = []
      for try await created in group { all += created }
      return all
    }

    let stored = try await ledger.storedTransfers().filter { !$0.id.rawValue.hasPrefix("fund-") }
    #expect(Set(stored) == Set(acknowledged))
    #expect(stored.count == acknowledged.count)
    #expect(!stored.isEmpty)
    let funded = accounts.filter(\.noOverdraft).count
    #expect(stored.map(\.sequence) == Array(Int64(funded + 1)...Int64(funded + stored.count)))

    let final = try await ledger.accounts.list(AccountListRequest(pageSize: 1_000)).accounts
    var sumByCurrency: [Currency: Int64] = [:]
    for account in final {
      sumByCurrency[account.currency, default: 0] += account.balance
      if account.noOverdraft { #expect(account.balance >= 0, "\(account.id) went negative") }
    }
    #expect(sumByCurrency == [.usd: 0, .eur: 0])

    // Each account's balance is what its own transfers say.
    let everything = try await ledger.storedTransfers()
    for account in final {
      let credits = everything.filter { $0.creditAccountID == account.id }.reduce(0) { $0 + $1.amount.minorUnits }
      let debits = everything.filter { $0.debitAccountID == account.id }.reduce(0) { $0 + $1.amount.minorUnits }
      #expect(account.creditsPosted == credits && account.debitsPosted == debits, "\(account.id)")
      #expect(account.version == 1 + Int64(everything.filter { $0.touches(account.id) }.count))
    }
  }
}
