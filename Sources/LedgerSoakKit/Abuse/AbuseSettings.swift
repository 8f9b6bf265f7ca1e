/// How hard the abusers push, and the server limits they push against.
///
/// The defaults keep each abuser busy without letting the abusers' own CPU use dominate a
/// two-core machine: the point is to cross every limit many times per phase, not to measure
/// how fast the loopback interface is.
public struct AbuseSettings: Sendable, Hashable {
  /// The server's `--max-connections`: the idle flood opens this many plus ``floodOvershoot``.
  public var serverConnectionsMax = 64
  /// The server's `--max-message-bytes`: the oversized abuser announces one byte more.
  public var serverMessageBytesMax = 65_536
  /// The server's handshake timeout: idle connections without a handshake are cut after it.
  public var serverHandshakeTimeout = Duration.seconds(2)
  /// The server's frame timeout: a frame that stops arriving is cut after it.
  public var serverFrameTimeout = Duration.seconds(2)
  /// The server's concurrent stream limit per connection (the protocol's default, 100).
  public var serverConcurrentStreamsMax = 100

  /// Connection slots the idle flood leaves free while it holds its base, for the legitimate
  /// clients and the other abusers.
  public var floodReserve = 16
  /// Connections the idle flood's burst opens past the server's limit.
  public var floodOvershoot = 16
  /// How long each wave holds its base (then it closes it, half with RST).
  public var floodHold = Duration.milliseconds(3_000)
  /// How long the burst past the limit is held, halfway through the wave.
  public var floodBurstHold = Duration.milliseconds(300)
  /// The pause between waves.
  public var floodPause = Duration.milliseconds(500)
  /// Slowloris connections open at once.
  public var slowlorisConnections = 4
  /// The slowloris's pace: one byte per connection per interval.
  public var slowlorisByteInterval = Duration.milliseconds(200)
  /// Streams the stream flood opens on each connection: past the server's limit.
  public var floodStreamsPerConnection = 150
  /// Of those, WatchAccount streams (the rest are unary calls left waiting for their request).
  public var floodWatchesPerConnection = 20
  /// Streams opened and cancelled in the same write ("rapid reset"), per stream-flood connection.
  public var rapidResetStreamsPerConnection = 200
  /// How long the non-reader keeps sending on one connection before it starts another.
  public var nonReaderHold = Duration.seconds(2)
  /// How long an abuser waits for the server's answer to its bad bytes before it leaves.
  public var reactionWait = Duration.milliseconds(500)
  /// The pause between two connections of the one-connection-at-a-time abusers.
  public var attemptPause = Duration.milliseconds(20)

  /// The defaults.
  public init() {}
}
