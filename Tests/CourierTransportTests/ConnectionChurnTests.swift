import CourierCore
import Testing

@testable import CourierTransport

#if canImport(Glibc)
  import Glibc
#endif

/// Many short connections that end every way a peer can make them end: the server must close
/// every socket it accepted, whatever the order of events. Guards the event loop's contract
/// (docs/ARCHITECTURE.md, "Socket readiness: an epoll loop of our own"): under Dispatch sources,
/// a soak of thousands of such connections a minute left a socket open now and then.
@Suite struct ConnectionChurnTests {
  /// How each churned connection ends.
  enum Ending: CaseIterable {
    /// Connects and shuts down both directions without a byte.
    case silentDisconnect
    /// Sends the preface and SETTINGS, then resets (SO_LINGER 0).
    case resetAfterHandshake
    /// Sends the preface and SETTINGS and half-closes at once (bytes and FIN arrive together),
    /// then goes.
    case halfCloseWithTheHandshake
    /// Sends bytes that are not a preface, then resets before reading the GOAWAY.
    case garbageThenReset
  }

  @Test func everyAcceptedSocketIsClosedAfterAChurnOfAbruptEndings() async throws {
    try await ServerFixture.with { fixture in
      // The probe sees an accepted socket while its connection is open.
      let open = try await fixture.connectAndHandshake()
      let seen = await eventually(timeout: .seconds(5)) { Self.acceptedSockets(port: fixture.port) == 1 }
      #expect(seen, "the probe counts \(Self.acceptedSockets(port: fixture.port)) accepted sockets, expected 1")
      open.disconnect()
      let lanes = 4
      let perLane = 60
      try await withThrowingTaskGroup(of: Void.self) { group in
        for lane in 0..<lanes {
          group.addTask {
            for index in 0..<perLane {
              let ending = Ending.allCases[(lane + index) % Ending.allCases.count]
              try await Self.churn(fixture, ending)
            }
          }
        }
        try await group.waitForAll()
      }
      try await fixture.expectConnectionCount(0, within: .seconds(10))
      let closed = await eventually(timeout: .seconds(10)) { Self.acceptedSockets(port: fixture.port) == 0 }
      #expect(closed, "\(Self.acceptedSockets(port: fixture.port)) accepted socket(s) still open")
      try await fixture.expectHealthyAndNoLeaks()
    }
  }

  /// Found by the soak: bytes followed at once by the peer's FIN. The read that takes the
  /// bytes comes back short, and the end of input waits behind them with no further edge to
  /// announce it; the server must still see it and close its side.
  @Test func theEndOfInputBehindTheLastBytesIsSeen() async throws {
    try await ServerFixture.with { fixture in
      for _ in 0..<50 {
        let client = try await RawClient.connect(
          port: fixture.port, sending: Wire.preface + Wire.settings(), halfClose: true)
        _ = try await client.readServerHandshake()
        try await client.expectClosed()
      }
      try await fixture.expectConnectionCount(0)
    }
  }

  static func churn(_ fixture: ServerFixture, _ ending: Ending) async throws {
    let client: RawClient
    do {
      switch ending {
      case .silentDisconnect:
        client = try await fixture.connect()
        client.disconnect()
      case .resetAfterHandshake:
        client = try await fixture.connect(sending: Wire.preface + Wire.settings())
        client.resetOnClose()
      case .halfCloseWithTheHandshake:
        client = try await RawClient.connect(port: fixture.port, sending: Wire.preface + Wire.settings(), halfClose: true)
      case .garbageThenReset:
        client = try await fixture.connect(sending: Array(repeating: 0xA5, count: 64))
        client.resetOnClose()
      }
    } catch RawClientError.systemCall("connect", _) {
      // Turned away at the listen backlog: nothing was accepted, nothing to close.
      return
    }
    // Released here: the descriptor closes (with a reset when asked).
    _ = client
  }

  /// Sockets of this process that were accepted on `port` (the listener itself excluded) and
  /// are still open: the server's side of its connections.
  static func acceptedSockets(port: Int) -> Int {
    var count = 0
    for fd in Int32(0)..<4_096 {
      var status = stat()
      guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK else { continue }
      var address = sockaddr_in()
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
      }
      guard named == 0, address.sin_family == sa_family_t(AF_INET), Int(UInt16(bigEndian: address.sin_port)) == port
      else { continue }
      var listening: Int32 = 0
      var size = socklen_t(MemoryLayout<Int32>.size)
      guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0, listening == 0 else { continue }
      count += 1
    }
    return count
  }
}
