import LedgerClient

/// Calls with credentials the server must refuse, several rounds per connection: no
/// `authorization` at all, a scheme other than Bearer, garbage after `Bearer`, a well-formed
/// token signed with a key the server does not hold, an expired token signed with its key, and
/// a valid read-only token on a method that needs `ledger.write`. Each must end in
/// UNAUTHENTICATED (PERMISSION_DENIED for the scope) without running a handler or changing the
/// ledger, and the connection must stay usable: a valid call ends every round.
struct BadTokens: Abuser {
  let name = "bad-tokens"
  let summary = "calls with missing, malformed, forged, expired and under-scoped tokens"
  let expectedReaction = "TRAILERS UNAUTHENTICATED"

  /// Rounds on one connection before it closes and the next opens.
  static let roundsPerConnection = 5

  func run(_ context: AbuseContext) {
    let credentials = context.credentials
    let getAccount = Ledger_V1_Accounts.Method.GetAccount.descriptor.path
    let createTransfer = Ledger_V1_Transfers.Method.CreateTransfer.descriptor.path
    // (what is tried, the method, the `authorization` value; nil sends none).
    let attempts: [(String, String, String?)] = [
      ("no token", getAccount, nil),
      ("not Bearer", getAccount, "Basic c29hazpzb2Fr"),
      ("garbage token", getAccount, "Bearer v1.soak.%%%.!!!"),
      ("forged token", getAccount, "Bearer \(credentials.forged)"),
      ("expired token", getAccount, "Bearer \(credentials.expired)"),
      ("read-only token on a write", createTransfer, "Bearer \(credentials.readOnly)"),
    ]
    var round = 0
    while !context.stop.isSet {
      defer { context.pause(context.settings.attemptPause) }
      guard let connection = context.connect() else { continue }
      connection.send(SoakWire.handshake)
      var streamID: UInt32 = 1
      for _ in 0..<Self.roundsPerConnection {
        guard !context.stop.isSet, !connection.isEnded else { break }
        var bytes: [UInt8] = []
        for (what, path, authorization) in attempts {
          bytes += SoakWire.headers(streamID: streamID, path: path, authorization: authorization)
          bytes += SoakWire.message(streamID: streamID, request(context, path: path, round: round))
          context.tally.did(what)
          streamID += 2
        }
        // A valid call last: the refusals must not have spoiled the connection.
        bytes += context.headers(streamID: streamID, path: getAccount)
        bytes += SoakWire.message(streamID: streamID, request(context, path: getAccount, round: round))
        context.tally.did("valid call after them")
        connection.send(bytes)
        context.listen(to: connection, timeout: context.settings.reactionWait, until: answered(streamID: streamID))
        streamID += 2
        round += 1
      }
      connection.close(.fin)
    }
  }

  /// A GetAccount of one of the run's accounts, or a CreateTransfer between two of them (which
  /// must never be applied).
  private func request(_ context: AbuseContext, path: String, round: Int) -> [UInt8] {
    let accounts = context.accountIDs
    if path == Ledger_V1_Transfers.Method.CreateTransfer.descriptor.path {
      return context.transfer(id: "refused-\(round)", index: round).serializedBytes()
    }
    var request = Ledger_V1_GetAccountRequest()
    request.accountID = accounts[round % accounts.count]
    return request.serializedBytes()
  }
}
