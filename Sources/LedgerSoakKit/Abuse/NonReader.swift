import LedgerClient

/// Sends and never reads. With a call held open (so PINGs are not limited to 10 a second), it
/// sends PINGs in 64 KiB bursts and never reads the ACKs, on a socket whose receive buffer is
/// 4 KiB. The server must stop reading from it once its answers back up (1 MiB,
/// `TransportLimits.pendingOutputBytesMax`) rather than buffer them all: the client's sends
/// stall. It holds the stalled connection a moment, then leaves by RST.
struct NonReader: Abuser {
  let name = "non-reader"
  let summary = "sends PINGs with a call open and never reads the answers"
  let expectedReaction = "sends stalled: the server stopped reading"

  func run(_ context: AbuseContext) {
    let burst = [[UInt8]](repeating: SoakWire.ping, count: 64 * 1024 / SoakWire.ping.count).flatMap { $0 }
    while !context.stop.isSet {
      defer { context.pause(context.settings.attemptPause) }
      guard let connection = context.connect(receiveBufferBytes: 4_096) else { continue }
      connection.send(
        SoakWire.handshake
          + context.headers(streamID: 1, path: Ledger_V1_Transfers.Method.CreateTransfer.descriptor.path))
      var sentBytes = 0
      let deadline = ContinuousClock.now + context.settings.nonReaderHold
      while ContinuousClock.now < deadline, !context.stop.isSet {
        guard connection.send(burst, timeoutMilliseconds: 300) else {
          if !connection.isEnded {
            context.tally.saw("sends stalled: the server stopped reading")
            context.pause(.milliseconds(500))
          }
          break
        }
        sentBytes += burst.count
      }
      context.tally.did("PING bytes sent and never read", sentBytes)
      connection.close(.reset)
    }
  }
}
