public import CourierCore
import LedgerDomain

/// Applies ``ErrorMapping`` to every call: the one place where errors become statuses.
///
/// - `LedgerError` → its table status, its message, and `ledger-error-code` in the trailers.
/// - `RPCError` passes through (the framework's own: a malformed request, a call that ended);
///   an INVALID_ARGUMENT one gets `ledger-error-code: INVALID_ARGUMENT` too, so that every
///   invalid request carries a code, whichever layer caught it.
/// - Cancellation passes through (the transport reports CANCELLED or DEADLINE_EXCEEDED).
/// - Anything else (`StorageError`, a bug) → INTERNAL "internal error (correlation id X)" on the
///   wire, and the detail in an error log line with the same correlation id.
public struct ErrorMappingInterceptor: ServerInterceptor {
  private let logger: Logger
  private let correlationIDs: CorrelationIDGenerator

  /// An interceptor logging unexpected errors through `logger`. `correlationIDs` names a call
  /// only if no ``LoggingInterceptor`` outside this one has named it already.
  public init(logger: Logger, correlationIDs: CorrelationIDGenerator = CorrelationIDGenerator()) {
    self.logger = logger
    self.correlationIDs = correlationIDs
  }

  /// Runs the call and rethrows what it throws as an `RPCError`.
  public func intercept<Output: Sendable>(
    context: ServerContext, next: @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output {
    do {
      return try await next(context)
    } catch let error as LedgerError {
      throw ErrorMapping.rpcError(for: error)
    } catch var error as RPCError {
      if error.code == .invalidArgument && error.metadata[ErrorMapping.errorCodeKey].isEmpty {
        error.metadata.addString(LedgerErrorCode.invalidArgument.rawValue, forKey: ErrorMapping.errorCodeKey)
      }
      throw error
    } catch let error as CancellationError {
      throw error
    } catch {
      let correlationID = CorrelationID.current ?? correlationIDs.next()
      logger.log(
        .error, "unexpected error",
        [
          "correlation_id": .string(correlationID), "method": .string(context.descriptor.path),
          "error": .string(String(describing: error)), "error_type": .string(String(reflecting: type(of: error))),
        ])
      throw ErrorMapping.internalError(correlationID: correlationID)
    }
  }
}
