import CourierCore
import CourierTestAPI
import CourierTransport

/// A server with the interop service on 127.0.0.1 (port 0) and a channel to it.
struct InteropFixture {
  let server: CourierServer
  let channel: CourierChannel
  let service: InteropService
  let port: Int

  var client: Courier_Test_V1_TestService.Client { .init(wrapping: channel) }

  /// Runs `body` against a fresh server and channel, and tears both down afterwards.
  static func with<Result>(
    limits: TransportLimits = TransportLimits(),
    serverInterceptors: [any ServerInterceptor] = [],
    clientInterceptors: [any ClientInterceptor] = [],
    _ body: (InteropFixture) async throws -> Result
  ) async throws -> Result {
    let service = InteropService()
    let server = CourierServer(
      configuration: .init(limits: limits, shutdownGracePeriod: .seconds(2), interceptors: serverInterceptors),
      services: [service])
    let port = try server.start()
    let channel = CourierChannel(
      configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)], limits: limits, interceptors: clientInterceptors))
    let fixture = InteropFixture(server: server, channel: channel, service: service, port: port)
    do {
      let result = try await body(fixture)
      channel.close()
      await server.shutdown(gracePeriod: .seconds(1))
      return result
    } catch {
      channel.close()
      await server.shutdown(gracePeriod: .seconds(1))
      throw error
    }
  }
}

/// Polls `condition` until it holds or `timeout` passes. The default is generous: it only costs
/// time when the condition never holds, and the whole suite runs in parallel on two cores.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if condition() { return true }
    try? await Task.sleep(for: .milliseconds(10))
  }
  return condition()
}

/// Polls `current` until it has stayed the same for `quiet` after rising above `floor`;
/// false when that does not happen within `timeout`.
func stopsGrowing(
  _ current: () -> Int, above floor: Int = Int.min, for quiet: Duration, within timeout: Duration
) async -> Bool {
  let deadline = ContinuousClock.now + timeout
  var last = current()
  var lastChange = ContinuousClock.now
  while ContinuousClock.now < deadline {
    try? await Task.sleep(for: .milliseconds(20))
    let now = current()
    if now != last {
      last = now
      lastChange = .now
    } else if now > floor && ContinuousClock.now - lastChange >= quiet {
      return true
    }
  }
  return false
}

func parameters(_ sizes: [Int32], intervalMicroseconds: Int32 = 0) -> [Courier_Test_V1_ResponseParameters] {
  sizes.map { size in
    var parameters = Courier_Test_V1_ResponseParameters()
    parameters.size = size
    parameters.intervalUs = intervalMicroseconds
    return parameters
  }
}

func inputRequest(size: Int) -> Courier_Test_V1_StreamingInputCallRequest {
  var request = Courier_Test_V1_StreamingInputCallRequest()
  request.payload.body = [UInt8](repeating: 1, count: size)
  return request
}
