import CourierCore
import CourierTestAPI
import CourierTransport
import Testing

@Suite("Flow control")
struct FlowControlTests {
  /// A producer far faster than its consumer is held back by the stream window: the server's
  /// writer is suspended until the client consumes.
  @Test func aSlowConsumerHoldsBackAFastProducer() async throws {
    let limits = TransportLimits(streamWindowBytes: 64 * 1024, connectionWindowBytes: 256 * 1024)
    try await InteropFixture.with(limits: limits) { fixture in
      var request = Courier_Test_V1_StreamingOutputCallRequest()
      // 400 messages of 4 KiB = 1.6 MiB, far more than the 64 KiB window.
      request.responseParameters = parameters(Array(repeating: 4096, count: 400))
      let count = try await fixture.client.streamingOutputCall(request) { response in
        var count = 0
        for try await _ in response.messages {
          count += 1
          if count == 5 {
            // Stall: the server must stop after about one window.
            try await Task.sleep(for: .milliseconds(200))
            #expect(fixture.service.observations.counts.completed == 0)
          }
        }
        return count
      }
      #expect(count == 400)
      #expect(fixture.service.observations.counts.completed == 1)
    }
  }

  @Test func clientStreamingMoreThanTheWindowCompletes() async throws {
    let limits = TransportLimits(streamWindowBytes: 16 * 1024, connectionWindowBytes: 32 * 1024)
    try await InteropFixture.with(limits: limits) { fixture in
      let response = try await fixture.client.streamingInputCall { writer in
        for _ in 0..<100 { try await writer.write(inputRequest(size: 10_000)) }
      }
      #expect(response.aggregatedPayloadSize == 1_000_000)
    }
  }
}
