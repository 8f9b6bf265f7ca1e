import LedgerClient

/// Checks the ledger's invariants through the public API after a run:
/// 1. per currency, the balances of all accounts sum to zero (double entry);
/// 2. no no-overdraft account has a negative balance;
/// 3. every transfer the server acknowledged can be read back, with its amount: all of them,
///    by listing the transfers of each of the run's accounts (every run transfer moves money
///    between two of them), when the run has at most `listedAccountsMax` accounts; otherwise a
///    random sample read one by one with GetTransfer.
struct InvariantCheck: Sendable {
  static let listedAccountsMax = 1_000
  static let pageSize: Int32 = 1_000
  /// Listing stops here, so a huge ledger cannot make the check run forever.
  static let accountsListedMax = 10_000_000
  static let violationsListedMax = 100
  static let readersCount = 8

  let clients: LedgerClients
  let options: CallOptions

  /// Runs the three checks; a failing call ends the check with `checkError` set.
  func run(
    acknowledged: [String: Int64], acknowledgedCount: Int, accountIDs: [String], verifyMax: Int
  ) async -> InvariantReport {
    var report = InvariantReport()
    report.transfersAcknowledged = acknowledgedCount
    do {
      try await checkBalances(&report)
      if accountIDs.count <= Self.listedAccountsMax {
        try await checkTransfersByListing(&report, acknowledged: acknowledged, accountIDs: accountIDs)
      } else {
        try await checkTransfers(&report, acknowledged: acknowledged, verifyMax: verifyMax)
      }
    } catch {
      report.checkError = "the check could not finish: \(error)"
    }
    return report
  }

  private func checkBalances(_ report: inout InvariantReport) async throws {
    var request = Ledger_V1_ListAccountsRequest()
    request.pageSize = Self.pageSize
    var overflowed: Set<String> = []
    repeat {
      let page = try await clients.accounts.listAccounts(request, options: options)
      for account in page.accounts {
        report.accountsListed += 1
        let (sum, overflow) = report.balanceSums[account.currency, default: 0].addingReportingOverflow(account.balance)
        report.balanceSums[account.currency] = sum
        if overflow { overflowed.insert(account.currency) }
        if account.noOverdraft && account.balance < 0 {
          add("no-overdraft account \(account.accountID) has balance \(account.balance)", to: &report)
        }
      }
      request.pageToken = page.nextPageToken
    } while !request.pageToken.isEmpty && report.accountsListed < Self.accountsListedMax
    for (currency, sum) in report.balanceSums.sorted(by: { $0.key < $1.key }) where sum != 0 || overflowed.contains(currency) {
      add("\(currency) balances sum to \(sum)\(overflowed.contains(currency) ? " (overflowed)" : ""), not 0", to: &report)
    }
  }

  /// Lists every transfer of the run's accounts and finds each acknowledged one among them.
  private func checkTransfersByListing(
    _ report: inout InvariantReport, acknowledged: [String: Int64], accountIDs: [String]
  ) async throws {
    var listed: [String: Int64] = [:]
    listed.reserveCapacity(acknowledged.count)
    for accountID in accountIDs {
      var request = Ledger_V1_ListTransfersRequest()
      request.accountID = accountID
      request.pageSize = Self.pageSize
      repeat {
        let page = try await clients.transfers.listTransfers(request, options: options)
        for transfer in page.transfers where acknowledged[transfer.transferID] != nil {
          listed[transfer.transferID] = transfer.amount
        }
        request.pageToken = page.nextPageToken
      } while !request.pageToken.isEmpty
    }
    for (id, amount) in acknowledged.sorted(by: { $0.key < $1.key }) {
      guard let found = listed[id] else {
        add("acknowledged transfer \(id) is missing", to: &report)
        continue
      }
      if found != amount { add("acknowledged transfer \(id) has amount \(found), not \(amount)", to: &report) }
    }
    report.transfersVerified = acknowledged.count
  }

  private func checkTransfers(_ report: inout InvariantReport, acknowledged: [String: Int64], verifyMax: Int) async throws {
    let sample = Array(acknowledged.shuffled().prefix(verifyMax))
    let found = try await withThrowingTaskGroup(of: [String].self) { group in
      for reader in 0..<Self.readersCount {
        group.addTask { [clients, options] in
          var problems: [String] = []
          for index in stride(from: reader, to: sample.count, by: Self.readersCount) {
            let (id, amount) = sample[index]
            var request = Ledger_V1_GetTransferRequest()
            request.transferID = id
            do {
              let transfer = try await clients.transfers.getTransfer(request, options: options).transfer
              if transfer.amount != amount {
                problems.append("acknowledged transfer \(id) has amount \(transfer.amount), not \(amount)")
              }
            } catch let error as RPCError where error.code == .notFound {
              problems.append("acknowledged transfer \(id) is missing")
            }
          }
          return problems
        }
      }
      var all: [String] = []
      for try await problems in group { all += problems }
      return all
    }
    report.transfersVerified = sample.count
    for problem in found { add(problem, to: &report) }
  }

  private func add(_ violation: String, to report: inout InvariantReport) {
    if report.violations.count < Self.violationsListedMax {
      report.violations.append(violation)
    } else if report.violations.count == Self.violationsListedMax {
      report.violations.append("… more violations not listed")
    }
  }
}
