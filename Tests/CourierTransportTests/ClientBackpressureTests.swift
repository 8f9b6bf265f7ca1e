import CourierCore
import CourierTestAPI
import Dispatch
import Testing

@testable import CourierTransport

#if canImport(Glibc)
  import Glibc
#endif

/// The client's side of docs/PROTOCOL.md section 8: a server may grant flow-control windows of
/// 2^31−1 bytes and still not read, and a client stream must not then buffer everything its
/// producer writes.
@Suite struct ClientBackpressureTests {
  @Test func aClientStreamWaitsForAServerThatGrantsWindowsButDoesNotRead() async throws {
    let server = try NonReadingServer()
    defer { server.close() }
    let channel = CourierChannel(
      configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: server.port)]))
    defer { channel.close() }
    let client = Courier_Test_V1_TestService.Client(wrapping: channel)
    let written = LockedValue(0)
    let call = Task {
      try await client.streamingInputCall { writer in
        // 400 messages of 60 KB: 24 MB, all of which the windows would allow.
        for _ in 0..<400 {
          try await writer.write(inputRequest(size: 60_000))
          written.withLock { $0 += 1 }
        }
      }
    }
    // The writes stop once the kernel's buffers and `pendingOutputBytesMax` (1 MiB) are full.
    let stalled = await stopsGrowing({ written.withLock { $0 } }, above: 0, for: .milliseconds(500), within: .seconds(20))
    let stalledAt = written.withLock { $0 }
    #expect(stalled, "the producer kept writing: \(stalledAt) messages")
    #expect(stalledAt * 60_000 < 12_000_000, "the client buffered \(stalledAt) messages of 60 KB for a server that does not read")
    // The server goes away: the waiting write fails instead of waiting forever.
    server.reset()
    await #expect(throws: (any Error).self) { _ = try await call.value }
    #expect(written.withLock { $0 } < 400)
  }
}

/// A server that accepts one connection, answers the handshake granting the largest windows
/// and a 1 MiB message limit, and then never reads again.
final class NonReadingServer: Sendable {
  let port: Int
  private let listener: Int32
  private let accepted = LockedValue<Int32?>(nil)

  init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw RawClientError.systemCall("socket", errno) }
    // A small receive buffer (inherited by the accepted socket): the client backs up sooner.
    var receiveBuffer: Int32 = 64 * 1024
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, Glibc.listen(fd, 4) == 0 else {
      let number = errno
      Glibc.close(fd)
      throw RawClientError.systemCall("bind/listen", number)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    listener = fd
    port = Int(UInt16(bigEndian: address.sin_port))
    // Blocking accept and handshake on a thread of their own, never the cooperative pool.
    DispatchQueue(label: "courier.tests.non-reading-server").async { [self] in serveOne() }
  }

  private func serveOne() {
    let fd = Glibc.accept(listener, nil, nil)
    guard fd >= 0 else { return }
    accepted.withLock { $0 = fd }
    // The client's preface and SETTINGS (whatever the first read brings; not checked).
    var scratch = [UInt8](repeating: 0, count: 512)
    _ = recv(fd, &scratch, scratch.count, 0)
    var settings = Courier_V1_Settings()
    settings.messageBytesMax = 1 << 20
    settings.initialStreamWindowBytes = UInt32(Int32.max)
    settings.connectionWindowBytes = UInt32(Int32.max)
    let answer = Wire.preface + Wire.settings(settings) + Wire.frame(type: Wire.FrameType.settings, flags: Wire.ack, streamID: 0)
    _ = answer.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  /// Resets the accepted connection (SO_LINGER 0), as a server that goes away does.
  func reset() {
    guard let fd = accepted.withLock({ state -> Int32? in
      defer { state = nil }
      return state
    }) else { return }
    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    Glibc.close(fd)
  }

  func close() {
    reset()
    Glibc.close(listener)
  }
}
