// libFuzzer target `auth-token`: CourierAuth's parsing of what callers and operators hand it:
// `authorization` metadata and access tokens (TokenVerifier), the signed claims inside a token,
// and key files (TokenKeyRing).
//
// Input: byte 0 picks the mode (modulo 4), the rest is its data.
// 0 authorization: the rest is an `authorization` value. Only `AuthenticationFailure` is thrown,
//   and the header layer and the token layer see the same bytes: for `Bearer <t>`,
//   verify(authorization:) gives what verify(t) gives.
// 1 signed claims: the rest is a `TokenClaims` encoding, signed here with the ring's key (a
//   fuzzer cannot forge the MAC, so this is how the code after the signature check is reached).
//   It verifies exactly when the claims decode, are within the limits and are valid now, and
//   then with the claims' own values; otherwise it fails as `.malformed`, `.expired` or
//   `.notYetValid`.
// 2 minted: the rest gives claims for TokenSigner. A token it signs verifies to the same claims
//   (also as `Bearer <token>` in any case of the scheme, also from the cache), fails outside
//   its validity, and fails once any byte of it is changed.
// 3 key file: the rest is key-file text. Parsing never traps, and CRLF line ends parse like LF.

import CourierWire
import FuzzSupport

@testable import CourierAuth

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let input = fuzzInput(start, count)
  guard let mode = input.first else { return 0 }
  let data = [UInt8](input.dropFirst())
  switch mode % 4 {
  case 0: checkAuthorization(String(decoding: data, as: UTF8.self))
  case 1: checkSignedClaims(data)
  case 2: checkMinted(data)
  default: checkKeyFile(String(decoding: data, as: UTF8.self))
  }
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
  writeSeedsIfRequested(authSeeds)
  return 0
}

/// The keys every mode verifies with; `signing` signs.
enum FuzzKeys {
  static let signing = try! TokenKey(id: "fuzz-2026", secret: [UInt8](repeating: 0x5A, count: 32))
  static let older = try! TokenKey(id: "fuzz-2025", secret: Array(0..<48))
  static let ring = try! TokenKeyRing([older, signing])
  /// The time mode 0 and mode 1 verify at (2024-11-14T22:13:20Z).
  static let now: Int64 = 1_731_622_400

  static func verifier(now: Int64, cacheCapacity: Int = 0) -> TokenVerifier {
    TokenVerifier(keys: ring, cacheCapacity: cacheCapacity, now: { now })
  }
}

// MARK: - Mode 0: authorization values

func checkAuthorization(_ authorization: String) {
  let verifier = FuzzKeys.verifier(now: FuzzKeys.now)
  let result = Result { () throws(AuthenticationFailure) in try verifier.verify(authorization: authorization) }
  let scheme = Array("bearer ".utf8)
  let bytes = Array(authorization.utf8)
  guard bytes.count > scheme.count, zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }) else {
    fuzzRequire(result == .failure(.notBearer), "'\(authorization)' is no Bearer value but gave \(result)")
    return
  }
  let token = String(decoding: bytes.dropFirst(scheme.count), as: UTF8.self)
  let direct = Result { () throws(AuthenticationFailure) in try verifier.verify(token) }
  fuzzRequire(
    result == direct,
    "authorization '\(authorization)' gave \(result), its token '\(token)' alone \(direct)")
}

// MARK: - Mode 1: claims signed with a key of the ring

func checkSignedClaims(_ claims: [UInt8]) {
  let key = FuzzKeys.signing
  let signed = "v1.\(key.id).\(Base64URL.encode(claims))"
  let token = signed + "." + Base64URL.encode(Crypto.hmacSHA256(key: key.secret, message: Array(signed.utf8)))
  let verifier = FuzzKeys.verifier(now: FuzzKeys.now, cacheCapacity: 1)
  let result = Result { () throws(AuthenticationFailure) in try verifier.verify(token) }
  let again = Result { () throws(AuthenticationFailure) in try verifier.verify(token) }
  fuzzRequire(result == again, "the same token verified as \(result), then from the cache as \(again)")

  let expected: Result<AccessToken, AuthenticationFailure>
  if token.utf8.count > AccessToken.tokenBytesMax {
    expected = .failure(.malformed)
  } else if let message = try? Courier_V1_TokenClaims(serializedBytes: claims),
    AccessToken.isValidName(message.subject, bytesMax: AccessToken.subjectBytesMax),
    message.scopes.count <= AccessToken.scopesMax
  {
    // The validity window, widened by the skew, in arithmetic that cannot overflow.
    let now = Int128(FuzzKeys.now)
    let skew = Int128(verifier.clockSkewSeconds)
    if !(now < Int128(message.expiresAtSeconds) + skew) {
      expected = .failure(.expired)
    } else if !(Int128(message.issuedAtSeconds) - skew <= now) {
      expected = .failure(.notYetValid)
    } else {
      expected = .success(
        AccessToken(
          subject: message.subject, scopes: message.scopes, issuedAt: message.issuedAtSeconds,
          expiresAt: message.expiresAtSeconds, keyID: key.id))
    }
  } else {
    expected = .failure(.malformed)
  }
  fuzzRequire(result == expected, "claims \(hex(claims)) verified as \(result), expected \(expected)")
}

// MARK: - Mode 2: tokens TokenSigner mints

/// Claims from bytes: issuedAt (8 bytes), lifetime in seconds (2), which byte to change and
/// how (2), then `subject,scope,scope...` and, after a 0x01 byte, text to put between
/// `Bearer ` and the token.
func checkMinted(_ data: [UInt8]) {
  guard data.count >= 12 else { return }
  let issuedAt = data[0..<8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
  let lifetime = Int64(data[8]) << 8 | Int64(data[9])
  let tamperIndex = Int(data[10])
  let tamperBits = data[11]
  let text = data[12...].split(separator: 0x01, maxSplits: 1, omittingEmptySubsequences: false)
  let names = (text.first ?? []).split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    .map { String(decoding: $0, as: UTF8.self) }
  let subject = names.first ?? ""
  let scopes = Array(names.dropFirst())
  let prefix = text.count > 1 ? String(decoding: text[1], as: UTF8.self) : ""
  let claims = AccessToken(
    subject: subject, scopes: scopes, issuedAt: issuedAt, expiresAt: issuedAt &+ lifetime, keyID: FuzzKeys.signing.id)

  let token: String
  do {
    token = try TokenSigner(key: FuzzKeys.signing).sign(claims)
  } catch {
    if case .tooLong = error { return }
    let valid =
      AccessToken.isValidName(subject, bytesMax: AccessToken.subjectBytesMax)
      && scopes.count <= AccessToken.scopesMax
      && scopes.allSatisfy { AccessToken.isValidName($0, bytesMax: AccessToken.scopeBytesMax) }
      && claims.expiresAt > claims.issuedAt
    fuzzRequire(!valid, "valid claims \(claims) refused: \(error)")
    return
  }

  let verifier = FuzzKeys.verifier(now: issuedAt, cacheCapacity: 4)
  for attempt in [token, token] {  // the second one comes from the cache
    let verified = Result { () throws(AuthenticationFailure) in try verifier.verify(attempt) }
    fuzzRequire(verified == .success(claims), "minted \(claims) as \(token), verified as \(verified)")
  }
  for scheme in ["Bearer ", "bearer ", "BEARER "] {
    let verified = Result { () throws(AuthenticationFailure) in try verifier.verify(authorization: scheme + token) }
    fuzzRequire(verified == .success(claims), "'\(scheme)<token>' verified as \(verified)")
  }
  let prefixed = Result { () throws(AuthenticationFailure) in try verifier.verify(authorization: "Bearer " + prefix + token) }
  fuzzRequire(
    (prefixed == .success(claims)) == prefix.isEmpty,
    "'Bearer \(prefix)<token>' (prefix \(hex(prefix.utf8))) verified as \(prefixed)")

  let skew = verifier.clockSkewSeconds
  if claims.expiresAt <= Int64.max - skew {
    let late = FuzzKeys.verifier(now: claims.expiresAt + skew)
    let verified = Result { () throws(AuthenticationFailure) in try late.verify(token) }
    fuzzRequire(verified == .failure(.expired), "verified after its expiry as \(verified)")
  }
  if claims.issuedAt >= Int64.min + skew + 1 {
    let early = FuzzKeys.verifier(now: claims.issuedAt - skew - 1)
    let verified = Result { () throws(AuthenticationFailure) in try early.verify(token) }
    fuzzRequire(verified == .failure(.notYetValid), "verified before its issue as \(verified)")
  }

  guard tamperBits != 0 else { return }
  var tampered = Array(token.utf8)
  tampered[tamperIndex % tampered.count] ^= tamperBits
  let forged = String(decoding: tampered, as: UTF8.self)
  let verified = Result { () throws(AuthenticationFailure) in try verifier.verify(forged) }
  if case .success(let accepted) = verified {
    fuzzFailure("a token with byte \(tamperIndex % tampered.count) changed verified: \(forged) as \(accepted)")
  }
}

// MARK: - Mode 3: key files

func checkKeyFile(_ text: String) {
  let unix = Result { () throws(TokenKeyError) in try TokenKeyRing(keyFile: text) }
  // Windows line ends: the same file with CRLF instead of LF.
  let crlf = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
  guard crlf != text else { return }
  let windows = Result { () throws(TokenKeyError) in try TokenKeyRing(keyFile: crlf) }
  fuzzRequire(unix == windows, "a key file parses as \(unix) with LF line ends and as \(windows) with CRLF")
}

// MARK: - Seeds: real headers, claims, tokens and key files

func authSeeds() -> [Seed] {
  let signer = TokenSigner(key: FuzzKeys.signing)
  let token = try! signer.mint(
    subject: "payments-api", scopes: ["ledger.read", "ledger.write"], lifetime: .seconds(12 * 3_600),
    now: FuzzKeys.now - 60)
  let expired = try! signer.mint(subject: "batch-import", scopes: [], lifetime: .seconds(60), now: FuzzKeys.now - 3_600)
  let otherKey = try! TokenSigner(key: FuzzKeys.older).mint(
    subject: "reporting", scopes: ["ledger.read"], lifetime: .seconds(3_600), now: FuzzKeys.now)
  var claims = Courier_V1_TokenClaims()
  claims.subject = "payments-api"
  claims.scopes = ["ledger.read", "ledger.write"]
  claims.issuedAtSeconds = FuzzKeys.now - 60
  claims.expiresAtSeconds = FuzzKeys.now + 43_200
  var future = claims
  future.issuedAtSeconds = FuzzKeys.now + 3_600
  future.expiresAtSeconds = FuzzKeys.now + 7_200

  func minted(issuedAt: Int64, lifetime: UInt16, tamper: (UInt8, UInt8), _ text: String) -> [UInt8] {
    [2] + (0..<8).map { UInt8(truncatingIfNeeded: issuedAt >> (56 - 8 * $0)) }
      + [UInt8(lifetime >> 8), UInt8(lifetime & 0xff), tamper.0, tamper.1] + Array(text.utf8)
  }
  let secret = Base64URL.encode(FuzzKeys.signing.secret)
  return [
    Seed("authorization-valid", [0] + Array("Bearer \(token)".utf8)),
    Seed("authorization-lowercase-scheme", [0] + Array("bearer \(otherKey)".utf8)),
    Seed("authorization-expired", [0] + Array("Bearer \(expired)".utf8)),
    Seed("authorization-basic", [0] + Array("Basic dXNlcjpwYXNz".utf8)),
    Seed("authorization-malformed", [0] + Array("Bearer v1.fuzz-2026.e30.AAAA".utf8)),
    // A combining mark after the scheme's space joins it in one Character.
    Seed("authorization-combining-mark", [0] + Array("Bearer \u{301}\(token)".utf8)),
    Seed("signed-claims-valid", [1] + claims.serializedBytes()),
    Seed("signed-claims-future", [1] + future.serializedBytes()),
    Seed("signed-claims-empty", [1]),
    Seed("minted-two-scopes", minted(issuedAt: FuzzKeys.now, lifetime: 3_600, tamper: (40, 1), "payments-api,ledger.read,ledger.write")),
    Seed("minted-prefixed", minted(issuedAt: 0, lifetime: 1, tamper: (3, 0x20), "svc\u{01}\u{20}")),
    Seed("minted-invalid-subject", minted(issuedAt: -1, lifetime: 0, tamper: (0, 0), "has space,ledger.read")),
    Seed("key-file", [3] + Array("# <key id> <secret>\n2025-10 \(Base64URL.encode(FuzzKeys.older.secret))\n\n2026-11 \(secret)   # current\n".utf8)),
    Seed("key-file-standard-base64", [3] + Array("k1 q2f0N9XkV3q+8Yd0hX1oI5rQ6m4c6k3JbYz0cT1sW/E=\n".utf8)),
    Seed("key-file-malformed", [3] + Array("k1\nk2 !!!!\n".utf8)),
  ]
}
