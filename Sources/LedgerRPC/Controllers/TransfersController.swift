public import CourierCore
public import LedgerAPI
public import LedgerApplication
import LedgerDomain

/// Serves `ledger.v1.Transfers`: parses each request into a domain command, calls
/// ``TransferService``, and shapes the response from what it returns.
///
/// Thin on purpose: validation, idempotency, group commit and watching live in the service.
/// Errors are not caught here; ``ErrorMappingInterceptor`` turns them into statuses. Streamed
/// requests are handed to the service as a lazily mapped sequence, so an import or a session
/// reads the network only as fast as the service's pipeline window allows.
public struct TransfersController: Ledger_V1_Transfers.ServiceProtocol {
  private let service: TransferService

  /// A controller calling `service`.
  public init(service: TransferService) {
    self.service = service
  }

  /// Moves money; returns after the commit that holds the transfer (or the original, on retry).
  /// - Throws: `LedgerError` (any transfer failure); `StorageError`.
  public func createTransfer(
    request: Ledger_V1_CreateTransferRequest, context: ServerContext
  ) async throws -> Ledger_V1_CreateTransferResponse {
    let command = TransferRequest(request)
    return Ledger_V1_CreateTransferResponse(try await service.create(command))
  }

  /// Applies a linked batch, all or nothing, with one result per item.
  /// - Throws: `LedgerError.invalidArgument` (field `transfers`) for an empty or oversized batch;
  ///   `StorageError`. Item failures are results, not errors.
  public func createTransfers(
    request: Ledger_V1_CreateTransfersRequest, context: ServerContext
  ) async throws -> Ledger_V1_CreateTransfersResponse {
    let commands = request.transfers.map(TransferRequest.init)
    return Ledger_V1_CreateTransfersResponse(try await service.createLinked(commands))
  }

  /// Reads one transfer.
  /// - Throws: `LedgerError` (invalid argument, not found); `StorageError`.
  public func getTransfer(
    request: Ledger_V1_GetTransferRequest, context: ServerContext
  ) async throws -> Ledger_V1_GetTransferResponse {
    let id = try RequiredField.transferID(request.transferID)
    return Ledger_V1_GetTransferResponse(try await service.get(id))
  }

  /// One page of an account's transfers in commit order, optionally within a time range.
  /// - Throws: `LedgerError` (invalid argument, account not found); `StorageError`.
  public func listTransfers(
    request: Ledger_V1_ListTransfersRequest, context: ServerContext
  ) async throws -> Ledger_V1_ListTransfersResponse {
    let query = try TransferListRequest(request)
    return Ledger_V1_ListTransfersResponse(try await service.list(query))
  }

  /// Streams the account's stored transfers after `after_sequence`, then live ones, until the
  /// caller cancels (the service then returns normally and the call ends).
  /// - Throws: `LedgerError` (invalid argument, account not found); `StorageError`; the
  ///   writer's error when the call has ended.
  public func watchAccount(
    request: Ledger_V1_WatchAccountRequest, response: RPCWriter<Ledger_V1_WatchAccountResponse>,
    context: ServerContext
  ) async throws {
    let id = try RequiredField.accountID(request.accountID)
    try await service.watch(accountID: id, afterSequence: request.afterSequence) { transfer in
      try await response.write(Ledger_V1_WatchAccountResponse(transfer))
    }
  }

  /// Applies each streamed transfer on its own and answers with a summary at half-close.
  /// - Throws: what reading the request stream throws; `StorageError`.
  public func importTransfers(
    request: RPCAsyncSequence<Ledger_V1_CreateTransferRequest>, context: ServerContext
  ) async throws -> Ledger_V1_ImportTransfersResponse {
    let summary = try await service.importTransfers(request.map { TransferRequest($0) })
    return Ledger_V1_ImportTransfersResponse(summary)
  }

  /// One result per streamed transfer, in request order, while later ones are committing.
  /// - Throws: what reading the request stream or writing a result throws; `StorageError`.
  public func transferSession(
    request: RPCAsyncSequence<Ledger_V1_CreateTransferRequest>, response: RPCWriter<Ledger_V1_TransferResult>,
    context: ServerContext
  ) async throws {
    try await service.session(request.map { TransferRequest($0) }) { result in
      try await response.write(Ledger_V1_TransferResult(result))
    }
  }
}
