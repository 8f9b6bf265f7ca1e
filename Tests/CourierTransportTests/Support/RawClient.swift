import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// A frame as the raw client reads it off the wire.
struct RawFrame: Sendable, Equatable, CustomStringConvertible {
  var type: UInt8
  var flags: UInt8
  var streamID: UInt32
  var payload: [UInt8]

  /// The 12-byte header and the payload, exactly as they were on the wire.
  var bytes: [UInt8] {
    Wire.frame(type: type, flags: flags, streamID: streamID, payload: payload)
  }

  var description: String {
    "frame(type 0x\(String(type, radix: 16)), flags 0x\(String(flags, radix: 16)), stream \(streamID), \(payload.count) bytes)"
  }
}

/// Why a raw read failed.
enum RawClientError: Error, CustomStringConvertible {
  case timedOut(waitingFor: String)
  case closedEarly(waitingFor: String, received: Int)
  case systemCall(String, Int32)

  var description: String {
    switch self {
    case .timedOut(let what): return "timed out waiting for \(what)"
    case .closedEarly(let what, let received):
      return "the server closed the connection after \(received) bytes of \(what)"
    case .systemCall(let call, let number): return "\(call): \(String(cString: strerror(number)))"
    }
  }
}

/// How a read for the end of the connection came out.
enum EndOfStream: Equatable {
  /// `read` returned 0: the server closed in order (FIN).
  case closed
  /// The server reset the connection.
  case reset
  /// Bytes arrived instead.
  case data([UInt8])
}

/// A deliberately dumb Courier client: a blocking POSIX socket that sends exactly the bytes a
/// test gives it and reads exactly what the server sends, so tests can speak the protocol
/// byte by byte, including everything a well-behaved client never sends.
///
/// Blocking calls never run on Swift's cooperative pool (two threads here: one blocked read
/// would stall half of every other test): each runs on the client's own serial Dispatch
/// queue and is awaited through a continuation. Every read is bounded by `SO_RCVTIMEO`, so a
/// server that stays silent fails the test instead of hanging it.
final class RawClient: Sendable {
  let fd: Int32
  private let queue = DispatchQueue(label: "courier.tests.raw-client")
  /// The longest a single read waits before the test fails.
  static let readTimeoutMilliseconds = 3_000

  private init(fd: Int32) {
    self.fd = fd
  }

  deinit {
    Glibc.close(fd)
  }

  /// Connects to 127.0.0.1:`port` and sends `initialBytes`, in one job off the cooperative
  /// pool: no task hop between the two, so a test whose server has a short handshake timeout
  /// does not depend on how busy the pool is.
  /// With `receiveBufferBytes`, the socket's receive buffer is set small before connecting, so
  /// a client that stops reading backs the server up after little data.
  /// With `halfClose`, the FIN follows `initialBytes` in the same job, so the server can find
  /// the bytes and the end of input waiting together.
  static func connect(
    port: Int, sending initialBytes: [UInt8] = [], receiveBufferBytes: Int32? = nil, halfClose: Bool = false
  ) async throws -> RawClient {
    try await offPool {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
      guard fd >= 0 else { throw RawClientError.systemCall("socket", errno) }
      var timeout = timeval(
        tv_sec: readTimeoutMilliseconds / 1000, tv_usec: (readTimeoutMilliseconds % 1000) * 1000)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      var one: Int32 = 1
      setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      if var receiveBufferBytes {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBufferBytes, socklen_t(MemoryLayout<Int32>.size))
      }
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = UInt16(port).bigEndian
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard status == 0 else {
        let number = errno
        Glibc.close(fd)
        throw RawClientError.systemCall("connect", number)
      }
      let client = RawClient(fd: fd)
      try client.sendBlocking(initialBytes)
      if halfClose { client.shutdownWrite() }
      return client
    }
  }

  // MARK: - Sending

  /// Sends every byte, in as few system calls as the kernel allows.
  func send(_ bytes: [UInt8]) async throws {
    try await run { [self] in try sendBlocking(bytes) }
  }

  /// Sends `chunks` one after the other, `interval` apart, in one job off the cooperative pool,
  /// so the pacing holds however busy the pool is.
  func sendPaced(_ chunks: [[UInt8]], interval: Duration) async throws {
    let (seconds, attoseconds) = interval.components
    let microseconds = useconds_t(seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    try await run { [self] in
      for chunk in chunks {
        usleep(microseconds)
        try sendBlocking(chunk)
      }
    }
  }

  private func sendBlocking(_ bytes: [UInt8]) throws {
    var sent = 0
    while sent < bytes.count {
      let count = bytes.withUnsafeBytes { raw in
        Glibc.send(fd, raw.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw RawClientError.systemCall("send", errno)
      }
      sent += count
    }
  }

  /// The preface and an empty SETTINGS frame (all defaults), as one write.
  func sendHandshake() async throws {
    try await send(Wire.preface + Wire.settings())
  }

  /// Sends the handshake and reads the server's: preface, SETTINGS, and the ACK of ours.
  /// Returns the server's SETTINGS frame.
  @discardableResult
  func handshake() async throws -> RawFrame {
    try await sendHandshake()
    return try await readServerHandshake()
  }

  /// Reads the server's preface, SETTINGS and the SETTINGS ACK of the client's SETTINGS.
  @discardableResult
  func readServerHandshake() async throws -> RawFrame {
    let preface = try await readExactly(8, what: "the server's preface")
    guard preface == Wire.preface else {
      throw RawClientError.systemCall("preface \(preface)", EPROTO)
    }
    let settings = try await readFrame()
    guard settings.type == Wire.FrameType.settings, settings.flags == 0 else {
      throw RawClientError.systemCall("expected SETTINGS, got \(settings)", EPROTO)
    }
    let ack = try await readFrame()
    guard ack == RawFrame(type: Wire.FrameType.settings, flags: 1, streamID: 0, payload: []) else {
      throw RawClientError.systemCall("expected SETTINGS ACK, got \(ack)", EPROTO)
    }
    return settings
  }

  // MARK: - Receiving

  /// Exactly `count` bytes, or an error if the server closes or stays silent first.
  func readExactly(_ count: Int, what: String) async throws -> [UInt8] {
    try await run { [fd] in
      var bytes = [UInt8](repeating: 0, count: count)
      var received = 0
      while received < count {
        let result = bytes.withUnsafeMutableBytes { raw in
          Glibc.recv(fd, raw.baseAddress! + received, count - received, 0)
        }
        if result > 0 {
          received += result
        } else if result == 0 {
          throw RawClientError.closedEarly(waitingFor: what, received: received)
        } else if errno == EAGAIN || errno == EWOULDBLOCK {
          throw RawClientError.timedOut(waitingFor: what)
        } else if errno != EINTR {
          throw RawClientError.systemCall("recv", errno)
        }
      }
      return bytes
    }
  }

  /// The next whole frame.
  func readFrame() async throws -> RawFrame {
    let header = try await readExactly(12, what: "a frame header")
    let length = Int(Wire.uint32(header, at: 0))
    let payload =
      length == 0 ? [] : try await readExactly(length, what: "a payload of \(length) bytes")
    return RawFrame(
      type: header[4], flags: header[5], streamID: Wire.uint32(header, at: 8), payload: payload)
  }

  /// Reads once more and reports whether the server closed the connection.
  func readEndOfStream() async throws -> EndOfStream {
    try await run { [fd] in
      var bytes = [UInt8](repeating: 0, count: 4096)
      while true {
        let result = bytes.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress!, $0.count, 0) }
        if result > 0 { return .data(Array(bytes[0..<result])) }
        if result == 0 { return .closed }
        switch errno {
        case EINTR: continue
        case ECONNRESET: return .reset
        case EAGAIN, EWOULDBLOCK: throw RawClientError.timedOut(waitingFor: "the server to close")
        default: throw RawClientError.systemCall("recv", errno)
        }
      }
    }
  }

  /// Bytes received by the kernel and not read yet.
  var unreadBytes: Int {
    var count: Int32 = 0
    _ = ioctl(fd, UInt(FIONREAD), &count)
    return Int(count)
  }

  /// Ends the connection in both directions, as a peer that goes away does (the descriptor
  /// itself is closed when the client is released).
  func disconnect() {
    Glibc.shutdown(fd, Int32(SHUT_RDWR))
  }

  /// Makes the eventual close a reset (RST) instead of an orderly FIN (SO_LINGER of zero).
  func resetOnClose() {
    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
  }

  /// Closes the sending direction (FIN), keeping the socket readable.
  func shutdownWrite() {
    Glibc.shutdown(fd, Int32(SHUT_WR))
  }

  // MARK: - Off the cooperative pool

  private func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws
    -> Value
  {
    try await Self.offPool(on: queue, body)
  }

  private static func offPool<Value: Sendable>(
    on queue: DispatchQueue = .global(), _ body: @escaping @Sendable () throws -> Value
  ) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
      queue.async { continuation.resume(with: Result { try body() }) }
    }
  }
}

/// A loopback port that refuses connections for as long as the value lives: a socket bound to
/// it that does not listen. Unlike a port freed by a stopped server, no other test's server
/// can be given it meanwhile (tests run in parallel and port 0 reuses freed ports).
final class RefusingPort: Sendable {
  let port: Int
  private let fd: Int32

  init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw RawClientError.systemCall("socket", errno) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else {
      let number = errno
      Glibc.close(fd)
      throw RawClientError.systemCall("bind", number)
    }
    self.fd = fd
    port = Int(UInt16(bigEndian: address.sin_port))
  }

  deinit {
    Glibc.close(fd)
  }
}
