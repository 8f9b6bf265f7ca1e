import LedgerDomain

/// Opens, reads, lists and closes accounts. Each call is one transaction of the unit of work.
public struct AccountService: Sendable {
  private let unitOfWork: any UnitOfWork
  private let clock: any LedgerClock
  private let idGenerator: any AccountIDGenerator

  /// Generated ids are tried this many times before giving up: with 16 random characters a
  /// single collision is already far-fetched, so failing here means a broken generator.
  static let generatedIDAttemptsMax = 8

  /// A service over `unitOfWork`, stamping new accounts with `clock` and naming accounts that
  /// come without an id with `idGenerator`.
  public init(unitOfWork: any UnitOfWork, clock: any LedgerClock, idGenerator: any AccountIDGenerator) {
    self.unitOfWork = unitOfWork
    self.clock = clock
    self.idGenerator = idGenerator
  }

  /// Opens an account.
  ///
  /// With a caller-chosen id, retrying is safe: if the id exists with the same currency,
  /// no-overdraft flag and label, the stored account is returned as it is now (its totals and
  /// status may have moved since). Without an id, a fresh one is generated.
  /// - Throws: `LedgerError.accountIDConflict` when the id exists with other fields;
  ///   `StorageError` from the store.
  public func create(_ request: NewAccount) async throws -> Account {
    let createdAt = clock.now()
    let idGenerator = self.idGenerator
    return try await unitOfWork.write { context in
      if let id = request.id {
        if let existing = try context.accounts.accounts(withIDs: [id])[id] {
          guard request.matches(existing) else { throw LedgerError.accountIDConflict(id) }
          return existing
        }
        let account = request.account(id: id, createdAt: createdAt)
        try context.accounts.insert(account)
        return account
      }
      for _ in 0..<Self.generatedIDAttemptsMax {
        let id = idGenerator.newAccountID()
        guard try context.accounts.accounts(withIDs: [id]).isEmpty else { continue }
        let account = request.account(id: id, createdAt: createdAt)
        try context.accounts.insert(account)
        return account
      }
      throw StorageError("\(Self.generatedIDAttemptsMax) generated account ids in a row were already taken")
    }
  }

  /// The account with `id`.
  /// - Throws: `LedgerError.accountNotFound`; `StorageError`.
  public func get(_ id: AccountID) async throws -> Account {
    try await unitOfWork.read { context in
      guard let account = try context.accounts.accounts(withIDs: [id])[id] else { throw LedgerError.accountNotFound(id) }
      return account
    }
  }

  /// Closes the account with `id`; a closed account takes no transfer. Closing a closed account
  /// returns it unchanged.
  ///
  /// Runs as a write transaction, so it is serialized with the transfer commits: no transfer can
  /// slip in between the balance check and the close.
  /// - Throws: `LedgerError.accountNotFound`, `LedgerError.accountBalanceNotZero`; `StorageError`.
  public func close(_ id: AccountID) async throws -> Account {
    try await unitOfWork.write { context in
      guard let account = try context.accounts.accounts(withIDs: [id])[id] else { throw LedgerError.accountNotFound(id) }
      let closed = try account.closed()
      if closed != account { try context.accounts.update([closed]) }
      return closed
    }
  }

  /// One page of accounts in id order, optionally filtered by currency and status.
  /// - Throws: `LedgerError.invalidArgument` for a page size outside `0...1000` (field
  ///   `page_size`) or a token this list did not issue (field `page_token`); `StorageError`.
  public func list(_ request: AccountListRequest) async throws -> AccountPage {
    let pageSize = try PageSize.resolve(request.pageSize)
    let afterID = try PageToken.accountCursor(request.pageToken)
    // One more than the page tells whether a next page exists without a second query.
    let query = AccountQuery(afterID: afterID, limit: pageSize + 1, currency: request.currency, status: request.status)
    let found = try await unitOfWork.read { context in try context.accounts.list(query) }
    guard found.count > pageSize else { return AccountPage(accounts: found, nextPageToken: "") }
    let page = Array(found.prefix(pageSize))
    return AccountPage(accounts: page, nextPageToken: PageToken.accounts(after: page[page.count - 1].id))
  }
}

/// What ``AccountService/list(_:)`` should return.
public struct AccountListRequest: Sendable, Hashable {
  /// Accounts per page, 1 to 1000; 0 means 100.
  public var pageSize: Int
  /// A previous page's ``AccountPage/nextPageToken``; empty for the first page.
  public var pageToken: String
  /// Only accounts of this currency, if set.
  public var currency: Currency?
  /// Only accounts with this status, if set.
  public var status: AccountStatus?

  /// A request for one page.
  public init(pageSize: Int = 0, pageToken: String = "", currency: Currency? = nil, status: AccountStatus? = nil) {
    self.pageSize = pageSize
    self.pageToken = pageToken
    self.currency = currency
    self.status = status
  }
}

/// One page of accounts.
public struct AccountPage: Sendable, Hashable {
  /// The accounts, in id order.
  public let accounts: [Account]
  /// Pass it back for the next page; empty on the last page.
  public let nextPageToken: String

  /// A page of `accounts`, followed by the page `nextPageToken` names.
  public init(accounts: [Account], nextPageToken: String) {
    self.accounts = accounts
    self.nextPageToken = nextPageToken
  }
}
