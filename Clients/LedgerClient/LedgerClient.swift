/// A connection to the Ledger service: one `CourierChannel` over one or more servers (calls go
/// round-robin across them) and the generated clients that use it.
///
/// ```swift
/// let client = try LedgerClient(targets: ["127.0.0.1:7070"])
/// defer { client.close() }
/// let account = try await client.accounts.createAccount(id: "alice", currency: "USD")
/// ```
///
/// Every call goes through ``Configuration``'s defaults first: a timeout when the call sets
/// none, an `x-correlation-id`, the `authorization` token and any fixed metadata. Create one
/// client per process (or per set of servers) and share it: calls are multiplexed over one
/// connection per endpoint.
public final class LedgerClient: Sendable {
  /// The endpoints calls are balanced across, in order.
  public let endpoints: [Endpoint]
  /// The settings it was created with.
  public let configuration: Configuration
  /// The channel under the generated clients, for calls this type has no shortcut for.
  public let channel: CourierChannel
  /// `ledger.v1.Accounts`: open, read, list and close accounts.
  public let accounts: Ledger_V1_Accounts.Client
  /// `ledger.v1.Transfers`: move money, read it back, watch it, stream it.
  public let transfers: Ledger_V1_Transfers.Client
  /// The standard `grpc.health.v1.Health` service.
  public let health: Grpc_Health_V1_Health.Client

  /// A client of the servers at `endpoints`; nothing connects until the first call.
  ///
  /// `endpoints` must not be empty (a programmer error: it traps).
  public init(endpoints: [Endpoint], configuration: Configuration = Configuration()) {
    precondition(!endpoints.isEmpty, "a LedgerClient needs at least one endpoint")
    self.endpoints = endpoints
    self.configuration = configuration
    let defaults = CallDefaultsInterceptor(configuration: configuration)
    channel = CourierChannel(
      configuration: CourierChannel.Configuration(
        endpoints: endpoints, limits: configuration.limits, connectTimeout: configuration.connectTimeout,
        reconnectBackoff: configuration.reconnectBackoff, retry: configuration.retry,
        interceptors: [defaults] + configuration.interceptors))
    accounts = Ledger_V1_Accounts.Client(wrapping: channel)
    transfers = Ledger_V1_Transfers.Client(wrapping: channel)
    health = Grpc_Health_V1_Health.Client(wrapping: channel)
  }

  /// A client of the servers named `"host:port"` in `targets` (e.g. from `--target` flags).
  ///
  /// - Throws: ``TargetError`` when `targets` is empty or one of them is not `host:port` with a
  ///   port in 1...65535.
  public convenience init(targets: [String], configuration: Configuration = Configuration()) throws(TargetError) {
    guard !targets.isEmpty else { throw .empty }
    var endpoints: [Endpoint] = []
    for target in targets {
      guard let endpoint = Endpoint(target) else { throw .malformed(target) }
      endpoints.append(endpoint)
    }
    self.init(endpoints: endpoints, configuration: configuration)
  }

  /// Closes every connection. Calls in flight and later calls fail with UNAVAILABLE.
  public func close() {
    channel.close()
  }

  /// A list of targets that cannot name servers.
  public enum TargetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No target was given.
    case empty
    /// This target is not `host:port` with a port in 1...65535.
    case malformed(String)

    /// What is wrong, for a usage message.
    public var description: String {
      switch self {
      case .empty: "no target given: expected at least one host:port"
      case .malformed(let target): "'\(target)' is not host:port (port 1-65535)"
      }
    }
  }
}
