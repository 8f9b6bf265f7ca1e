import LedgerClient

/// Sends frame headers that announce more than the server accepts, one connection per
/// attempt, cycling through: lengths past the protocol's 16 MiB (FRAME_TOO_LARGE); a MESSAGE
/// and a HEADERS just past the server's limits, payload and all (the call fails with
/// RESOURCE_EXHAUSTED and the connection must stay usable: a valid call follows); a PING of
/// 20 KB (PROTOCOL_ERROR); and a MESSAGE announcing 8 MiB of which only 64 KiB ever come (the
/// server must skip, then cut the connection at the frame timeout).
struct OversizedFrames: Abuser {
  let name = "oversized"
  let summary = "announces lengths past the frame, message, header and control limits"
  let expectedReaction = "GOAWAY FRAME_TOO_LARGE"

  func run(_ context: AbuseContext) {
    let settings = context.settings
    var attempt = 0
    while !context.stop.isSet {
      defer {
        attempt += 1
        context.pause(settings.attemptPause)
      }
      guard let connection = context.connect() else { continue }
      connection.send(SoakWire.handshake)
      let valid = validCall(context, streamID: 3, attempt: attempt)
      let getAccount = Ledger_V1_Accounts.Method.GetAccount.descriptor.path
      switch attempt % 6 {
      case 0:
        connection.send(SoakWire.header(length: UInt32.max, type: SoakWire.FrameType.message, streamID: 1))
        context.tally.did("announced 4 GiB")
        context.listen(to: connection, timeout: settings.reactionWait, until: connectionEnded)
      case 1:
        let length = UInt32(SoakWire.frameBytesMax + 1)
        connection.send(SoakWire.header(length: length, type: SoakWire.FrameType.headers, streamID: 1))
        context.tally.did("announced 16 MiB + 1")
        context.listen(to: connection, timeout: settings.reactionWait, until: connectionEnded)
      case 2:
        let length = settings.serverMessageBytesMax + 1
        connection.send(context.headers(streamID: 1, path: getAccount))
        connection.send(SoakWire.header(length: UInt32(length), type: SoakWire.FrameType.message, flags: 1, streamID: 1))
        connection.send([UInt8](repeating: 0, count: length), timeoutMilliseconds: 2_000)
        context.tally.did("sent a message one byte past the limit")
        connection.send(valid)
        context.listen(to: connection, timeout: settings.reactionWait * 2, until: answered(streamID: 3))
      case 3:
        let length = SoakWire.headerBytesMax + 1
        connection.send(SoakWire.header(length: UInt32(length), type: SoakWire.FrameType.headers, streamID: 1))
        connection.send([UInt8](repeating: 0x0a, count: length), timeoutMilliseconds: 2_000)
        context.tally.did("sent headers one byte past the limit")
        connection.send(valid)
        context.listen(to: connection, timeout: settings.reactionWait * 2, until: answered(streamID: 3))
      case 4:
        connection.send(SoakWire.header(length: 20_000, type: SoakWire.FrameType.ping, streamID: 0))
        context.tally.did("announced a 20 KB PING")
        context.listen(to: connection, timeout: settings.reactionWait, until: connectionEnded)
      default:
        connection.send(context.headers(streamID: 1, path: getAccount))
        connection.send(SoakWire.header(length: 8 << 20, type: SoakWire.FrameType.message, flags: 1, streamID: 1))
        connection.send([UInt8](repeating: 0, count: 64 * 1024), timeoutMilliseconds: 2_000)
        context.tally.did("announced 8 MiB and sent 64 KiB")
        context.listen(
          to: connection, timeout: settings.serverFrameTimeout + settings.reactionWait * 2, until: connectionEnded)
      }
      connection.close(attempt.isMultiple(of: 2) ? .reset : .fin)
    }
  }

  /// A GetAccount call on `streamID` for one of the run's accounts.
  private func validCall(_ context: AbuseContext, streamID: UInt32, attempt: Int) -> [UInt8] {
    var request = Ledger_V1_GetAccountRequest()
    request.accountID = context.accountIDs[attempt % context.accountIDs.count]
    return context.headers(streamID: streamID, path: Ledger_V1_Accounts.Method.GetAccount.descriptor.path)
      + SoakWire.message(streamID: streamID, request.serializedBytes())
  }
}
