import CourierAuth
import CourierTransport
import CourierCore
import LedgerAPI
public import LedgerApplication
import LedgerInMemory
public import LedgerRPC
import LedgerSQLite

/// The running service: the one place that knows every concrete type and wires them.
///
/// `ledger-server`, `ledger-bench` and the end-to-end tests all start it through
/// ``start(_:logger:)``, so what the tests exercise is what production runs:
///
/// ```
/// SQLiteLedgerStore ─┬─ AccountService  ─ AccountsController  ─┐
///   (UnitOfWork)     └─ TransferService ─ TransfersController ─┼─ CourierServer
/// SystemClock, RandomAccountIDGenerator,      HealthService ───┘   [Logging, ErrorMapping]
/// InProcessTransferEventPublisher
/// ```
///
/// (`SystemClock` and `RandomAccountIDGenerator` live in `LedgerInMemory` next to the test
/// clocks; nothing else of that adapter is used here.)
public final class LedgerStack: Sendable {
  /// The configuration it was started with.
  public let configuration: LedgerServerConfiguration
  /// The port it listens on (the chosen one when configured with port 0).
  public let port: Int
  /// The health service, for callers that want to flip it (shutdown does).
  public let health: HealthService
  private let server: CourierServer
  private let closeStore: @Sendable () async -> Void
  private let logger: Logger

  private init(
    configuration: LedgerServerConfiguration, port: Int, health: HealthService, server: CourierServer,
    closeStore: @escaping @Sendable () async -> Void, logger: Logger
  ) {
    self.configuration = configuration
    self.port = port
    self.health = health
    self.server = server
    self.closeStore = closeStore
    self.logger = logger
  }

  /// Opens (or creates and migrates) the SQLite database, wires the services and starts
  /// listening. This is what `ledger-server` runs.
  ///
  /// Returns once the server accepts connections; it logs nothing itself, so the caller
  /// decides what "ready" looks like.
  /// - Throws: `LedgerStackError` when no authentication was chosen, `TokenKeyError` when the
  ///   key file is unusable, `StorageError` when the database cannot be opened; `SocketError`
  ///   when the address cannot be bound (the database is closed again first).
  public static func start(_ configuration: LedgerServerConfiguration, logger: Logger) async throws -> LedgerStack {
    var configuration = configuration
    if case .keyFile(let path) = configuration.authentication {
      // Read before the database opens, so a bad key file changes nothing.
      configuration.authentication = .keys(try TokenKeyRing.load(path: path))
    }
    let store = try await SQLiteLedgerStore.open(
      path: configuration.databasePath, configuration: configuration.storeConfiguration)
    return try await start(configuration, logger: logger, unitOfWork: store, closeStore: { await store.close() })
  }

  /// The same wiring over another store (``LedgerServerConfiguration/databasePath`` is then
  /// ignored): for tests that need a store to fail, and for adapters to come.
  /// - Parameter closeStore: called last by ``shutdown()``, or at once if starting fails.
  /// - Throws: `LedgerStackError`, `TokenKeyError` or `SocketError` as ``start(_:logger:)``;
  ///   `closeStore` has then been called.
  public static func start(
    _ configuration: LedgerServerConfiguration, logger: Logger, unitOfWork: any UnitOfWork,
    closeStore: @escaping @Sendable () async -> Void
  ) async throws -> LedgerStack {
    let authentication: [any ServerInterceptor]
    do {
      authentication = try authenticationInterceptors(configuration.authentication, logger: logger)
    } catch {
      await closeStore()
      throw error
    }
    let clock = SystemClock()
    let accounts = AccountService(unitOfWork: unitOfWork, clock: clock, idGenerator: RandomAccountIDGenerator())
    let transfers = TransferService(
      unitOfWork: unitOfWork, clock: clock, publisher: InProcessTransferEventPublisher())
    let health = HealthService(serviceNames: [
      Ledger_V1_Accounts.serviceName, Ledger_V1_Transfers.serviceName, Grpc_Health_V1_Health.serviceName,
    ])
    let correlationIDs = CorrelationIDGenerator()
    let server = CourierServer(
      configuration: .init(
        host: configuration.host, port: configuration.port,
        limits: TransportLimits(
          messageBytesMax: configuration.messageBytesMax, connectionsMax: configuration.connectionsMax,
          handshakeTimeout: configuration.handshakeTimeout, frameTimeout: configuration.frameTimeout),
        shutdownGracePeriod: configuration.shutdownGracePeriod,
        observer: observer(logger),
        interceptors: [
          // Outermost first: the log line sees the status after domain errors are mapped.
          LoggingInterceptor(logger: logger, correlationIDs: correlationIDs),
          ErrorMappingInterceptor(logger: logger, correlationIDs: correlationIDs),
        ] + authentication),
      services: [AccountsController(service: accounts), TransfersController(service: transfers), health])
    let port: Int
    do {
      port = try server.start()
    } catch {
      await closeStore()
      throw error
    }
    return LedgerStack(
      configuration: configuration, port: port, health: health, server: server, closeStore: closeStore,
      logger: logger)
  }

  /// Stops gracefully: health turns NOT_SERVING, the server stops accepting and lets calls in
  /// flight finish within the grace period (then cancels the rest), and the database is
  /// closed after the last write (WAL checkpointed). Returns when all of it is done.
  public func shutdown() async {
    health.beginShutdown()
    logger.log(.info, "shutting down", ["grace_seconds": .string(String(configuration.shutdownGraceSeconds))])
    await server.shutdown()
    await closeStore()
    logger.log(.info, "stopped")
  }

  /// The interceptor that checks every call's token against the keys, if authentication is on.
  /// The health service stays open: load balancers and orchestrators probe it without tokens.
  private static func authenticationInterceptors(
    _ authentication: Authentication?, logger: Logger
  ) throws -> [any ServerInterceptor] {
    let keys: TokenKeyRing
    switch authentication {
    case nil: throw LedgerStackError.authenticationNotConfigured
    case .disabled: return []
    case .keys(let ring): keys = ring
    case .keyFile(let path): keys = try TokenKeyRing.load(path: path)
    }
    // A client decides how many calls it sends with bad tokens: the lines are rate-limited.
    let limiter = LogRateLimiter(perSecond: logLinesPerSecondMax, burst: logLinesBurstMax)
    let interceptor = AuthenticationInterceptor(
      verifier: TokenVerifier(keys: keys), publicServices: [Grpc_Health_V1_Health.serviceName]
    ) { context, failure in
      logger.log(
        .warning, "call rejected",
        [
          "method": .string(context.descriptor.path), "peer": .string(context.peer),
          "reason": .string(failure.description),
        ], limitedBy: limiter)
    }
    return [interceptor]
  }

  /// What the transport reports off the wire goes to the log.
  private static func observer(_ logger: Logger) -> ServerObserver {
    // Any client can break the protocol on purpose, as often as it can connect.
    let limiter = LogRateLimiter(perSecond: logLinesPerSecondMax, burst: logLinesBurstMax)
    return ServerObserver(
      handlerFailed: { descriptor, error in
        logger.log(
          .error, "handler failed", ["method": .string(descriptor.path), "error": .string(String(describing: error))])
      },
      connectionError: { reason, peer in
        logger.log(.warning, "connection error", ["reason": .string(reason), "peer": .string(peer)], limitedBy: limiter)
      })
  }

  /// The most lines per second, on average, of each kind whose number clients control
  /// ("call rejected", "connection error"); the rest are counted in the next line's
  /// `suppressed` field.
  static let logLinesPerSecondMax = 20.0
  /// How many such lines may come at once after a quiet period.
  static let logLinesBurstMax = 100
}

/// A configuration ``LedgerStack`` cannot start with.
public enum LedgerStackError: Error, Sendable, Hashable, CustomStringConvertible {
  /// ``LedgerServerConfiguration/authentication`` is unset: choose keys, or disable
  /// authentication explicitly.
  case authenticationNotConfigured

  public var description: String {
    switch self {
    case .authenticationNotConfigured:
      "no authentication configured: set keys, or disable authentication explicitly (local development only)"
    }
  }
}
