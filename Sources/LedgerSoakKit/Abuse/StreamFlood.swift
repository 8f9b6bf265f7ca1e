import LedgerClient

/// Opens more streams on one connection than the server allows at once, then cancels them and
/// opens and cancels hundreds more in the same write ("rapid reset"). Per connection: a few
/// WatchAccount streams (live subscriptions), unary calls whose request never comes (held
/// open), past the limit (each one past it must be refused with RESOURCE_EXHAUSTED, the
/// connection staying up); then CANCEL for all, and GetAccount calls opened and cancelled at
/// once; then the connection is closed (every other one with RST).
struct StreamFlood: Abuser {
  let name = "stream-flood"
  let summary = "opens streams past the per-connection limit, then opens and cancels hundreds"
  let expectedReaction = "TRAILERS RESOURCE_EXHAUSTED"

  func run(_ context: AbuseContext) {
    let settings = context.settings
    var round = 0
    while !context.stop.isSet {
      defer {
        round += 1
        context.pause(settings.attemptPause)
      }
      guard let connection = context.connect() else { continue }
      var streamID: UInt32 = 1
      var opened: [UInt32] = []
      var burst = SoakWire.handshake
      for index in 0..<settings.floodStreamsPerConnection {
        if index < settings.floodWatchesPerConnection {
          burst += watch(context, streamID: streamID, index: round + index)
        } else {
          burst += context.headers(streamID: streamID, path: Ledger_V1_Transfers.Method.CreateTransfer.descriptor.path)
        }
        opened.append(streamID)
        streamID += 2
      }
      connection.send(burst, timeoutMilliseconds: 2_000)
      context.tally.did("streams opened", opened.count)
      context.drain([connection], for: settings.reactionWait)

      var resets = opened.flatMap { SoakWire.cancel(streamID: $0) }
      for index in 0..<settings.rapidResetStreamsPerConnection {
        var request = Ledger_V1_GetAccountRequest()
        request.accountID = context.accountIDs[(round + index) % context.accountIDs.count]
        resets += context.headers(streamID: streamID, path: Ledger_V1_Accounts.Method.GetAccount.descriptor.path)
        resets += SoakWire.message(streamID: streamID, request.serializedBytes())
        resets += SoakWire.cancel(streamID: streamID)
        streamID += 2
      }
      if connection.send(resets, timeoutMilliseconds: 2_000) {
        context.tally.did("streams cancelled", opened.count)
        context.tally.did("streams opened and cancelled in one write", settings.rapidResetStreamsPerConnection)
      }
      context.drain([connection], for: settings.reactionWait)
      connection.close(round.isMultiple(of: 2) ? .fin : .reset)
    }
  }

  /// A live-only watch (`after_sequence` far ahead, so no history is read) of one of the
  /// run's accounts.
  private func watch(_ context: AbuseContext, streamID: UInt32, index: Int) -> [UInt8] {
    var request = Ledger_V1_WatchAccountRequest()
    request.accountID = context.accountIDs[index % context.accountIDs.count]
    request.afterSequence = 1 << 40
    return context.headers(streamID: streamID, path: Ledger_V1_Transfers.Method.WatchAccount.descriptor.path)
      + SoakWire.message(streamID: streamID, request.serializedBytes())
  }
}
