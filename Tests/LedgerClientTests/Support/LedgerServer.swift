import Foundation
import LedgerClient
import LedgerRPC
import LedgerServerKit

/// The production stack (`LedgerStack`: SQLite on a temporary file) on 127.0.0.1 port 0.
final class LedgerServer: Sendable {
  let stack: LedgerStack
  let directory: String

  var endpoint: Endpoint { Endpoint(host: "127.0.0.1", port: stack.port) }

  private init(stack: LedgerStack, directory: String) {
    self.stack = stack
    self.directory = directory
  }

  static func start() async throws -> LedgerServer {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("ledger-client-\(UUID().uuidString)", isDirectory: true).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var configuration = LedgerServerConfiguration()
    configuration.port = 0
    configuration.authentication = .disabled
    configuration.databasePath = directory + "/ledger.sqlite"
    configuration.shutdownGraceSeconds = 1
    let stack = try await LedgerStack.start(configuration, logger: Logger(minimumLevel: .error, sink: DiscardingLogSink()))
    return LedgerServer(stack: stack, directory: directory)
  }

  func stop() async {
    await stack.shutdown()
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// Runs `body` with a started server and a `LedgerClient` of it, and stops both afterwards.
  static func with<Result>(
    configuration: LedgerClient.Configuration = .init(), _ body: (LedgerClient, LedgerServer) async throws -> Result
  ) async throws -> Result {
    let server = try await start()
    let client = LedgerClient(endpoints: [server.endpoint], configuration: configuration)
    do {
      let result = try await body(client, server)
      client.close()
      await server.stop()
      return result
    } catch {
      client.close()
      await server.stop()
      throw error
    }
  }
}

/// Drops every log line: these tests read results through the API, not the log.
struct DiscardingLogSink: LogSink {
  func write(line: String) {}
}
