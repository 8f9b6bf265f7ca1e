#if canImport(Glibc)
  import Glibc
#endif

/// A failed system call on a socket.
public struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The call that failed, e.g. `connect`.
  public var call: String
  /// `errno` after the call.
  public var errorNumber: Int32
  /// Extra context, e.g. the address.
  public var detail: String

  public init(call: String, errorNumber: Int32, detail: String = "") {
    self.call = call
    self.errorNumber = errorNumber
    self.detail = detail
  }

  public var description: String {
    let text = String(cString: strerror(errorNumber))
    return detail.isEmpty ? "\(call): \(text)" : "\(call) \(detail): \(text)"
  }
}

/// Thin wrappers over the socket system calls: EINTR is retried, EAGAIN becomes "would block",
/// and every other failure is a `SocketError`. Descriptors are non-blocking and close-on-exec.
enum POSIXSocket {
  enum IOResult: Equatable {
    case processed(Int)
    case wouldBlock
    case endOfFile
  }

  /// Resolves `host` (a name or dotted IPv4 address) to an IPv4 socket address.
  static func resolve(host: String, port: Int) throws(SocketError) -> sockaddr_in {
    var hints = addrinfo()
    hints.ai_family = AF_INET
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var result: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &result)
    guard status == 0, let first = result, let address = first.pointee.ai_addr else {
      throw SocketError(call: "getaddrinfo", errorNumber: EHOSTUNREACH, detail: "\(host):\(port)")
    }
    defer { freeaddrinfo(result) }
    return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
  }

  static func makeSocket() throws(SocketError) -> Int32 {
    let fd = socket(
      AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SocketError(call: "socket", errorNumber: errno) }
    return fd
  }

  /// A listening socket bound to `host:port` (port 0 picks a free one); returns it and the port.
  static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> (fd: Int32, port: Int) {
    var address = try resolve(host: host, port: port)
    let fd = try makeSocket()
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else {
      let error = SocketError(call: "bind", errorNumber: errno, detail: "\(host):\(port)")
      Glibc.close(fd)
      throw error
    }
    guard Glibc.listen(fd, backlog) == 0 else {
      let error = SocketError(call: "listen", errorNumber: errno)
      Glibc.close(fd)
      throw error
    }
    return (fd, localPort(fd) ?? port)
  }

  static func localPort(_ fd: Int32) -> Int? {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let status = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return status == 0 ? Int(UInt16(bigEndian: address.sin_port)) : nil
  }

  /// Accepts one pending connection: its descriptor (non-blocking, close-on-exec, TCP_NODELAY)
  /// and the peer's address, or `nil` when none is pending.
  static func accept(_ listener: Int32) throws(SocketError) -> (fd: Int32, peer: String)? {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    while true {
      let fd = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
      }
      if fd >= 0 {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        setNoDelay(fd)
        return (fd, describe(address))
      }
      switch errno {
      case EINTR, ECONNABORTED: continue
      case EAGAIN, EWOULDBLOCK: return nil
      default: throw SocketError(call: "accept", errorNumber: errno)
      }
    }
  }

  /// Starts a non-blocking connect; the socket becomes writable when it completes (check
  /// `pendingError` then).
  static func connect(host: String, port: Int) throws(SocketError) -> Int32 {
    var address = try resolve(host: host, port: port)
    let fd = try makeSocket()
    setNoDelay(fd)
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if status != 0 && errno != EINPROGRESS && errno != EINTR {
      let error = SocketError(call: "connect", errorNumber: errno, detail: "\(host):\(port)")
      Glibc.close(fd)
      throw error
    }
    return fd
  }

  /// The error of a completed non-blocking connect, or 0.
  static func pendingError(_ fd: Int32) -> Int32 {
    var error: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return errno }
    return error
  }

  static func setNoDelay(_ fd: Int32) {
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
  }

  static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> IOResult {
    while true {
      let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
      if count > 0 { return .processed(count) }
      if count == 0 { return .endOfFile }
      switch errno {
      case EINTR: continue
      case EAGAIN, EWOULDBLOCK: return .wouldBlock
      default: throw SocketError(call: "read", errorNumber: errno)
      }
    }
  }

  /// Writes without raising SIGPIPE on a closed peer.
  static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SocketError) -> IOResult {
    while true {
      let count = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
      if count >= 0 { return .processed(count) }
      switch errno {
      case EINTR: continue
      case EAGAIN, EWOULDBLOCK: return .wouldBlock
      default: throw SocketError(call: "send", errorNumber: errno)
      }
    }
  }

  /// Sends FIN after the bytes already written; the socket stays readable.
  static func shutdownWrite(_ fd: Int32) {
    _ = Glibc.shutdown(fd, Int32(SHUT_WR))
  }

  static func close(_ fd: Int32) {
    _ = Glibc.close(fd)
  }

  static func describe(_ address: sockaddr_in) -> String {
    var address = address
    var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
    _ = inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(INET_ADDRSTRLEN))
    let host = String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return "\(host):\(UInt16(bigEndian: address.sin_port))"
  }
}
