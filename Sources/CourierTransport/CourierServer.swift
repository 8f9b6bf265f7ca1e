import CourierCore
import Dispatch

/// A Courier server: accepts TCP connections and runs the registered services' handlers.
///
/// ```swift
/// let server = CourierServer(configuration: .init(port: 7070), services: [MyService()])
/// let port = try server.start()
/// // ...
/// await server.shutdown()   // GOAWAY, let calls finish within the grace period, close
/// ```
public final class CourierServer: Sendable {
  /// Where to listen and which limits to apply.
  public struct Configuration: Sendable {
    /// The address to bind, e.g. "127.0.0.1" or "0.0.0.0".
    public var host: String
    /// The port; 0 picks a free one (read it back from `start()`).
    public var port: Int
    public var limits: TransportLimits
    /// How long `shutdown()` lets open calls finish before cancelling them.
    public var shutdownGracePeriod: Duration
    public var observer: ServerObserver
    /// Run around every call, the first outermost.
    public var interceptors: [any ServerInterceptor]

    public init(
      host: String = "127.0.0.1", port: Int = 0, limits: TransportLimits = TransportLimits(),
      shutdownGracePeriod: Duration = .seconds(5), observer: ServerObserver = ServerObserver(),
      interceptors: [any ServerInterceptor] = []
    ) {
      self.interceptors = interceptors
      self.host = host
      self.port = port
      self.limits = limits
      self.shutdownGracePeriod = shutdownGracePeriod
      self.observer = observer
    }
  }

  private enum Phase {
    case idle
    case listening(fd: Int32, port: Int)
    case stopping
    case stopped
  }

  private struct State {
    var phase: Phase = .idle
    var connections: [ObjectIdentifier: ServerConnection] = [:]
    var emptyWaiters: [CheckedContinuation<Void, Never>] = []
    var stoppedWaiters: [CheckedContinuation<Void, Never>] = []
  }

  public let configuration: Configuration
  private let router: RPCRouter
  private let state = LockedValue(State())
  private let acceptQueue = DispatchQueue(label: "courier.server.accept")
  private let listenerSource = LockedValue<DispatchSourceHandle?>(nil)

  /// Creates a server for `services`; nothing listens until `start()`.
  public init(configuration: Configuration = Configuration(), services: [any RegistrableRPCService]) {
    self.configuration = configuration
    self.router = RPCRouter(services: services)
  }

  /// Binds and starts accepting; returns the port.
  ///
  /// - Throws: `SocketError` if the address cannot be bound.
  @discardableResult
  public func start() throws -> Int {
    let (fd, port) = try POSIXSocket.listen(host: configuration.host, port: configuration.port, backlog: 1024)
    let alreadyStarted = state.withLock { state -> Bool in
      guard case .idle = state.phase else { return true }
      state.phase = .listening(fd: fd, port: port)
      return false
    }
    if alreadyStarted {
      POSIXSocket.close(fd)
      preconditionFailure("CourierServer.start() called twice")
    }
    let shared = ServerShared(
      router: router, limits: configuration.limits, observer: configuration.observer,
      interceptors: configuration.interceptors,
      onConnectionClosed: { [self] connection in connectionClosed(connection) })
    let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: acceptQueue)
    source.setEventHandler { [self] in acceptPending(listener: fd, shared: shared) }
    source.setCancelHandler { POSIXSocket.close(fd) }
    listenerSource.withLock { $0 = DispatchSourceHandle(source: source) }
    source.resume()
    return port
  }

  /// The bound port, once started.
  public var port: Int? {
    state.withLock { state in
      if case .listening(_, let port) = state.phase { return port }
      return nil
    }
  }

  /// Connections currently open.
  public var connectionCount: Int { state.withLock { $0.connections.count } }

  private func acceptPending(listener: Int32, shared: ServerShared) {
    while true {
      let accepted: (fd: Int32, peer: String)?
      do {
        accepted = try POSIXSocket.accept(listener)
      } catch {
        // EMFILE and friends: stop for this event; the source fires again later.
        return
      }
      guard let (fd, peer) = accepted else { return }
      let admitted = state.withLock { state -> ServerConnection? in
        guard case .listening = state.phase, state.connections.count < configuration.limits.connectionsMax else {
          return nil
        }
        let connection = ServerConnection(fd: fd, peer: peer, shared: shared)
        state.connections[ObjectIdentifier(connection)] = connection
        return connection
      }
      if let admitted {
        admitted.start()
      } else {
        turnAway(fd: fd, peer: peer)
      }
    }
  }

  /// Over the connection limit (or shutting down): tell the peer why, then close.
  ///
  /// No `ServerConnection` is made for it: a flood must cost as little as possible, and a
  /// connection object that is never started would own a Dispatch timer source that was never
  /// resumed, which traps when released. The preface and GOAWAY (about 40 bytes) fit in a new
  /// socket's send buffer, so one non-blocking send is enough; the FIN follows them.
  private func turnAway(fd: Int32, peer: String) {
    let isStopping = state.withLock { state -> Bool in
      if case .listening = state.phase { return false }
      return true
    }
    let error =
      isStopping
      ? ConnectionError(.noError, "server shutting down") : ConnectionError(.enhanceYourCalm, "too many connections")
    configuration.observer.connectionError(error, peer: peer)
    var buffer = ByteBuffer(capacity: 64)
    buffer.writePreface()
    buffer.writeGoAway(lastStreamID: 0, code: error.code, reason: error.reason)
    do {
      _ = try buffer.withReadableBytes(count: buffer.readableBytes) { try POSIXSocket.write(fd, $0) }
    } catch {
      configuration.observer.connectionError("\(error) while turning a connection away", peer)
    }
    POSIXSocket.shutdownWrite(fd)
    POSIXSocket.close(fd)
  }

  private func connectionClosed(_ connection: ServerConnection) {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.connections.removeValue(forKey: ObjectIdentifier(connection))
      guard state.connections.isEmpty else { return [] }
      let waiters = state.emptyWaiters
      state.emptyWaiters = []
      return waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Stops accepting, sends GOAWAY on every connection, waits up to the grace period for open
  /// calls to finish, then cancels the rest and closes. Returns when every connection is closed.
  public func shutdown(gracePeriod: Duration? = nil) async {
    let connections = state.withLock { state -> [ServerConnection]? in
      switch state.phase {
      case .idle:
        state.phase = .stopped
        return []
      case .listening:
        state.phase = .stopping
        return Array(state.connections.values)
      case .stopping, .stopped:
        return nil
      }
    }
    guard let connections else {
      await waitUntilStopped()
      return
    }
    listenerSource.withLock { source in
      source?.source.cancel()
      source = nil
    }
    for connection in connections { connection.beginGracefulShutdown() }
    let grace = gracePeriod ?? configuration.shutdownGracePeriod
    let drained = await waitForNoConnections(timeout: grace)
    if !drained {
      let remaining = state.withLock { Array($0.connections.values) }
      for connection in remaining { connection.forceClose() }
      _ = await waitForNoConnections(timeout: .seconds(5))
    }
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.phase = .stopped
      defer { state.stoppedWaiters = [] }
      return state.stoppedWaiters
    }
    for waiter in waiters { waiter.resume() }
  }

  /// Waits until `shutdown()` has finished (from another task).
  public func waitUntilStopped() async {
    await withCheckedContinuation { continuation in
      let stopped = state.withLock { state -> Bool in
        if case .stopped = state.phase { return true }
        state.stoppedWaiters.append(continuation)
        return false
      }
      if stopped { continuation.resume() }
    }
  }

  private func waitForNoConnections(timeout: Duration) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
      group.addTask { [self] in
        await withCheckedContinuation { continuation in
          let empty = state.withLock { state -> Bool in
            if state.connections.isEmpty { return true }
            state.emptyWaiters.append(continuation)
            return false
          }
          if empty { continuation.resume() }
        }
        return true
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return false
      }
      let first = await group.next() ?? false
      if !first {
        // Release the waiter so the group can finish.
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
          defer { state.emptyWaiters = [] }
          return state.emptyWaiters
        }
        for waiter in waiters { waiter.resume() }
      }
      group.cancelAll()
      return first
    }
  }
}

/// A Dispatch source that can be stored behind a lock.
///
/// `@unchecked Sendable` is sound: Dispatch sources are thread-safe objects whose methods
/// (`cancel`, `resume`, `suspend`) may be called from any thread; the handle adds no state.
struct DispatchSourceHandle: @unchecked Sendable {
  let source: any DispatchSourceProtocol
}
