/// Every limit and timeout of a Courier connection, with the defaults of docs/PROTOCOL.md.
///
/// One value configures both the server and the client side; each side advertises the
/// receive-side limits in its SETTINGS frame.
public struct TransportLimits: Sendable, Hashable {
  /// The largest message accepted, in bytes. Default 4 MiB; at most 16 MiB.
  public var messageBytesMax: Int
  /// The largest HEADERS or TRAILERS payload accepted, in bytes. Default 16 KiB.
  public var headerBytesMax: Int
  /// Flow-control window of each stream, in bytes. Default 1 MiB.
  public var streamWindowBytes: Int
  /// Flow-control window of the whole connection, in bytes. Default 16 MiB.
  public var connectionWindowBytes: Int
  /// Streams the peer may have open toward this side at once. Default 100.
  public var concurrentStreamsMax: Int
  /// Connections a server keeps open at once. Default 1,024.
  public var connectionsMax: Int
  /// Time allowed for the preface and first SETTINGS. Default 10 s.
  public var handshakeTimeout: Duration
  /// Time allowed for one frame to arrive once it has started. Default 10 s.
  public var frameTimeout: Duration
  /// A connection with no open stream for this long is closed. Default 5 minutes.
  public var idleTimeout: Duration
  /// A client pings after this long without hearing from the server. Default 30 s.
  public var keepaliveInterval: Duration
  /// …and closes the connection if nothing arrives within this. Default 10 s.
  public var keepaliveTimeout: Duration
  /// PINGs per second a server tolerates without call activity. Default 10.
  public var pingsPerSecondMax: Int
  /// Output a connection holds for a peer that does not read it, in bytes, before it stops
  /// reading from that peer (and so stops answering it) until the peer has taken it. Default
  /// 1 MiB. Without it a peer that sends PINGs, or calls that are refused, and never reads the
  /// answers would make its connection buffer them without limit.
  public var pendingOutputBytesMax: Int

  /// The protocol's hard limit on a frame payload.
  public static let frameBytesMax = 16 * 1024 * 1024

  public init(
    messageBytesMax: Int = 4 * 1024 * 1024,
    headerBytesMax: Int = 16 * 1024,
    streamWindowBytes: Int = 1024 * 1024,
    connectionWindowBytes: Int = 16 * 1024 * 1024,
    concurrentStreamsMax: Int = 100,
    connectionsMax: Int = 1024,
    handshakeTimeout: Duration = .seconds(10),
    frameTimeout: Duration = .seconds(10),
    idleTimeout: Duration = .seconds(300),
    keepaliveInterval: Duration = .seconds(30),
    keepaliveTimeout: Duration = .seconds(10),
    pingsPerSecondMax: Int = 10,
    pendingOutputBytesMax: Int = 1024 * 1024
  ) {
    precondition(messageBytesMax > 0 && messageBytesMax <= Self.frameBytesMax,
      "messageBytesMax must be in 1...\(Self.frameBytesMax), got \(messageBytesMax)")
    precondition(headerBytesMax >= 256, "headerBytesMax must be at least 256, got \(headerBytesMax)")
    precondition(streamWindowBytes > 0 && streamWindowBytes <= Int(Int32.max),
      "streamWindowBytes must be in 1...\(Int32.max), got \(streamWindowBytes)")
    precondition(connectionWindowBytes >= streamWindowBytes && connectionWindowBytes <= Int(Int32.max),
      "connectionWindowBytes must be in streamWindowBytes...\(Int32.max), got \(connectionWindowBytes)")
    precondition(concurrentStreamsMax > 0, "concurrentStreamsMax must be positive")
    precondition(connectionsMax > 0, "connectionsMax must be positive")
    precondition(pendingOutputBytesMax >= 64 * 1024, "pendingOutputBytesMax must be at least 64 KiB, got \(pendingOutputBytesMax)")
    self.messageBytesMax = messageBytesMax
    self.headerBytesMax = headerBytesMax
    self.streamWindowBytes = streamWindowBytes
    self.connectionWindowBytes = connectionWindowBytes
    self.concurrentStreamsMax = concurrentStreamsMax
    self.connectionsMax = connectionsMax
    self.handshakeTimeout = handshakeTimeout
    self.frameTimeout = frameTimeout
    self.idleTimeout = idleTimeout
    self.keepaliveInterval = keepaliveInterval
    self.keepaliveTimeout = keepaliveTimeout
    self.pingsPerSecondMax = pingsPerSecondMax
    self.pendingOutputBytesMax = pendingOutputBytesMax
  }
}
