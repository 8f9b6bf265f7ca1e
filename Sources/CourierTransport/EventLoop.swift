import CEpoll
import CourierCore

#if canImport(Glibc)
  import Glibc
#endif

/// Readiness of every connection's socket in the process, from one edge-triggered epoll
/// instance and one thread of its own that waits on it.
///
/// Why not Dispatch sources: libdispatch on Linux multiplexes its read and write sources through
/// epoll with bookkeeping keyed by descriptor number ("muxnotes"), and under the churn of a
/// server that accepts and closes thousands of connections a minute that bookkeeping has known
/// bugs: a descriptor number reused soon after its sources were torn down can inherit stale
/// state and never be registered (swiftlang/swift-corelibs-libdispatch#833), and a muxnote can
/// be used after it was freed (#949). The soak test saw both: a socket that was never closed,
/// and a crash in `_dispatch_event_loop_drain`. Here each registration gets a token that is
/// never reused, events carry the token rather than a pointer or a descriptor number, and an
/// event for a token that is gone is dropped, so a late event can never reach a new connection
/// that got the same descriptor number.
///
/// Edge-triggered (`EPOLLET`): a registration is added once with every event it will ever want
/// and never modified, so readiness costs no `epoll_ctl` per event (Dispatch re-arms a one-shot
/// registration after each). The owner must therefore remember an edge it cannot act on at once
/// (reading paused, a write in progress) and act on it later; `SocketIO` does.
///
/// The loop's thread only looks handlers up and calls them: a handler notes the readiness under
/// its lock and schedules the work on its own queue. Queues, timers and tasks stay Dispatch's.
final class EventLoop: Sendable {
  /// Called on the loop's thread with the `EPOLL*` bits of an event. Must not block.
  typealias Handler = @Sendable (UInt32) -> Void

  /// The process's loop, started on first use.
  static let shared = EventLoop()

  /// The bits a registration asks for: input, output and the peer's half-close, edge-triggered.
  /// `EPOLLERR` and `EPOLLHUP` are always reported.
  static let interest = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
  /// Bits that mean "a read will not block": data, end of input, or an error to collect.
  static let readableEvents = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue
  /// Bits that mean the peer shut down its side or the connection failed: what remains to be
  /// read ends with the end of input or an error.
  static let hangUpEvents = EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue
  /// Bits that mean "a write will not block" (or will fail at once).
  static let writableEvents = EPOLLOUT.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue

  private struct Table {
    var nextToken: UInt64 = 1
    var handlers: [UInt64: Handler] = [:]
  }

  private let epollFD: Int32
  private let table = LockedValue(Table())
  /// Events fetched per `epoll_wait`.
  private static let batchSize: Int32 = 256

  private init() {
    epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
    precondition(epollFD >= 0, "epoll_create1 failed: errno \(errno)")
    var thread = pthread_t()
    // The loop lives as long as the process: the thread keeps the object it was given.
    let context = Unmanaged.passRetained(self).toOpaque()
    let status = pthread_create(
      &thread, nil,
      { context in
        let loop = Unmanaged<EventLoop>.fromOpaque(context!).takeUnretainedValue()
        loop.run()
        return nil
      }, context)
    precondition(status == 0, "pthread_create failed: \(status)")
    pthread_detach(thread)
  }

  /// Watches `fd` and calls `handler` on the loop's thread with each event, until `deregister`.
  /// The handler is kept (strongly) until then. `epoll_ctl` reports readiness the descriptor
  /// already has, so no edge that came before the registration is lost.
  /// - Returns: the registration's token, for `deregister`.
  /// - Throws: `SocketError` when epoll refuses the descriptor (out of memory, the per-user watch limit).
  func register(_ fd: Int32, handler: @escaping Handler) throws(SocketError) -> UInt64 {
    let token = table.withLock { table in
      let token = table.nextToken
      table.nextToken += 1
      table.handlers[token] = handler
      return token
    }
    var event = epoll_event()
    event.events = Self.interest
    event.data.u64 = token
    guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
      let error = errno
      _ = table.withLock { $0.handlers.removeValue(forKey: token) }
      throw SocketError(call: "epoll_ctl(ADD)", errorNumber: error)
    }
    return token
  }

  /// Stops watching `fd`. Call it before closing the descriptor. An event already fetched for
  /// this token may still reach the handler once, concurrently with or after this call; the
  /// handler must ignore what comes after its owner closed.
  func deregister(_ fd: Int32, token: UInt64) {
    _ = table.withLock { $0.handlers.removeValue(forKey: token) }
    // Fails only if the descriptor was never added, or is already closed; neither leaves
    // anything registered.
    var unused = epoll_event()
    _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &unused)
  }

  private func run() {
    // Named for `top -H`, `gdb` and `perf`; it would otherwise carry its creator's name.
    _ = pthread_setname_np(pthread_self(), "courier-epoll")
    let capacity = Int(Self.batchSize)
    let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
    events.initialize(repeating: epoll_event(), count: capacity)
    var ready: [(Handler, UInt32)] = []
    ready.reserveCapacity(capacity)
    while true {
      let count = epoll_wait(epollFD, events, Self.batchSize, -1)
      if count < 0 {
        // EINTR: a signal; nothing else can happen to a valid epoll descriptor and buffer.
        continue
      }
      table.withLock { table in
        for index in 0..<Int(count) {
          let event = events[index]
          if let handler = table.handlers[event.data.u64] { ready.append((handler, event.events)) }
        }
      }
      for (handler, bits) in ready { handler(bits) }
      ready.removeAll(keepingCapacity: true)
    }
  }
}
