/// Holds idle connections up to and past the server's connection limit, in waves.
///
/// Each wave opens a base of `limit - floodReserve` idle connections (a third send nothing, a
/// third only the preface, a third the whole handshake) and holds them, so the server's table
/// stays nearly full while the reserve serves the legitimate clients and the other abusers.
/// Halfway through, a burst of `floodReserve + floodOvershoot` more takes the server to its
/// limit and past it: those past it must be turned away (GOAWAY ENHANCE_YOUR_CALM), and for
/// that moment new legitimate connections may be refused too. The burst is closed after
/// `floodBurstHold`, the base at the end of the wave (half of each with RST). Connections
/// without a handshake must be cut at the handshake timeout meanwhile.
struct IdleFlood: Abuser {
  let name = "idle-flood"
  let summary = "holds idle connections up to and past --max-connections, in waves"
  let expectedReaction = "GOAWAY ENHANCE_YOUR_CALM"

  func run(_ context: AbuseContext) {
    let settings = context.settings
    let reserve = min(settings.floodReserve, settings.serverConnectionsMax)
    while !context.stop.isSet {
      let base = open(settings.serverConnectionsMax - reserve, context)
      context.tally.did("waves")
      context.drain(base, for: settings.floodHold / 2)
      let burst = open(reserve + settings.floodOvershoot, context)
      context.tally.did("bursts past the limit")
      context.drain(base + burst, for: settings.floodBurstHold)
      close(burst, context)
      context.drain(base, for: settings.floodHold / 2)
      close(base, context)
      context.pause(settings.floodPause)
    }
  }

  private func open(_ count: Int, _ context: AbuseContext) -> [RawConnection] {
    var opened: [RawConnection] = []
    for index in 0..<max(0, count) where !context.stop.isSet {
      guard let connection = context.connect() else { continue }
      switch index % 3 {
      case 1:
        connection.send(SoakWire.preface)
        context.tally.did("sent the preface only")
      case 2:
        connection.send(SoakWire.handshake)
        context.tally.did("sent the whole handshake")
      default:
        context.tally.did("sent nothing")
      }
      opened.append(connection)
    }
    return opened
  }

  private func close(_ connections: [RawConnection], _ context: AbuseContext) {
    for (index, connection) in connections.enumerated() {
      if !connection.isEnded { context.tally.did("held until the client closed") }
      connection.close(index.isMultiple(of: 2) ? .fin : .reset)
    }
  }
}
