import CourierCore
import Dispatch

/// One call on a client connection, from HEADERS until TRAILERS, CANCEL or a connection error.
/// Lives in `ClientConnection`'s state, behind its lock, and is only touched under it (a
/// reference, so the stream table is updated in place instead of copied in and out).
final class ClientStream {
  let id: UInt32
  /// Unary and client-streaming calls expect exactly one response message.
  let expectsSingleResponse: Bool
  var initialMetadata: Metadata?
  var singleResponse: [UInt8]?
  /// Streaming responses, for the application to iterate.
  var inbox: MessageInbox?
  var singleResponseWaiter: SingleResponseWaiter?
  var headersWaiter: CheckedContinuation<Metadata, any Error>?
  var trailersWaiters: [CheckedContinuation<Metadata, any Error>] = []
  var requestsClosed = false
  /// Set when the call has ended; the stream stays in the table until the caller releases it,
  /// so waiters that come late still learn the outcome.
  var end: ClientCallEnd?
  var deadlineTimer: DeadlineTimer?

  var sendWindow: Int
  var receiveWindow: Int
  var receiveConsumed = 0
  var uncreditedBytes = 0
  var windowWaiters: [CheckedContinuation<Void, Never>] = []

  init(id: UInt32, expectsSingleResponse: Bool, sendWindow: Int, receiveWindow: Int) {
    self.id = id
    self.expectsSingleResponse = expectsSingleResponse
    self.sendWindow = sendWindow
    self.receiveWindow = receiveWindow
  }
}

/// How a call ended, kept after its stream left the table so late waiters still learn it.
enum ClientCallEnd: Sendable {
  case trailers(code: StatusCode, message: String, metadata: Metadata)
  case failed(RPCError)

  var error: RPCError? {
    switch self {
    case .trailers(let code, let message, let metadata):
      return code == .ok ? nil : RPCError(code: code, message: message, metadata: metadata)
    case .failed(let error):
      return error
    }
  }
}

/// A call failed before the server processed it (refused by GOAWAY, or the connection was
/// gone before its HEADERS left), so it can be retried on another connection whatever its
/// idempotency.
struct CallNotProcessed: Error, Sendable {
  let error: RPCError
}
