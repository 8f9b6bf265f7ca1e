public import CourierAuth
public import LedgerRPC
import LedgerSQLite

/// Everything `ledger-server` can be told, with its defaults in one place.
///
/// Each setting comes from a command-line flag, else an environment variable, else the
/// default. The defaults make `swift run ledger-server` work in a fresh clone: localhost,
/// port 7070, `ledger.sqlite` in the current directory.
public struct LedgerServerConfiguration: Sendable, Hashable {
  /// The address to listen on. Default `127.0.0.1` (not reachable from other machines).
  public var host = "127.0.0.1"
  /// The TCP port; 0 picks a free one (logged in the `listening` line). Default 7070.
  public var port = 7070
  /// The SQLite database file, created when missing. Default `ledger.sqlite`.
  public var databasePath = "ledger.sqlite"
  /// Connections served at once; more are turned away. Default 1,024.
  public var connectionsMax = 1_024
  /// The largest request or response message, in bytes. Default 4 MiB, at most 16 MiB.
  public var messageBytesMax = 4 * 1_024 * 1_024
  /// How long a graceful shutdown lets calls in flight finish before cancelling them, in
  /// seconds. Default 5.
  public var shutdownGraceSeconds: Double = 5
  /// Log lines below this level are not written. Default `info` (one line per call).
  public var logLevel = LogLevel.info

  /// Who may call: unset by default, and ``LedgerStack/start(_:logger:)`` refuses to start
  /// until it is chosen (`--auth-keys <file>` or `--insecure-no-auth` on the command line).
  public var authentication: Authentication?

  /// How long a new connection has to send its preface and SETTINGS, in seconds. Default 10.
  public var handshakeTimeoutSeconds: Double = 10
  /// How long a frame has to arrive once its first byte has, in seconds (slow senders are cut
  /// off). Default 10.
  public var frameTimeoutSeconds: Double = 10

  /// The SQLite writer's page cache, in MiB. Default 64: the account table and the indexes'
  /// upper levels of a ledger with millions of transfers (see `SQLiteLedgerStore.Configuration`).
  public var writerCacheMebibytes = 64
  /// Each SQLite reader's page cache, in MiB. Default 16. With the writer's, these bound what
  /// the database may keep in memory (96 MiB with the defaults and two readers); the caches
  /// fill as the database grows, which is not a leak.
  public var readerCacheMebibytes = 16

  /// The defaults.
  public init() {}

  /// The largest message size accepted (the protocol's frame limit).
  public static let messageBytesLimit = 16 * 1_024 * 1_024
  /// The longest grace period accepted, in seconds (an hour: longer is surely a typo).
  public static let shutdownGraceSecondsMax: Double = 3_600

  /// The longest handshake or frame timeout accepted, in seconds (an hour).
  public static let timeoutSecondsMax: Double = 3_600

  /// The page cache sizes accepted, in MiB (1 MiB to 1 GiB, the store's bounds).
  public static let cacheMebibytesRange = 1...1_024

  /// The store's tunables these settings choose.
  var storeConfiguration: SQLiteLedgerStore.Configuration {
    SQLiteLedgerStore.Configuration(
      writerCacheKibibytes: writerCacheMebibytes * 1_024, readerCacheKibibytes: readerCacheMebibytes * 1_024)
  }

  /// The grace period as a `Duration`.
  public var shutdownGracePeriod: Duration {
    .nanoseconds(Int64(shutdownGraceSeconds * 1_000_000_000))
  }

  /// The handshake timeout as a `Duration`.
  public var handshakeTimeout: Duration { .nanoseconds(Int64(handshakeTimeoutSeconds * 1_000_000_000)) }
  /// The frame timeout as a `Duration`.
  public var frameTimeout: Duration { .nanoseconds(Int64(frameTimeoutSeconds * 1_000_000_000)) }
}

/// How the server authenticates callers.
public enum Authentication: Sendable, Hashable {
  /// Every call except the health check needs `authorization: Bearer <token>` signed by a key
  /// of the key file at this path (read at start; see `courier-token keygen`), with the scope
  /// its method requires.
  case keyFile(String)
  /// The same, with the keys given directly (tests, embedding).
  case keys(TokenKeyRing)
  /// No authentication at all: for local development only (`--insecure-no-auth`).
  case disabled
}

/// What the command line asked for.
public enum LedgerServerInvocation: Sendable, Hashable {
  /// `-h` / `--help`: print the usage and exit 0.
  case help
  /// Serve with this configuration.
  case serve(LedgerServerConfiguration)
}

/// A command line or environment `ledger-server` cannot use; printed with the usage, exit 64.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, e.g. `Unknown option '--bogus'`.
  public let message: String

  /// A usage error saying `message`.
  public init(_ message: String) { self.message = message }

  /// The message.
  public var description: String { message }
}
