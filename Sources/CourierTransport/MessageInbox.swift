import CourierCore

/// Messages received on one stream, waiting for the application to take them.
///
/// The network side `append`s (on the connection's queue), usually every message of one read
/// at once, and the application side iterates (from its task). Memory is bounded by flow
/// control: the peer may send only while the window is open, and the window reopens as the
/// application consumes. Consumed bytes are reported (`onConsumed`) in batches — when 8 KiB have
/// accumulated or the inbox runs dry — so a stream of small messages does not take the
/// connection's lock once per message.
final class MessageInbox: Sendable {
  /// Consumed bytes are reported at least this often (and whenever the inbox is empty).
  static let creditBatchBytes = 8 * 1024

  private struct State {
    var messages: [[UInt8]] = []
    var head = 0
    var finished = false
    var failure: RPCError?
    var waiter: CheckedContinuation<[UInt8]?, any Error>?
    var unreportedBytes = 0

    /// Counts `bytes` as consumed; returns the bytes to report now, if any.
    mutating func consume(_ bytes: Int) -> Int? {
      unreportedBytes += bytes
      guard unreportedBytes >= MessageInbox.creditBatchBytes || head == messages.count else { return nil }
      defer { unreportedBytes = 0 }
      return unreportedBytes
    }

    /// A buffered message, the end, or the failure; `nil` when the consumer must wait.
    mutating func take() -> Result<[UInt8]?, any Error>? {
      if head < messages.count {
        let message = messages[head]
        messages[head] = []
        head += 1
        if head == messages.count {
          messages.removeAll(keepingCapacity: true)
          head = 0
        }
        return .success(message)
      }
      if finished {
        if let failure { return .failure(failure) }
        return .success(nil)
      }
      return nil
    }
  }

  private let state = LockedValue(State())
  /// Called with consumed bytes, to return flow-control credit.
  private let onConsumed: @Sendable (Int) -> Void

  init(onConsumed: @escaping @Sendable (Int) -> Void) {
    self.onConsumed = onConsumed
  }

  /// Delivers one message (network side).
  func append(_ message: [UInt8]) {
    append(contentsOf: [message])
  }

  /// Delivers messages in order (network side); wakes a waiting consumer once.
  func append(contentsOf messages: [[UInt8]]) {
    guard let first = messages.first else { return }
    let (waiter, report) = state.withLock { state -> (CheckedContinuation<[UInt8]?, any Error>?, Int?) in
      guard !state.finished else { return (nil, nil) }
      guard let waiter = state.waiter else {
        state.messages.append(contentsOf: messages)
        return (nil, nil)
      }
      state.waiter = nil
      state.messages.append(contentsOf: messages.dropFirst())
      return (waiter, state.consume(first.count))
    }
    if let report { onConsumed(report) }
    waiter?.resume(returning: first)
  }

  /// Ends the stream normally (the peer half-closed) or with `error`.
  func finish(throwing error: RPCError? = nil) {
    let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
      guard !state.finished else { return nil }
      state.finished = true
      state.failure = error
      let waiter = state.waiter
      state.waiter = nil
      return waiter
    }
    guard let waiter else { return }
    if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
  }

  /// The next message, `nil` at the end; throws the stream's failure or `CancellationError`.
  func next() async throws -> [UInt8]? {
    let (ready, report) = state.withLock { state -> (Result<[UInt8]?, any Error>?, Int?) in
      let taken = state.take()
      guard case .success(let message?)? = taken else { return (taken, nil) }
      return (taken, state.consume(message.count))
    }
    if let report { onConsumed(report) }
    if let ready { return try ready.get() }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let (immediate, report) = state.withLock { state -> (Result<[UInt8]?, any Error>?, Int?) in
          if let taken = state.take() {
            guard case .success(let message?) = taken else { return (taken, nil) }
            return (taken, state.consume(message.count))
          }
          if Task.isCancelled { return (.failure(CancellationError()), nil) }
          state.waiter = continuation
          return (nil, nil)
        }
        if let report { onConsumed(report) }
        if let immediate { continuation.resume(with: immediate) }
      }
    } onCancel: {
      let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
        let waiter = state.waiter
        state.waiter = nil
        return waiter
      }
      waiter?.resume(throwing: CancellationError())
    }
  }

  /// The messages as an async sequence for the application.
  var sequence: RPCAsyncSequence<[UInt8]> {
    RPCAsyncSequence(wrapping: InboxSequence(inbox: self))
  }
}

struct InboxSequence: AsyncSequence, Sendable {
  typealias Failure = any Error
  let inbox: MessageInbox

  struct AsyncIterator: AsyncIteratorProtocol {
    let inbox: MessageInbox
    mutating func next() async throws -> [UInt8]? { try await inbox.next() }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbox: inbox) }
}

/// Messages parsed from one read, grouped by inbox so each inbox takes its lock and wakes its
/// consumer once per read rather than once per message.
struct InboxDeliveries {
  private var groups: [(inbox: MessageInbox, messages: [[UInt8]])] = []

  mutating func add(_ message: [UInt8], to inbox: MessageInbox) {
    if let last = groups.indices.last, groups[last].inbox === inbox {
      groups[last].messages.append(message)
    } else {
      groups.append((inbox, [message]))
    }
  }

  func deliver() {
    for group in groups { group.inbox.append(contentsOf: group.messages) }
  }
}
