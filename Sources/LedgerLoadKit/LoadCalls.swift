import LedgerClient

/// Makes one call of the mix and records it.
struct LoadCalls: Sendable {
  let workload: LoadWorkload
  let recorder: LoadRecorder
  let options: CallOptions

  /// Draws an operation from the mix, makes the call, and records its outcome with latency
  /// measured from `intended`. `callID` (unique in the run) names the account a CreateAccount
  /// opens; transfers get the SDK's time-ordered ids (`LedgerClient.newTransferID`).
  func perform(
    _ clients: LedgerClients, callID: String, intended: ContinuousClock.Instant,
    using generator: inout some RandomNumberGenerator
  ) async {
    let operation = workload.mix.operation(forRoll: .random(in: 0..<workload.mix.total, using: &generator))
    let roll = Int.random(in: 0..<Int(Int32.max), using: &generator)
    do {
      switch operation {
      case .createAccount:
        var request = Ledger_V1_CreateAccountRequest()
        request.accountID = callID
        request.currency = workload.currency
        request.noOverdraft = roll % 2 == 0
        _ = try await clients.accounts.createAccount(request, options: options)
        recorder.record(operation, intended: intended, failure: nil)
      case .transfer:
        // Time-ordered, as the SDK advises (a counter's decimal ids would insert all over the index).
        let request = workload.transferRequest(id: LedgerClient.newTransferID(using: &generator), using: &generator)
        let response = try await clients.transfers.createTransfer(request, options: options)
        recorder.record(
          operation, intended: intended, failure: nil, acknowledged: (response.transfer.transferID, response.transfer.amount))
      case .read:
        if roll % 2 == 0, let transferID = recorder.recentTransferID(roll / 2) {
          var request = Ledger_V1_GetTransferRequest()
          request.transferID = transferID
          _ = try await clients.transfers.getTransfer(request, options: options)
        } else {
          var request = Ledger_V1_GetAccountRequest()
          request.accountID = workload.accountIDs[roll % workload.accountIDs.count]
          _ = try await clients.accounts.getAccount(request, options: options)
        }
        recorder.record(operation, intended: intended, failure: nil)
      case .list:
        if roll % 2 == 0 {
          var request = Ledger_V1_ListAccountsRequest()
          request.pageSize = 50
          request.currency = workload.currency
          _ = try await clients.accounts.listAccounts(request, options: options)
        } else {
          var request = Ledger_V1_ListTransfersRequest()
          request.accountID = workload.accountIDs[roll % workload.accountIDs.count]
          request.pageSize = 50
          _ = try await clients.transfers.listTransfers(request, options: options)
        }
        recorder.record(operation, intended: intended, failure: nil)
      }
    } catch {
      recorder.record(operation, intended: intended, failure: failureName(error))
    }
  }
}
