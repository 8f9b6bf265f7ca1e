import CourierCore
import Dispatch
import Testing

@testable import CourierTransport

#if canImport(Glibc)
  import Glibc
#endif

/// Call deadlines (docs/PROTOCOL.md section 6) must not keep anything alive after the call.
@Suite struct DeadlineTimerTests {
  /// Deallocation is observed through a weak reference.
  final class Captured: Sendable {}

  @Test func firesOnceWhenNotCancelled() async throws {
    let fired = LockedValue(0)
    let timer = DeadlineTimer(queue: DispatchQueue(label: "deadline-tests"), microseconds: 1_000) {
      fired.withLock { $0 += 1 }
    }
    #expect(await eventually { fired.withLock { $0 } == 1 })
    try await Task.sleep(for: .milliseconds(50))
    #expect(fired.withLock { $0 } == 1)
    timer.cancel()
  }

  @Test func cancellingReleasesWhatTheHandlerCapturedAtOnce() async throws {
    weak var released: Captured?
    var timer: DeadlineTimer?
    do {
      let captured = Captured()
      released = captured
      // An hour away: a timer that held on to its handler until then would fail this test.
      timer = DeadlineTimer(queue: DispatchQueue(label: "deadline-tests"), microseconds: 3_600_000_000) {
        _ = captured
      }
    }
    #expect(released != nil)
    timer?.cancel()
    timer = nil
    #expect(await eventually(timeout: .seconds(3)) { released == nil })
  }

  /// Found by the soak: a call with a one-hour deadline that finished at once kept its whole
  /// server connection (buffers included) alive for the hour after the client had gone.
  @Test func aFinishedCallWithALongDeadlineDoesNotKeepItsConnectionAlive() async throws {
    var fds: [Int32] = [0, 0]
    #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
    _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
    let closed = LockedValue(false)
    let shared = ServerShared(
      router: RPCRouter(services: [TestService(probe: ServiceProbe())]), limits: .testing(),
      observer: ServerObserver(), interceptors: [], onConnectionClosed: { _ in closed.withLock { $0 = true } })
    weak var released: ServerConnection?
    do {
      let connection = ServerConnection(fd: fds[0], peer: "test", shared: shared)
      released = connection
      connection.start()
    }
    let call =
      Wire.preface + Wire.settings()
      + Wire.headers(streamID: 1, path: TestService.transferPath, timeoutMicroseconds: 3_600_000_000)
      + Wire.message(streamID: 1, TestService.sampleRequest().serializedBytes())
    #expect(call.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) } == call.count)
    // The answer: preface, SETTINGS, SETTINGS ACK, HEADERS, MESSAGE, TRAILERS (all small).
    let answered = await eventually {
      var available: Int32 = 0
      _ = ioctl(fds[1], UInt(FIONREAD), &available)
      return available >= 8 + 12 * 5
    }
    #expect(answered)
    close(fds[1])
    #expect(await eventually { closed.withLock { $0 } })
    #expect(await eventually(timeout: .seconds(3)) { released == nil }, "the closed connection is still alive")
  }
}
