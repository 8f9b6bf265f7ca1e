#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif
import CourierWire

/// What a verified access token says about its bearer.
///
/// On the wire a token is `v1.<key id>.<claims>.<mac>` (docs/AUTH.md): the claims are a
/// protobuf `courier.v1.TokenClaims`, the MAC is HMAC-SHA256 over everything before the last
/// dot under the named key, and both are base64url without padding.
public struct AccessToken: Sendable, Hashable {
  /// Who the caller is, e.g. `payments-api`.
  public var subject: String
  /// What the caller may do, e.g. `["ledger.read"]`.
  public var scopes: [String]
  /// When it was minted, in seconds since 1970-01-01 UTC.
  public var issuedAt: Int64
  /// The first second it is no longer valid, in seconds since 1970-01-01 UTC.
  public var expiresAt: Int64
  /// The key that signed it.
  public var keyID: String

  /// Claims as given; ``TokenSigner/sign(_:)`` checks them.
  public init(subject: String, scopes: [String], issuedAt: Int64, expiresAt: Int64, keyID: String) {
    self.subject = subject
    self.scopes = scopes
    self.issuedAt = issuedAt
    self.expiresAt = expiresAt
    self.keyID = keyID
  }

  /// Whether the token grants `scope`.
  public func grants(_ scope: String) -> Bool { scopes.contains(scope) }

  /// The version tag every token starts with.
  static let version = "v1"
  /// The longest token accepted, in bytes.
  public static let tokenBytesMax = 4_096
  /// The longest subject, in bytes.
  public static let subjectBytesMax = 256
  /// The most scopes a token carries.
  public static let scopesMax = 64
  /// The longest scope, in bytes.
  public static let scopeBytesMax = 128

  /// Whether `text` can be a subject or a scope: printable ASCII without spaces.
  static func isValidName(_ text: String, bytesMax: Int) -> Bool {
    !text.isEmpty && text.utf8.count <= bytesMax && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
  }
}

/// The current time in whole seconds since 1970-01-01 UTC (the system's real-time clock).
public enum WallClock {
  public static func seconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec)
  }
}

/// Mints access tokens with one key: for a token service, the `courier-token` command and tests.
public struct TokenSigner: Sendable {
  /// The key tokens are signed with.
  public let key: TokenKey

  public init(key: TokenKey) { self.key = key }

  /// A token for `subject` with `scopes`, valid from now for `lifetime` (1 s to 366 days).
  /// - Throws: `TokenMintingError` when a claim is out of bounds.
  public func mint(
    subject: String, scopes: [String], lifetime: Duration, now: Int64 = WallClock.seconds()
  ) throws(TokenMintingError) -> String {
    let seconds = lifetime.components.seconds
    guard (1...Self.lifetimeSecondsMax).contains(seconds) else { throw .invalidLifetime(lifetime) }
    return try sign(
      AccessToken(subject: subject, scopes: scopes, issuedAt: now, expiresAt: now + seconds, keyID: key.id))
  }

  /// The longest lifetime ``mint(subject:scopes:lifetime:now:)`` accepts: 366 days.
  public static let lifetimeSecondsMax: Int64 = 366 * 24 * 3_600

  /// `claims` as a signed token (its `keyID` is replaced by this signer's key).
  /// - Throws: `TokenMintingError` when a claim is out of bounds.
  public func sign(_ claims: AccessToken) throws(TokenMintingError) -> String {
    guard AccessToken.isValidName(claims.subject, bytesMax: AccessToken.subjectBytesMax) else {
      throw .invalidSubject(claims.subject)
    }
    guard claims.scopes.count <= AccessToken.scopesMax else { throw .tooManyScopes(claims.scopes.count) }
    for scope in claims.scopes where !AccessToken.isValidName(scope, bytesMax: AccessToken.scopeBytesMax) {
      throw .invalidScope(scope)
    }
    guard claims.expiresAt > claims.issuedAt else {
      // In Duration, which is wider than Int64: the difference of two Int64s may not fit one.
      throw .invalidLifetime(.seconds(claims.expiresAt) - .seconds(claims.issuedAt))
    }
    var message = Courier_V1_TokenClaims()
    message.subject = claims.subject
    message.scopes = claims.scopes
    message.issuedAtSeconds = claims.issuedAt
    message.expiresAtSeconds = claims.expiresAt
    let signed = "\(AccessToken.version).\(key.id).\(Base64URL.encode(message.serializedBytes()))"
    let token = signed + "." + Base64URL.encode(Crypto.hmacSHA256(key: key.secret, message: Array(signed.utf8)))
    guard token.utf8.count <= AccessToken.tokenBytesMax else { throw .tooLong(token.utf8.count) }
    return token
  }
}

/// Claims ``TokenSigner`` refuses to sign.
public enum TokenMintingError: Error, Sendable, Hashable, CustomStringConvertible {
  case invalidSubject(String)
  case invalidScope(String)
  case tooManyScopes(Int)
  case invalidLifetime(Duration)
  case tooLong(Int)

  public var description: String {
    switch self {
    case .invalidSubject(let subject):
      "invalid subject '\(subject)': use 1 to \(AccessToken.subjectBytesMax) printable ASCII characters, no spaces"
    case .invalidScope(let scope):
      "invalid scope '\(scope)': use 1 to \(AccessToken.scopeBytesMax) printable ASCII characters, no spaces"
    case .tooManyScopes(let count): "\(count) scopes; a token carries at most \(AccessToken.scopesMax)"
    case .invalidLifetime(let lifetime): "invalid lifetime \(lifetime): use 1 s to 366 days"
    case .tooLong(let bytes): "the token would be \(bytes) bytes; at most \(AccessToken.tokenBytesMax)"
    }
  }
}
