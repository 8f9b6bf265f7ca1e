import CourierTransport
import LedgerClient
import LedgerRPC

/// A Courier server with only the health service and an interceptor that records what each
/// call arrived with, so tests can see exactly what `LedgerClient` put on the wire.
final class MetadataRecordingServer: Sendable {
  /// What one call brought.
  struct Received: Sendable {
    var metadata: Metadata
    /// The time left when the call arrived; `nil` when it had no deadline.
    var timeRemaining: Duration?
  }

  private let recorder = Recorder()
  private let server: CourierServer
  let port: Int

  init() throws {
    server = CourierServer(
      configuration: .init(port: 0, shutdownGracePeriod: .seconds(1), interceptors: [recorder]),
      services: [HealthService(serviceNames: [])])
    port = try server.start()
  }

  var endpoint: Endpoint { Endpoint(host: "127.0.0.1", port: port) }

  /// Every call so far, in arrival order.
  var received: [Received] { recorder.calls.withLock { $0 } }

  func stop() async { await server.shutdown() }

  private final class Recorder: ServerInterceptor {
    let calls = LockedValue<[Received]>([])

    func intercept<Output: Sendable>(
      context: ServerContext, next: @Sendable (ServerContext) async throws -> Output
    ) async throws -> Output {
      calls.withLock { $0.append(Received(metadata: context.requestMetadata, timeRemaining: context.timeRemaining)) }
      return try await next(context)
    }
  }

  /// Makes one health check through a client configured with `configuration`, and returns
  /// what the server received (or the error the call failed with).
  static func receivedByOneCall(
    configuration: LedgerClient.Configuration, metadata: Metadata = [:], options: CallOptions = .defaults
  ) async throws -> Received {
    let server = try MetadataRecordingServer()
    let client = LedgerClient(endpoints: [server.endpoint], configuration: configuration)
    defer { client.close() }
    do {
      _ = try await client.health.check(Grpc_Health_V1_HealthCheckRequest(), metadata: metadata, options: options)
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()
    guard let received = server.received.first else { throw NoCallReceived() }
    return received
  }

  struct NoCallReceived: Error {}
}
