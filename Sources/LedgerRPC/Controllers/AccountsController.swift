public import CourierCore
public import LedgerAPI
public import LedgerApplication
import LedgerDomain

/// Serves `ledger.v1.Accounts`: parses each request into a domain command, calls
/// ``AccountService``, and shapes the response from the entity it returns.
///
/// Thin on purpose: the rules live in the service and the domain. Errors are not caught here;
/// ``ErrorMappingInterceptor`` (installed by the composition root) turns them into statuses.
public struct AccountsController: Ledger_V1_Accounts.ServiceProtocol {
  private let service: AccountService

  /// A controller calling `service`.
  public init(service: AccountService) {
    self.service = service
  }

  /// Opens an account; with an `account_id`, a retry with the same fields returns it.
  /// - Throws: `LedgerError` (invalid argument, unknown currency, id conflict); `StorageError`.
  public func createAccount(
    request: Ledger_V1_CreateAccountRequest, context: ServerContext
  ) async throws -> Ledger_V1_CreateAccountResponse {
    let command = try NewAccount(request)
    return Ledger_V1_CreateAccountResponse(try await service.create(command))
  }

  /// Reads one account.
  /// - Throws: `LedgerError` (invalid argument, not found); `StorageError`.
  public func getAccount(
    request: Ledger_V1_GetAccountRequest, context: ServerContext
  ) async throws -> Ledger_V1_GetAccountResponse {
    let id = try RequiredField.accountID(request.accountID)
    return Ledger_V1_GetAccountResponse(try await service.get(id))
  }

  /// Closes an account whose balance is zero; closing a closed account returns it unchanged.
  /// - Throws: `LedgerError` (invalid argument, not found, balance not zero); `StorageError`.
  public func closeAccount(
    request: Ledger_V1_CloseAccountRequest, context: ServerContext
  ) async throws -> Ledger_V1_CloseAccountResponse {
    let id = try RequiredField.accountID(request.accountID)
    return Ledger_V1_CloseAccountResponse(try await service.close(id))
  }

  /// One page of accounts in id order, optionally filtered by currency and status.
  /// - Throws: `LedgerError` (invalid page size, token, currency or status); `StorageError`.
  public func listAccounts(
    request: Ledger_V1_ListAccountsRequest, context: ServerContext
  ) async throws -> Ledger_V1_ListAccountsResponse {
    let query = try AccountListRequest(request)
    return Ledger_V1_ListAccountsResponse(try await service.list(query))
  }
}
