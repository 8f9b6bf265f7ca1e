import CourierCore
import Dispatch

/// One call on a server connection. Lives in `ServerConnection`'s state (behind its lock) from
/// HEADERS until the call ends; a call that has ended is no longer in the table, and frames that
/// still arrive for it are ignored.
///
/// A reference, only touched under the connection's lock, so the stream table is updated in
/// place instead of copied in and out.
final class ServerStream {
  enum Phase {
    /// The client may still send request messages.
    case receiving
    /// The client has half-closed; only the server's side remains.
    case halfClosed
  }

  let id: UInt32
  let handler: RPCHandler
  let context: ServerContext
  var phase: Phase = .receiving
  /// Unary calls: the request, once it has arrived.
  var unaryRequest: [UInt8]?
  /// Streaming calls: the requests, for the handler to iterate.
  var inbox: MessageInbox?
  var task: Task<Void, Never>?
  var deadlineTimer: DeadlineTimer?

  /// How many more MESSAGE bytes the server may send on this stream (may go negative by one
  /// message).
  var sendWindow: Int
  /// How many more MESSAGE bytes the client may send before it must wait for credit.
  var receiveWindow: Int
  /// Bytes the handler consumed since the last WINDOW_UPDATE for this stream.
  var receiveConsumed = 0
  /// Bytes received for the inbox whose connection-level credit has not been returned yet;
  /// returned when the handler consumes them, or all at once when the call ends.
  var uncreditedBytes = 0
  var sentHeaders = false
  /// Writers waiting for the send window to open.
  var windowWaiters: [CheckedContinuation<Void, Never>] = []

  init(id: UInt32, handler: RPCHandler, context: ServerContext, sendWindow: Int, receiveWindow: Int) {
    self.id = id
    self.handler = handler
    self.context = context
    self.sendWindow = sendWindow
    self.receiveWindow = receiveWindow
  }

  var isUnary: Bool {
    if case .unary = handler.body { return true }
    return false
  }
}

/// What a handler's outcome puts on the wire.
struct CallOutcome {
  var code: StatusCode
  var message: String
  var metadata: Metadata

  static let ok = CallOutcome(code: .ok, message: "", metadata: [:])

  /// Maps what a handler threw to a status: `RPCError` as it is; cancellation as CANCELLED;
  /// anything else as UNKNOWN with a fixed message, so internal details never leave.
  init(error: any Error) {
    switch error {
    case let error as RPCError:
      self.init(code: error.code, message: error.message, metadata: error.metadata)
    case is CancellationError:
      self.init(code: .cancelled, message: "the call was cancelled", metadata: [:])
    default:
      self.init(code: .unknown, message: "handler failed", metadata: [:])
    }
  }

  init(code: StatusCode, message: String, metadata: Metadata) {
    self.code = code
    self.message = message
    self.metadata = metadata
  }
}
