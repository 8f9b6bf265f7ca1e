import CourierCore

/// Messages received on one stream, waiting for the application to take them.
///
/// The network side `append`s (on the connection's queue) and the application side iterates
/// (from its task). Memory is bounded by flow control: the peer may send only while the
/// window is open, and the window reopens as the application consumes (`onConsumed`).
final class MessageInbox: Sendable {
  private struct State {
    var messages: [[UInt8]] = []
    var head = 0
    var finished = false
    var failure: RPCError?
    var waiter: CheckedContinuation<[UInt8]?, any Error>?
  }

  private let state = LockedValue(State())
  /// Called with the size of each message the application takes, to return flow-control credit.
  private let onConsumed: @Sendable (Int) -> Void

  init(onConsumed: @escaping @Sendable (Int) -> Void) {
    self.onConsumed = onConsumed
  }

  /// Delivers a message (network side).
  func append(_ message: [UInt8]) {
    let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
      guard !state.finished else { return nil }
      if let waiter = state.waiter {
        state.waiter = nil
        return waiter
      }
      state.messages.append(message)
      return nil
    }
    if let waiter {
      onConsumed(message.count)
      waiter.resume(returning: message)
    }
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
    if let ready = try takeReady() {
      if let message = ready { onConsumed(message.count) }
      return ready
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let immediate = state.withLock { state -> Result<[UInt8]?, any Error>? in
          if let ready = Self.take(&state) { return ready }
          if Task.isCancelled { return .failure(CancellationError()) }
          state.waiter = continuation
          return nil
        }
        if let immediate {
          if case .success(let message?) = immediate { onConsumed(message.count) }
          continuation.resume(with: immediate)
        }
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

  private func takeReady() throws -> [UInt8]?? {
    let ready = state.withLock { Self.take(&$0) }
    guard let ready else { return nil }
    return .some(try ready.get())
  }

  /// A buffered message, the end, or the failure; `nil` when the caller must wait.
  private static func take(_ state: inout State) -> Result<[UInt8]?, any Error>? {
    if state.head < state.messages.count {
      let message = state.messages[state.head]
      state.messages[state.head] = []
      state.head += 1
      if state.head == state.messages.count {
        state.messages.removeAll(keepingCapacity: true)
        state.head = 0
      }
      return .success(message)
    }
    if state.finished {
      if let failure = state.failure { return .failure(failure) }
      return .success(nil)
    }
    return nil
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
