#if canImport(Glibc)
  import Glibc
#endif

/// What the server sent or did, as an abusive client sees it.
enum ServerEvent: Sendable, Hashable {
  case goAway(code: UInt64, message: String)
  case trailers(streamID: UInt32, code: Int)
  case responseHeaders(streamID: UInt32)
  case message(streamID: UInt32)
  /// SETTINGS, PING, WINDOW_UPDATE: nothing an abuser counts.
  case control(type: UInt8)
  /// The first bytes were not the server's preface, or a frame did not parse.
  case malformed(String)
  /// The server closed the connection in order (a read returned 0).
  case closed
  /// The server reset the connection.
  case reset
}

/// A non-blocking TCP connection to the server that sends exactly the bytes it is given and
/// parses what comes back into ``ServerEvent``s: the abusers' only tool.
///
/// Not thread-safe and not `Sendable`: each abuser owns its connections on its own thread
/// and waits with `poll`, never on Swift's cooperative pool.
final class RawConnection {
  /// How the client leaves.
  enum CloseStyle: CaseIterable {
    /// `close`: FIN after whatever was sent.
    case fin
    /// `SO_LINGER` 0, then `close`: the kernel sends RST and drops what was unsent.
    case reset
  }

  /// Why a connection could not be opened.
  struct ConnectFailure: Error, Sendable, Hashable {
    let errorNumber: Int32
    var name: String { "connect failed: " + errorName(errorNumber) }
  }

  /// Whether the server has closed or reset the connection (or a send found it gone).
  private(set) var isEnded = false
  /// Bytes the server sent, in total.
  private(set) var receivedBytes = 0
  private let fd: Int32
  private var isClosed = false
  private var inbound: [UInt8] = []
  private var inboundStart = 0
  private var awaitingPreface = true

  /// The most bytes one `receive()` reads, so a chatty server cannot starve the abuser's loop.
  static let receiveBytesPerCall = 1 << 20

  private init(fd: Int32) {
    self.fd = fd
  }

  deinit {
    if !isClosed { Glibc.close(fd) }
  }

  /// Connects to 127.0.0.1:`port`, waiting at most `timeoutMilliseconds`; with
  /// `receiveBufferBytes`, the socket's receive buffer is set that small first.
  static func open(port: Int, timeoutMilliseconds: Int32 = 2_000, receiveBufferBytes: Int32? = nil)
    -> Result<RawConnection, ConnectFailure>
  {
    let fd = socket(
      AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return .failure(ConnectFailure(errorNumber: errno)) }
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
    if status != 0 {
      guard errno == EINPROGRESS || errno == EINTR else {
        let number = errno
        Glibc.close(fd)
        return .failure(ConnectFailure(errorNumber: number))
      }
      var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      guard Glibc.poll(&descriptor, 1, timeoutMilliseconds) == 1 else {
        Glibc.close(fd)
        return .failure(ConnectFailure(errorNumber: ETIMEDOUT))
      }
      var error: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
      guard error == 0 else {
        Glibc.close(fd)
        return .failure(ConnectFailure(errorNumber: error))
      }
    }
    return .success(RawConnection(fd: fd))
  }

  // MARK: - Sending

  /// Sends every byte, waiting at most `timeoutMilliseconds` for room in the socket; returns
  /// false when the server is gone or did not take the bytes in time.
  @discardableResult
  func send(_ bytes: [UInt8], timeoutMilliseconds: Int32 = 1_000) -> Bool {
    guard !isClosed, !isEnded else { return false }
    var sent = 0
    let deadline = ContinuousClock.now + .milliseconds(Int(timeoutMilliseconds))
    while sent < bytes.count {
      let count = bytes.withUnsafeBytes { raw in
        Glibc.send(fd, raw.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
      }
      if count >= 0 {
        sent += count
        continue
      }
      switch errno {
      case EINTR: continue
      case EAGAIN, EWOULDBLOCK:
        let left = deadline - .now
        guard left > .zero else { return false }
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = Glibc.poll(&descriptor, 1, Int32(min(left, .milliseconds(100)).milliseconds))
      default:
        isEnded = true
        return false
      }
    }
    return true
  }

  // MARK: - Receiving

  /// Reads what has arrived, without waiting, and returns it as events.
  func receive() -> [ServerEvent] {
    guard !isClosed, !isEnded else { return [] }
    var events: [ServerEvent] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var readThisCall = 0
    while readThisCall < Self.receiveBytesPerCall {
      let count = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress!, $0.count, Int32(MSG_DONTWAIT)) }
      if count > 0 {
        inbound.append(contentsOf: chunk[0..<count])
        readThisCall += count
        receivedBytes += count
        parse(into: &events)
        continue
      }
      if count == 0 {
        isEnded = true
        events.append(.closed)
        break
      }
      if errno == EINTR { continue }
      if errno == EAGAIN || errno == EWOULDBLOCK { break }
      isEnded = true
      events.append(errno == ECONNRESET ? .reset : .malformed("recv: " + errorName(errno)))
      break
    }
    return events
  }

  /// Waits up to `timeoutMilliseconds` for events, returning as soon as `done` says enough has
  /// arrived (or the server ended the connection).
  func waitForEvents(timeoutMilliseconds: Int, until done: ([ServerEvent]) -> Bool) -> [ServerEvent] {
    let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
    var events: [ServerEvent] = []
    while true {
      events += receive()
      if isEnded || done(events) { return events }
      let left = deadline - .now
      guard left > .zero else { return events }
      var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      _ = Glibc.poll(&descriptor, 1, Int32(max(1, min(left, .milliseconds(100)).milliseconds)))
    }
  }

  /// The indices of `connections` with something to read (or an end), waiting at most
  /// `timeoutMilliseconds`. Connections already ended or closed are not watched.
  static func readable(_ connections: [RawConnection], timeoutMilliseconds: Int32) -> [Int] {
    var descriptors = connections.map { pollfd(fd: $0.isClosed || $0.isEnded ? -1 : $0.fd, events: Int16(POLLIN), revents: 0) }
    let ready = descriptors.withUnsafeMutableBufferPointer {
      Glibc.poll($0.baseAddress, nfds_t($0.count), timeoutMilliseconds)
    }
    guard ready > 0 else { return [] }
    return descriptors.indices.filter { descriptors[$0].revents != 0 }
  }

  private func parse(into events: inout [ServerEvent]) {
    if awaitingPreface {
      guard inbound.count - inboundStart >= SoakWire.preface.count else { return }
      guard Array(inbound[inboundStart..<(inboundStart + SoakWire.preface.count)]) == SoakWire.preface else {
        events.append(.malformed("bad preface"))
        inboundStart = inbound.count
        return
      }
      inboundStart += SoakWire.preface.count
      awaitingPreface = false
    }
    while inbound.count - inboundStart >= SoakWire.frameHeaderBytes {
      let header = inbound[inboundStart..<(inboundStart + SoakWire.frameHeaderBytes)]
      let length = Int(SoakWire.uint32(header))
      guard inbound.count - inboundStart >= SoakWire.frameHeaderBytes + length else { break }
      let type = header[header.startIndex + 4]
      let streamID = SoakWire.uint32(header.dropFirst(8))
      let payloadStart = inboundStart + SoakWire.frameHeaderBytes
      events.append(Self.event(type: type, streamID: streamID, payload: inbound[payloadStart..<(payloadStart + length)]))
      inboundStart = payloadStart + length
    }
    if inboundStart > 0 && inboundStart * 2 >= inbound.count {
      inbound.removeFirst(inboundStart)
      inboundStart = 0
    }
  }

  private static func event(type: UInt8, streamID: UInt32, payload: ArraySlice<UInt8>) -> ServerEvent {
    switch type {
    case SoakWire.FrameType.goAway:
      guard let fields = ProtobufBytes.scan(payload) else { return .malformed("GOAWAY payload") }
      let message = fields.strings[3].map { String(decoding: $0, as: UTF8.self) } ?? ""
      return .goAway(code: fields.varints[2] ?? 0, message: message)
    case SoakWire.FrameType.trailers:
      guard let fields = ProtobufBytes.scan(payload) else { return .malformed("TRAILERS payload") }
      return .trailers(streamID: streamID, code: Int(fields.varints[1] ?? 0))
    case SoakWire.FrameType.headers: return .responseHeaders(streamID: streamID)
    case SoakWire.FrameType.message: return .message(streamID: streamID)
    default: return .control(type: type)
    }
  }

  // MARK: - Leaving

  /// Closes the connection the way `style` says; idempotent.
  func close(_ style: CloseStyle) {
    guard !isClosed else { return }
    isClosed = true
    switch style {
    case .fin:
      break
    case .reset:
      var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }
    Glibc.close(fd)
  }

  /// Sends FIN and keeps reading: the client has nothing more to say.
  func shutdownWrite() {
    guard !isClosed else { return }
    Glibc.shutdown(fd, Int32(SHUT_WR))
  }
}

/// `ECONNREFUSED`-style names for the errors a client meets, else the number.
func errorName(_ number: Int32) -> String {
  switch number {
  case ECONNREFUSED: return "ECONNREFUSED"
  case ECONNRESET: return "ECONNRESET"
  case ETIMEDOUT: return "ETIMEDOUT"
  case EPIPE: return "EPIPE"
  case EMFILE: return "EMFILE"
  case EADDRNOTAVAIL: return "EADDRNOTAVAIL"
  default: return "errno \(number)"
  }
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

  /// Whole milliseconds, rounded down.
  var milliseconds: Int {
    let (seconds, attoseconds) = components
    return Int(seconds) * 1_000 + Int(attoseconds / 1_000_000_000_000_000)
  }
}
