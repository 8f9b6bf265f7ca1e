import LedgerClient

/// Keeps a few connections that send one byte every few hundred milliseconds: most send a
/// valid handshake and then drip a call's HEADERS and MESSAGE frames, a quarter drip the
/// preface itself. The server must cut each one at its frame timeout (GOAWAY PROTOCOL_ERROR
/// "incomplete frame") or handshake timeout, however patient the client is.
struct Slowloris: Abuser {
  let name = "slowloris"
  let summary = "drips a valid preface, then a frame, one byte at a time"
  let expectedReaction = "GOAWAY PROTOCOL_ERROR: incomplete frame"

  /// One connection and the bytes it has left to drip.
  private final class Drip {
    let connection: RawConnection
    let bytes: [UInt8]
    var sent = 0

    init(connection: RawConnection, bytes: [UInt8]) {
      self.connection = connection
      self.bytes = bytes
    }
  }

  func run(_ context: AbuseContext) {
    let settings = context.settings
    var drips: [Drip] = []
    var opened = 0
    while !context.stop.isSet {
      while drips.count < settings.slowlorisConnections, !context.stop.isSet, let connection = context.connect() {
        defer { opened += 1 }
        if opened % 4 == 3 {
          drips.append(Drip(connection: connection, bytes: SoakWire.handshake))
          context.tally.did("dripping the preface")
          continue
        }
        connection.send(SoakWire.handshake)
        var request = Ledger_V1_GetAccountRequest()
        request.accountID = context.accountIDs[opened % context.accountIDs.count]
        let call =
          context.headers(streamID: 1, path: Ledger_V1_Accounts.Method.GetAccount.descriptor.path)
          + SoakWire.message(streamID: 1, request.serializedBytes())
        drips.append(Drip(connection: connection, bytes: call))
        context.tally.did("dripping a call")
      }
      for drip in drips where drip.sent < drip.bytes.count {
        if drip.connection.send([drip.bytes[drip.sent]]) {
          drip.sent += 1
          context.tally.did("bytes dripped")
        }
      }
      context.drain(drips.map(\.connection), for: settings.slowlorisByteInterval)
      drips.removeAll { drip in
        let finished = drip.connection.isEnded || drip.sent == drip.bytes.count
        if finished && !drip.connection.isEnded { context.tally.did("dripped everything before being cut off") }
        if finished { drip.connection.close(.fin) }
        return finished
      }
    }
    for drip in drips { drip.connection.close(.reset) }
  }
}
