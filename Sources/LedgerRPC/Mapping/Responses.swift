import LedgerAPI
import LedgerApplication
import LedgerDomain

// Response messages built from entities, one factory per message: the only place that knows
// how a domain value looks on the wire.

extension Ledger_V1_Account {
  /// The wire form of `account`, with its derived balance.
  init(_ account: Account) {
    self.init()
    accountID = account.id.rawValue
    currency = account.currency.code
    debitsPosted = account.debitsPosted
    creditsPosted = account.creditsPosted
    balance = account.balance
    noOverdraft = account.noOverdraft
    status = Ledger_V1_AccountStatus(account.status)
    version = account.version
    createdAtUnixNanos = account.createdAt.nanosecondsSinceEpoch
    label = account.label
  }
}

extension Ledger_V1_AccountStatus {
  /// The wire form of a status; never `.unspecified`, which only means "any" in filters.
  init(_ status: AccountStatus) {
    switch status {
    case .open: self = .open
    case .closed: self = .closed
    }
  }
}

extension Ledger_V1_Transfer {
  /// The wire form of a committed transfer.
  init(_ transfer: Transfer) {
    self.init()
    transferID = transfer.id.rawValue
    debitAccountID = transfer.debitAccountID.rawValue
    creditAccountID = transfer.creditAccountID.rawValue
    amount = transfer.amount.minorUnits
    currency = transfer.currency.code
    reference = transfer.reference
    createdAtUnixNanos = transfer.createdAt.nanosecondsSinceEpoch
    sequence = transfer.sequence
  }
}

extension Ledger_V1_TransferResult {
  /// One item's outcome: the transfer when it was created or already existed, else the error's
  /// code (from ``ErrorMapping``'s table) and message.
  init(_ result: TransferResult) {
    self.init()
    transferID = result.transferID
    switch result.outcome {
    case .created(let transfer), .alreadyExisted(let transfer):
      self.transfer = Ledger_V1_Transfer(transfer)
    case .failed(let error):
      errorCode = ErrorMapping.entry(for: error.errorCode).wireCode
      errorMessage = error.message
    }
  }
}

extension Ledger_V1_CreateAccountResponse {
  /// The account as created (or as stored, for a retry).
  init(_ account: Account) {
    self.init()
    self.account = Ledger_V1_Account(account)
  }
}

extension Ledger_V1_GetAccountResponse {
  /// The account read.
  init(_ account: Account) {
    self.init()
    self.account = Ledger_V1_Account(account)
  }
}

extension Ledger_V1_CloseAccountResponse {
  /// The account, now closed.
  init(_ account: Account) {
    self.init()
    self.account = Ledger_V1_Account(account)
  }
}

extension Ledger_V1_ListAccountsResponse {
  /// One page of accounts and the token of the next.
  init(_ page: AccountPage) {
    self.init()
    accounts = page.accounts.map(Ledger_V1_Account.init)
    nextPageToken = page.nextPageToken
  }
}

extension Ledger_V1_CreateTransferResponse {
  /// The committed transfer (the original one, for a retry).
  init(_ transfer: Transfer) {
    self.init()
    self.transfer = Ledger_V1_Transfer(transfer)
  }
}

extension Ledger_V1_CreateTransfersResponse {
  /// One result per item of the batch, in request order.
  init(_ results: [TransferResult]) {
    self.init()
    self.results = results.map(Ledger_V1_TransferResult.init)
  }
}

extension Ledger_V1_GetTransferResponse {
  /// The transfer read.
  init(_ transfer: Transfer) {
    self.init()
    self.transfer = Ledger_V1_Transfer(transfer)
  }
}

extension Ledger_V1_ListTransfersResponse {
  /// One page of transfers and the token of the next.
  init(_ page: TransferPage) {
    self.init()
    transfers = page.transfers.map(Ledger_V1_Transfer.init)
    nextPageToken = page.nextPageToken
  }
}

extension Ledger_V1_WatchAccountResponse {
  /// One transfer of the watched account.
  init(_ transfer: Transfer) {
    self.init()
    self.transfer = Ledger_V1_Transfer(transfer)
  }
}

extension Ledger_V1_ImportTransfersResponse {
  /// An import's summary, with its first failures.
  init(_ summary: ImportSummary) {
    self.init()
    received = summary.received
    created = summary.created
    alreadyExisted = summary.alreadyExisted
    failed = summary.failed
    firstFailures = summary.firstFailures.map(Ledger_V1_TransferResult.init)
  }
}
