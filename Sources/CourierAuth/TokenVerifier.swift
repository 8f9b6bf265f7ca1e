import CourierCore
import CourierWire

/// Checks access tokens against a key ring: signature first, then the claims and the time.
///
/// Verified tokens are remembered (up to ``cacheCapacity``), so a caller that sends the same
/// token on every call pays for one HMAC and one decode; the time is still checked every call.
public final class TokenVerifier: Sendable {
  /// The keys tokens may be signed with.
  public let keys: TokenKeyRing
  /// How far the caller's clock may be off: a token is accepted this long after it expires
  /// and this long before it was issued. Default 30 s.
  public let clockSkewSeconds: Int64
  /// The most verified tokens remembered; when full, the memory is cleared.
  public let cacheCapacity: Int
  private let now: @Sendable () -> Int64
  private let verified = LockedValue<[String: AccessToken]>([:])

  /// - Parameter now: the time in seconds since 1970 (tests pass a fixed one).
  public init(
    keys: TokenKeyRing, clockSkewSeconds: Int64 = 30, cacheCapacity: Int = 4_096,
    now: @escaping @Sendable () -> Int64 = WallClock.seconds
  ) {
    precondition(clockSkewSeconds >= 0 && cacheCapacity >= 0)
    self.keys = keys
    self.clockSkewSeconds = clockSkewSeconds
    self.cacheCapacity = cacheCapacity
    self.now = now
  }

  /// The claims of `token` if a key of the ring signed it and it is valid now.
  /// - Throws: the `AuthenticationFailure` that says why not.
  public func verify(_ token: String) throws(AuthenticationFailure) -> AccessToken {
    let claims: AccessToken
    if let remembered = verified.withLock({ $0[token] }) {
      claims = remembered
    } else {
      claims = try verifySignature(token)
    }
    let now = now()
    // The skew widens the window; a bound pushed past Int64's range is no bound (wrapping
    // arithmetic turned a token valid until Int64.max into an expired one).
    let (latest, pastMax) = claims.expiresAt.addingReportingOverflow(clockSkewSeconds)
    guard pastMax || now < latest else { throw .expired }
    let (earliest, pastMin) = claims.issuedAt.subtractingReportingOverflow(clockSkewSeconds)
    guard pastMin || earliest <= now else { throw .notYetValid }
    return claims
  }

  /// The claims of an `authorization` metadata value, `Bearer <token>` (the scheme in any case).
  /// - Throws: `AuthenticationFailure.missingCredentials` for `nil`, `.notBearer` for another
  ///   scheme, else the errors of ``verify(_:)``.
  public func verify(authorization: String?) throws(AuthenticationFailure) -> AccessToken {
    guard let authorization else { throw .missingCredentials }
    let scheme = "bearer "
    guard authorization.utf8.count > scheme.utf8.count,
      authorization.utf8.prefix(scheme.utf8.count).lazy.map({ $0 | 0x20 }).elementsEqual(scheme.utf8)
    else { throw .notBearer }
    // By bytes, like the check above: dropping 7 Characters would also drop marks that combine
    // with the scheme's space, accepting `Bearer \u{301}<token>`.
    return try verify(String(decoding: authorization.utf8.dropFirst(scheme.utf8.count), as: UTF8.self))
  }

  private func verifySignature(_ token: String) throws(AuthenticationFailure) -> AccessToken {
    guard token.utf8.count <= AccessToken.tokenBytesMax else { throw .malformed }
    let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 4 else { throw .malformed }
    guard parts[0].elementsEqual(AccessToken.version.utf8) else { throw .unsupportedVersion }
    guard let keyID = String(parts[1]), let key = keys.key(id: keyID) else { throw .unknownKey }
    guard let mac = String(parts[3]).flatMap({ Base64URL.decode($0) }), mac.count == Crypto.macByteCount else {
      throw .malformed
    }
    let signed = Array(token.utf8[..<parts[2].endIndex])
    guard Crypto.constantTimeEqual(mac, Crypto.hmacSHA256(key: key.secret, message: signed)) else {
      throw .badSignature
    }
    // Signed by a key we hold: from here on a failure means a bug in the signer, not an attack.
    guard let encoded = String(parts[2]).flatMap({ Base64URL.decode($0) }),
      let message = try? Courier_V1_TokenClaims(serializedBytes: encoded),
      AccessToken.isValidName(message.subject, bytesMax: AccessToken.subjectBytesMax),
      message.scopes.count <= AccessToken.scopesMax
    else { throw .malformed }
    let claims = AccessToken(
      subject: message.subject, scopes: message.scopes, issuedAt: message.issuedAtSeconds,
      expiresAt: message.expiresAtSeconds, keyID: key.id)
    if cacheCapacity > 0 {
      verified.withLock { cache in
        if cache.count >= cacheCapacity { cache.removeAll(keepingCapacity: true) }
        cache[token] = claims
      }
    }
    return claims
  }
}

/// Why a call was not authenticated or not authorized. Logged by the server; never sent to
/// the caller, who sees only a fixed message (``AuthenticationInterceptor``).
public enum AuthenticationFailure: Error, Sendable, Hashable, CustomStringConvertible {
  /// No `authorization` metadata.
  case missingCredentials
  /// `authorization` is not `Bearer <token>`, or appears more than once.
  case notBearer
  /// Not a token: wrong shape, too long, bad base64url, or undecodable claims.
  case malformed
  /// A token format other than `v1`.
  case unsupportedVersion
  /// Signed with a key id the server does not hold.
  case unknownKey
  /// The MAC does not match: forged or altered.
  case badSignature
  /// Past its expiry (beyond the allowed clock skew).
  case expired
  /// Issued in the future (beyond the allowed clock skew).
  case notYetValid
  /// Valid, but without the scope the method requires.
  case missingScope(String)

  public var description: String {
    switch self {
    case .missingCredentials: "no authorization metadata"
    case .notBearer: "authorization is not a single 'Bearer <token>'"
    case .malformed: "malformed token"
    case .unsupportedVersion: "unsupported token version"
    case .unknownKey: "token signed with an unknown key id"
    case .badSignature: "token signature does not match"
    case .expired: "token expired"
    case .notYetValid: "token issued in the future"
    case .missingScope(let scope): "token lacks the scope '\(scope)'"
    }
  }
}
