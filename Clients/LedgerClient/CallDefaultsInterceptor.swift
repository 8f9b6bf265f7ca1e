import Synchronization

/// Applies a ``LedgerClient/Configuration``'s per-call defaults: the timeout, the correlation
/// id, the authorization token and the fixed metadata. Whatever the call set itself wins.
///
/// It runs once per call, outside the channel's retry loop, so every attempt of a call carries
/// the same correlation id and token.
struct CallDefaultsInterceptor: ClientInterceptor {
  let defaultTimeout: Duration?
  let defaultStreamingTimeout: Duration?
  let correlationIDs: ClientCorrelationIDGenerator?
  let authorizationTokenProvider: (@Sendable () async throws -> String?)?
  let defaultMetadata: Metadata

  init(configuration: LedgerClient.Configuration) {
    defaultTimeout = configuration.defaultTimeout
    defaultStreamingTimeout = configuration.defaultStreamingTimeout
    correlationIDs = configuration.generatesCorrelationIDs ? ClientCorrelationIDGenerator() : nil
    authorizationTokenProvider = configuration.authorizationTokenProvider
    defaultMetadata = configuration.defaultMetadata
  }

  func intercept<Output: Sendable>(
    call: ClientCallContext, next: @Sendable (ClientCallContext) async throws -> Output
  ) async throws -> Output {
    var call = call
    if call.options.timeout == nil {
      switch call.descriptor.kind {
      case .unary, .clientStreaming: call.options.timeout = defaultTimeout
      case .serverStreaming, .bidirectionalStreaming: call.options.timeout = defaultStreamingTimeout
      }
    }
    for entry in defaultMetadata where call.metadata[entry.key].isEmpty {
      call.metadata.append(entry)
    }
    if let correlationIDs, call.metadata[LedgerMetadataKeys.correlationID].isEmpty {
      call.metadata.addString(correlationIDs.next(), forKey: LedgerMetadataKeys.correlationID)
    }
    if let authorizationTokenProvider {
      try await BearerTokenInterceptor.attachToken(from: authorizationTokenProvider, to: &call.metadata)
    }
    return try await next(call)
  }
}

/// Correlation ids for calls that bring none: a random per-client prefix and a counter, e.g.
/// `c-9f1c07a2e4b3-1a`, valid for the server (at most 64 characters of `a-z 0-9 -`).
final class ClientCorrelationIDGenerator: Sendable {
  private let prefix: String
  private let counter = Atomic<UInt64>(0)

  init() {
    var random = SystemRandomNumberGenerator()
    let hex = String(random.next() & 0xFFFF_FFFF_FFFF, radix: 16)
    prefix = "c-" + String(repeating: "0", count: 12 - hex.count) + hex
  }

  /// The next id.
  func next() -> String {
    "\(prefix)-\(String(counter.add(1, ordering: .relaxed).newValue, radix: 16))"
  }
}
