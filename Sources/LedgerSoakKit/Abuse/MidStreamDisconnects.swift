import LedgerClient

/// Opens real calls and vanishes while they run: on each connection a WatchAccount from the
/// start of an account's history (so responses are flowing), a TransferSession with two
/// transfers sent and the stream left open, and a unary CreateTransfer; deadlines vary (none,
/// 10 s, an hour). As soon as the first response message arrives (or after a short wait) the
/// client leaves: by RST, by FIN, or by half-closing and then closing. The server must cancel
/// the handlers and free everything; the transfers are real and must keep the ledger
/// balanced.
struct MidStreamDisconnects: Abuser {
  let name = "mid-stream"
  let summary = "opens WatchAccount, TransferSession and unary calls, then disconnects mid-stream"
  let expectedReaction = "MESSAGE"

  /// Deadlines the calls carry, in microseconds: none, 10 s, an hour.
  static let timeoutsMicroseconds: [UInt64] = [0, 10_000_000, 3_600_000_000]

  func run(_ context: AbuseContext) {
    var attempt = 0
    while !context.stop.isSet {
      defer {
        attempt += 1
        context.pause(context.settings.attemptPause)
      }
      guard let connection = context.connect() else { continue }
      let timeout = Self.timeoutsMicroseconds[attempt % Self.timeoutsMicroseconds.count]
      connection.send(SoakWire.handshake + calls(context, attempt: attempt, timeoutMicroseconds: timeout))
      context.tally.did("streams opened", 3)
      let events = context.listen(to: connection, timeout: context.settings.reactionWait) { events in
        events.contains { if case .message = $0 { return true } else { return false } }
      }
      if connection.isEnded { continue }
      let streaming = events.contains { if case .message = $0 { return true } else { return false } }
      switch attempt % 3 {
      case 0:
        connection.close(.reset)
        context.tally.did(streaming ? "reset mid-stream" : "reset before any response")
      case 1:
        connection.close(.fin)
        context.tally.did(streaming ? "closed mid-stream" : "closed before any response")
      default:
        connection.shutdownWrite()
        context.drain([connection], for: .milliseconds(50))
        connection.close(.fin)
        context.tally.did(streaming ? "half-closed, then closed mid-stream" : "half-closed before any response")
      }
    }
  }

  /// A watch on stream 1, a transfer session on 3 (two transfers, left open), a unary
  /// transfer on 5.
  private func calls(_ context: AbuseContext, attempt: Int, timeoutMicroseconds: UInt64) -> [UInt8] {
    let accounts = context.accountIDs
    var watch = Ledger_V1_WatchAccountRequest()
    watch.accountID = accounts[attempt % accounts.count]
    var bytes =
      context.headers(
        streamID: 1, path: Ledger_V1_Transfers.Method.WatchAccount.descriptor.path,
        timeoutMicroseconds: timeoutMicroseconds)
      + SoakWire.message(streamID: 1, watch.serializedBytes())
    bytes += context.headers(
      streamID: 3, path: Ledger_V1_Transfers.Method.TransferSession.descriptor.path,
      timeoutMicroseconds: timeoutMicroseconds)
    for item in 0..<2 {
      let request = context.transfer(id: "s\(attempt)-\(item)", index: attempt + item)
      bytes += SoakWire.message(streamID: 3, request.serializedBytes(), endStream: false)
    }
    bytes +=
      context.headers(
        streamID: 5, path: Ledger_V1_Transfers.Method.CreateTransfer.descriptor.path,
        timeoutMicroseconds: timeoutMicroseconds)
      + SoakWire.message(streamID: 5, context.transfer(id: "u\(attempt)", index: attempt + 7).serializedBytes())
    return bytes
  }
}
