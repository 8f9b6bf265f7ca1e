import CourierCore
import CourierTransport
import LedgerAPI
import LedgerApplication
import LedgerRPC
import LedgerServerKit

/// The production stack (LedgerStack: SQLite on a temporary file, every real adapter) on
/// 127.0.0.1 port 0, and generated clients over a CourierChannel to it.
struct LedgerFixture {
  let stack: LedgerStack
  let channel: CourierChannel
  let logs: CapturedLogs
  let directory: TemporaryDirectory

  var accounts: Ledger_V1_Accounts.Client { .init(wrapping: channel) }
  var transfers: Ledger_V1_Transfers.Client { .init(wrapping: channel) }
  var health: Grpc_Health_V1_Health.Client { .init(wrapping: channel) }

  /// A configuration for tests: a free port, a database in `directory`, every log line.
  static func configuration(in directory: TemporaryDirectory) -> LedgerServerConfiguration {
    var configuration = LedgerServerConfiguration()
    configuration.port = 0
    configuration.databasePath = directory.file("ledger.sqlite")
    configuration.shutdownGraceSeconds = 2
    configuration.logLevel = .debug
    configuration.authentication = .disabled
    return configuration
  }

  /// Runs `body` against a freshly started stack and tears it down afterwards, whatever happens.
  /// - Parameters:
  ///   - unitOfWork: a store to use instead of SQLite (e.g. one that fails).
  ///   - authentication: how the server authenticates (default: not at all).
  ///   - channelInterceptors: run around every call of the fixture's channel (e.g. a token).
  static func with<Result>(
    unitOfWork: (any UnitOfWork)? = nil, authentication: Authentication = .disabled,
    channelInterceptors: [any ClientInterceptor] = [], _ body: (LedgerFixture) async throws -> Result
  ) async throws -> Result {
    let directory = try TemporaryDirectory()
    let logs = CapturedLogs()
    let logger = Logger(minimumLevel: .debug, sink: logs)
    var configuration = configuration(in: directory)
    configuration.authentication = authentication
    let stack =
      if let unitOfWork {
        try await LedgerStack.start(configuration, logger: logger, unitOfWork: unitOfWork, closeStore: {})
      } else {
        try await LedgerStack.start(configuration, logger: logger)
      }
    let channel = CourierChannel(
      configuration: .init(
        endpoints: [Endpoint(host: "127.0.0.1", port: stack.port)], interceptors: channelInterceptors))
    let fixture = LedgerFixture(stack: stack, channel: channel, logs: logs, directory: directory)
    do {
      let result = try await body(fixture)
      channel.close()
      await stack.shutdown()
      return result
    } catch {
      channel.close()
      await stack.shutdown()
      throw error
    }
  }
}
