import CourierCore

/// The caller of a unary or client-streaming call, waiting for its response.
///
/// Unsafe rather than checked because every call waits on one and a checked continuation
/// allocates a canary object each time. Resumed exactly once: it is stored in
/// `ClientStream.singleResponseWaiter` and read only under the connection's lock, and whoever
/// reads it sets the field to nil in the same critical section; `ClientConnection.end`, which
/// every stream passes through (release, failure and close all end the stream), resumes it.
typealias SingleResponseWaiter = UnsafeContinuation<ClientResponse<[UInt8]>, any Error>
typealias SingleResponseResult = Result<ClientResponse<[UInt8]>, any Error>

/// Work decided under a client connection's lock and done after releasing it.
struct ClientEffects {
  var needsFlush = false
  /// Flush from the connection's queue instead of inline, so requests issued together by
  /// concurrent callers leave in one write.
  var deferFlush = false
  var closeAfterFlush = false
  var notifyUnusable = false
  private var actions: [@Sendable () -> Void] = []
  /// Callers waiting for a single response, with what they get. Kept apart from `actions` so
  /// that ending a call does not allocate a closure; the array is shared by every call that
  /// ends in the same read.
  private var singleResponses: [(SingleResponseWaiter, SingleResponseResult)] = []
  private var deliveries = InboxDeliveries()

  mutating func deliver(_ message: [UInt8], to inbox: MessageInbox) {
    deliveries.add(message, to: inbox)
  }

  mutating func append(_ io: SocketIO, _ body: (inout ByteBuffer) -> Void) {
    if io.append(body) { needsFlush = true }
  }

  mutating func later(_ action: @escaping @Sendable () -> Void) {
    actions.append(action)
  }

  mutating func resume(_ waiter: SingleResponseWaiter, with result: SingleResponseResult) {
    singleResponses.append((waiter, result))
  }

  mutating func resume(_ waiters: inout [CheckedContinuation<Void, Never>]) {
    guard !waiters.isEmpty else { return }
    let taken = waiters
    waiters.removeAll()
    actions.append { for waiter in taken { waiter.resume() } }
  }

  func perform(_ io: SocketIO, _ connection: ClientConnection) {
    deliveries.deliver()
    for action in actions { action() }
    for (waiter, result) in singleResponses { waiter.resume(with: result) }
    if needsFlush { io.flush(deferred: deferFlush) }
    if closeAfterFlush { io.closeAfterFlush() }
    if notifyUnusable { connection.notifyUnusable() }
  }
}
