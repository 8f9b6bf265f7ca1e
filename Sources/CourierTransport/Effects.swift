import CourierCore

/// Work decided while holding a connection's lock and done after releasing it: system calls,
/// resuming continuations and touching inboxes (which take their own locks).
struct Effects {
  var needsFlush = false
  /// Flush from the connection's queue after the current job instead of inline, so a handler
  /// that writes many messages in a row has them leave in one system call.
  var deferFlush = false
  var closeAfterFlush = false
  private var continuations: [CheckedContinuation<Void, Never>] = []
  private var deliveries = InboxDeliveries()
  private var finishes: [(MessageInbox, RPCError?)] = []
  private var cancellations: [Task<Void, Never>] = []

  /// Appends output to the socket's buffer now (so frames keep their order) and remembers
  /// whether this caller must flush.
  mutating func append(_ io: SocketIO, _ body: (inout ByteBuffer) -> Void) {
    if io.append(body) { needsFlush = true }
  }

  mutating func resume(_ waiters: inout [CheckedContinuation<Void, Never>]) {
    guard !waiters.isEmpty else { return }
    continuations.append(contentsOf: waiters)
    waiters.removeAll()
  }

  mutating func deliver(_ message: [UInt8], to inbox: MessageInbox) {
    deliveries.add(message, to: inbox)
  }

  mutating func finish(_ inbox: MessageInbox, error: RPCError? = nil) {
    finishes.append((inbox, error))
  }

  mutating func cancel(_ task: Task<Void, Never>?) {
    if let task { cancellations.append(task) }
  }

  /// Ends a server stream that will never complete normally.
  mutating func abandon(_ stream: ServerStream, error: RPCError) {
    stream.deadlineTimer?.cancel()
    cancel(stream.task)
    if let inbox = stream.inbox { finish(inbox, error: error) }
    var waiters = stream.windowWaiters
    resume(&waiters)
  }

  func perform(_ io: SocketIO) {
    deliveries.deliver()
    for (inbox, error) in finishes { inbox.finish(throwing: error) }
    for task in cancellations { task.cancel() }
    for continuation in continuations { continuation.resume() }
    if needsFlush { io.flush(deferred: deferFlush) }
    if closeAfterFlush { io.closeAfterFlush() }
  }
}
