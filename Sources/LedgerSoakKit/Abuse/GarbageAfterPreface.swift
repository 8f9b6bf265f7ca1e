/// Sends a valid preface and then garbage, one connection per attempt, cycling through:
/// random bytes where SETTINGS belongs; random bytes after a valid SETTINGS; a HEADERS frame
/// whose payload is random; a SETTINGS frame whose payload is random. The server must answer
/// with a GOAWAY (or close) and nothing else may change; the client leaves after a short wait
/// either way (every other time with RST), so a half-read frame is also left behind.
struct GarbageAfterPreface: Abuser {
  let name = "garbage"
  let summary = "sends random bytes after a valid preface"
  let expectedReaction = "GOAWAY PROTOCOL_ERROR"

  func run(_ context: AbuseContext) {
    var generator = SystemRandomNumberGenerator()
    var attempt = 0
    while !context.stop.isSet {
      defer {
        attempt += 1
        context.pause(context.settings.attemptPause)
      }
      guard let connection = context.connect() else { continue }
      let bytes: [UInt8]
      switch attempt % 4 {
      case 0:
        bytes = SoakWire.preface + random(16...512, using: &generator)
        context.tally.did("garbage instead of SETTINGS")
      case 1:
        bytes = SoakWire.handshake + random(16...512, using: &generator)
        context.tally.did("garbage after SETTINGS")
      case 2:
        let payload = random(1...200, using: &generator)
        bytes = SoakWire.handshake + SoakWire.frame(type: SoakWire.FrameType.headers, streamID: 1, payload: payload)
        context.tally.did("HEADERS with a garbage payload")
      default:
        let payload = random(1...64, using: &generator)
        bytes = SoakWire.preface + SoakWire.frame(type: SoakWire.FrameType.settings, streamID: 0, payload: payload)
        context.tally.did("SETTINGS with a garbage payload")
      }
      connection.send(bytes)
      let events = context.listen(to: connection, timeout: context.settings.reactionWait, until: connectionEnded)
      if !connectionEnded(events) { context.tally.did("left before the server answered") }
      connection.close(attempt.isMultiple(of: 2) ? .reset : .fin)
    }
  }

  private func random(_ counts: ClosedRange<Int>, using generator: inout some RandomNumberGenerator) -> [UInt8] {
    (0..<Int.random(in: counts, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
  }
}
