
/// What a handler knows about the call it serves, and how it sets response metadata.
public struct ServerContext: Sendable {
  /// The method being called.
  public let descriptor: MethodDescriptor
  /// The metadata the client sent with the call.
  public let requestMetadata: Metadata
  /// When the call must be finished, if the client set a timeout. The transport cancels the
  /// handler's task at this instant; outgoing calls made from the handler should inherit it.
  public let deadline: ContinuousClock.Instant?
  /// The remote address, e.g. `127.0.0.1:52144`.
  public let peer: String
  /// Response metadata the handler sets; the transport reads it when it sends headers and
  /// trailers.
  public let response: ResponseMetadata

  public init(
    descriptor: MethodDescriptor, requestMetadata: Metadata, deadline: ContinuousClock.Instant?,
    peer: String, response: ResponseMetadata = ResponseMetadata()
  ) {
    self.descriptor = descriptor
    self.requestMetadata = requestMetadata
    self.deadline = deadline
    self.peer = peer
    self.response = response
  }

  /// The time left before the deadline, or `nil` if there is none.
  public var timeRemaining: Duration? {
    deadline.map { $0 - ContinuousClock.now }
  }
}

/// Initial and trailing metadata a handler attaches to its response.
///
/// A reference shared between the handler and the transport; both sides lock. Initial
/// metadata must be set before the first response message is written (afterwards it has been
/// sent and further changes are ignored, as in gRPC).
public final class ResponseMetadata: Sendable {
  private struct State {
    var initial = Metadata()
    var trailing = Metadata()
  }

  private let state = LockedValue(State())

  public init() {}

  /// Metadata sent before the first response message.
  public var initial: Metadata {
    get { state.withLock { $0.initial } }
    set { state.withLock { $0.initial = newValue } }
  }

  /// Metadata sent with the final status.
  public var trailing: Metadata {
    get { state.withLock { $0.trailing } }
    set { state.withLock { $0.trailing = newValue } }
  }
}
