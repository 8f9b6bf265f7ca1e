import LedgerAPI
import Testing

/// Reads the whole ledger back through the API and checks the invariants that must hold
/// always: per currency the balances sum to zero, no no-overdraft account is negative, and
/// every account's posted totals equal the sum of the transfers listed for it.
struct LedgerAudit {
  /// Every account, by id.
  var accounts: [String: Ledger_V1_Account] = [:]
  /// Every stored transfer, by id (each is listed by both of its accounts; kept once).
  var transfers: [String: Ledger_V1_Transfer] = [:]

  /// Reads every account (ListAccounts, page by page) and every account's transfers.
  static func read(
    accounts accountsClient: Ledger_V1_Accounts.Client, transfers transfersClient: Ledger_V1_Transfers.Client
  ) async throws -> LedgerAudit {
    var audit = LedgerAudit()
    var request = Ledger_V1_ListAccountsRequest()
    request.pageSize = 1_000
    repeat {
      let page = try await accountsClient.listAccounts(request)
      for account in page.accounts { audit.accounts[account.accountID] = account }
      request.pageToken = page.nextPageToken
    } while !request.pageToken.isEmpty
    for id in audit.accounts.keys {
      for transfer in try await LedgerFixture.allTransfers(of: id, client: transfersClient) {
        audit.transfers[transfer.transferID] = transfer
      }
    }
    return audit
  }

  /// Records an issue for every broken invariant.
  func checkInvariants(sourceLocation: SourceLocation = #_sourceLocation) {
    var sums: [String: Int64] = [:]
    for account in accounts.values {
      sums[account.currency, default: 0] += account.balance
      #expect(account.balance == account.creditsPosted - account.debitsPosted, sourceLocation: sourceLocation)
      if account.noOverdraft {
        #expect(account.balance >= 0, "\(account.accountID) is negative", sourceLocation: sourceLocation)
      }
    }
    for (currency, sum) in sums {
      #expect(sum == 0, "balances of \(currency) sum to \(sum)", sourceLocation: sourceLocation)
    }
    var debits: [String: Int64] = [:]
    var credits: [String: Int64] = [:]
    for transfer in transfers.values {
      debits[transfer.debitAccountID, default: 0] += transfer.amount
      credits[transfer.creditAccountID, default: 0] += transfer.amount
    }
    for account in accounts.values {
      #expect(
        account.debitsPosted == debits[account.accountID, default: 0]
          && account.creditsPosted == credits[account.accountID, default: 0],
        "\(account.accountID): posted totals disagree with its transfers", sourceLocation: sourceLocation)
    }
    let sequences = transfers.values.map(\.sequence)
    #expect(Set(sequences).count == sequences.count, "sequences repeat", sourceLocation: sourceLocation)
  }
}
