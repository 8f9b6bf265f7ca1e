public import CourierCore

/// Writes one structured line per call (method, status, duration, peer, correlation id) and
/// returns the correlation id to the caller in the trailing metadata.
///
/// Install it outermost, so it times the whole call and sees the status the caller sees
/// (after ``ErrorMappingInterceptor`` has mapped domain errors).
public struct LoggingInterceptor: ServerInterceptor {
  private let logger: Logger
  private let correlationIDs: CorrelationIDGenerator

  /// An interceptor logging through `logger` and naming calls with `correlationIDs`.
  public init(logger: Logger, correlationIDs: CorrelationIDGenerator = CorrelationIDGenerator()) {
    self.logger = logger
    self.correlationIDs = correlationIDs
  }

  /// Runs the call with its correlation id as ``CorrelationID/current`` and logs how it ended.
  public func intercept<Output: Sendable>(
    context: ServerContext, next: @Sendable (ServerContext) async throws -> Output
  ) async throws -> Output {
    let correlationID = correlationIDs.resolve(context.requestMetadata)
    context.response.trailing.addString(correlationID, forKey: CorrelationID.metadataKey)
    let start = ContinuousClock.now
    do {
      let output = try await CorrelationID.$current.withValue(correlationID) { try await next(context) }
      log(context, correlationID, start, status: .ok, error: nil)
      return output
    } catch {
      log(context, correlationID, start, status: Self.status(of: error), error: error)
      throw error
    }
  }

  private func log(
    _ context: ServerContext, _ correlationID: String, _ start: ContinuousClock.Instant, status: StatusCode,
    error: (any Error)?
  ) {
    // Server faults are errors; a caller's mistakes and refusals are normal operation.
    let level: LogLevel
    switch status {
    case .internal, .unknown, .dataLoss: level = .error
    default: level = .info
    }
    guard logger.isEnabled(level) else { return }
    let elapsed = (ContinuousClock.now - start).components
    let microseconds = elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
    let errorCode = (error as? RPCError)?.metadata.firstString(forKey: ErrorMapping.errorCodeKey) ?? ""
    logger.log(
      level, "call",
      [
        "correlation_id": .string(correlationID), "method": .string(context.descriptor.path),
        "status": .string(status.name), "error_code": .string(errorCode), "duration_us": .integer(microseconds),
        "peer": .string(context.peer),
      ])
  }

  private static func status(of error: any Error) -> StatusCode {
    switch error {
    case let error as RPCError: error.code
    case is CancellationError: .cancelled
    default: .unknown
    }
  }
}
