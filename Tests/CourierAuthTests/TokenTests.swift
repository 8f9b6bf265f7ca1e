@testable import CourierAuth
import CourierCore
import Testing

@Suite("Access tokens")
struct TokenTests {
  static let now: Int64 = 1_800_000_000
  let current = try! TokenKey(id: "2026-11", secret: [UInt8](repeating: 7, count: 32))
  let previous = try! TokenKey(id: "2026-10", secret: [UInt8](repeating: 9, count: 32))

  func verifier(_ keys: [TokenKey], at time: Int64 = now, cache: Int = 4_096) -> TokenVerifier {
    TokenVerifier(keys: try! TokenKeyRing(keys), cacheCapacity: cache, now: { time })
  }

  func mint(_ key: TokenKey, scopes: [String] = ["ledger.read"], lifetime: Duration = .seconds(3_600)) -> String {
    try! TokenSigner(key: key).mint(subject: "payments-api", scopes: scopes, lifetime: lifetime, now: Self.now)
  }

  @Test func aMintedTokenVerifiesWithItsClaims() throws {
    let token = mint(current, scopes: ["ledger.read", "ledger.write"])
    #expect(token.hasPrefix("v1.2026-11."))
    let claims = try verifier([current]).verify(token)
    #expect(claims.subject == "payments-api")
    #expect(claims.scopes == ["ledger.read", "ledger.write"])
    #expect(claims.issuedAt == Self.now && claims.expiresAt == Self.now + 3_600)
    #expect(claims.keyID == "2026-11")
    #expect(claims.grants("ledger.write") && !claims.grants("ledger.admin"))
  }

  @Test func bothKeysOfARotationAreAccepted() throws {
    let ring = verifier([previous, current])
    #expect(try ring.verify(mint(previous)).keyID == "2026-10")
    #expect(try ring.verify(mint(current)).keyID == "2026-11")
    // Once the old key is removed, its tokens stop working.
    #expect(throws: AuthenticationFailure.unknownKey) { try verifier([current]).verify(mint(previous)) }
  }

  @Test func aTokenSignedWithAnotherSecretUnderTheSameIDIsForged() throws {
    let impostor = try TokenKey(id: "2026-11", secret: [UInt8](repeating: 8, count: 32))
    #expect(throws: AuthenticationFailure.badSignature) { try verifier([current]).verify(mint(impostor)) }
  }

  @Test func anyAlteredCharacterIsDetected() throws {
    let token = mint(current)
    let verifier = verifier([current], cache: 0)
    let characters = Array(token)
    for index in characters.indices where characters[index] != "." {
      var altered = characters
      altered[index] = characters[index] == "A" ? "B" : "A"
      #expect(throws: AuthenticationFailure.self) { try verifier.verify(String(altered)) }
    }
  }

  @Test func escalatingScopesInTheClaimsBreaksTheSignature() throws {
    let parts = mint(current).split(separator: ".").map(String.init)
    let escalated = try TokenSigner(key: previous).sign(
      AccessToken(subject: "payments-api", scopes: ["ledger.write"], issuedAt: Self.now, expiresAt: Self.now + 60, keyID: "x"))
    let claims = escalated.split(separator: ".").map(String.init)[2]
    let spliced = [parts[0], parts[1], claims, parts[3]].joined(separator: ".")
    #expect(throws: AuthenticationFailure.badSignature) { try verifier([current]).verify(spliced) }
  }

  @Test(arguments: [
    ("", AuthenticationFailure.malformed), ("v1.2026-11.abc", .malformed), ("v1.2026-11.a.b.c", .malformed),
    ("v2.2026-11.a.b", .unsupportedVersion), ("v1.nope.a.b", .unknownKey), ("v1.2026-11.a.b", .malformed),
    ("v1.2026-11.a.\(String(repeating: "A", count: 43))", .badSignature),
  ])
  func malformedTokensAreRejected(_ token: String, _ failure: AuthenticationFailure) {
    #expect(throws: failure) { try verifier([current]).verify(token) }
  }

  @Test func anOversizedTokenIsRejectedBeforeAnyWork() {
    let token = "v1.2026-11." + String(repeating: "A", count: AccessToken.tokenBytesMax) + ".x"
    #expect(throws: AuthenticationFailure.malformed) { try verifier([current]).verify(token) }
  }

  @Test func expiryAndClockSkew() throws {
    let token = mint(current, lifetime: .seconds(60))
    let expiry = Self.now + 60
    #expect(try verifier([current], at: expiry + 29).verify(token).subject == "payments-api")
    #expect(throws: AuthenticationFailure.expired) { try verifier([current], at: expiry + 30).verify(token) }
    #expect(try verifier([current], at: Self.now - 30).verify(token).subject == "payments-api")
    #expect(throws: AuthenticationFailure.notYetValid) { try verifier([current], at: Self.now - 31).verify(token) }
  }

  /// Found by the auth-token fuzz target: the skew was added with wrapping arithmetic, so a
  /// token the signer accepted, issued at Int64.min or expiring at Int64.max, never verified.
  @Test func validityAtTheEndsOfTimeDoesNotWrap() throws {
    let signer = TokenSigner(key: current)
    let ancient = try signer.sign(
      AccessToken(subject: "pa", scopes: [], issuedAt: .min, expiresAt: .min + 16, keyID: current.id))
    #expect(try verifier([current], at: .min).verify(ancient).issuedAt == .min)
    #expect(throws: AuthenticationFailure.expired) { try verifier([current], at: .min + 46).verify(ancient) }
    let endless = try signer.sign(
      AccessToken(subject: "pa", scopes: [], issuedAt: Self.now, expiresAt: .max, keyID: current.id))
    #expect(try verifier([current]).verify(endless).expiresAt == .max)
    #expect(try verifier([current], at: .max).verify(endless).subject == "pa")
    #expect(throws: AuthenticationFailure.notYetValid) { try verifier([current], at: Self.now - 31).verify(endless) }
  }

  @Test func aRememberedTokenStillExpires() throws {
    let clock = Clock(Self.now)
    let verifier = TokenVerifier(keys: try TokenKeyRing([current]), now: { clock.now })
    let token = mint(current, lifetime: .seconds(60))
    _ = try verifier.verify(token)
    clock.now = Self.now + 120
    #expect(throws: AuthenticationFailure.expired) { try verifier.verify(token) }
  }

  @Test(arguments: [
    ("Bearer ", AuthenticationFailure.notBearer), ("Basic dXNlcjpwYXNz", .notBearer), ("Bearer", .notBearer),
    ("Bearer v1.x", .malformed),
  ])
  func authorizationValues(_ value: String, _ failure: AuthenticationFailure) {
    #expect(throws: failure) { try verifier([current]).verify(authorization: value) }
  }

  /// Found by the auth-token fuzz target: the scheme was dropped as 7 Characters, and a
  /// combining mark after its space is part of the 7th, so `Bearer \u{301}<token>` verified.
  @Test func theTokenIsExactlyTheBytesAfterTheScheme() throws {
    let token = mint(current)
    #expect(try verifier([current]).verify(authorization: "Bearer " + token).subject == "payments-api")
    #expect(throws: AuthenticationFailure.unsupportedVersion) {
      try verifier([current]).verify(authorization: "Bearer \u{301}" + token)
    }
  }

  @Test func theBearerSchemeIsCaseInsensitive() throws {
    let token = mint(current)
    #expect(try verifier([current]).verify(authorization: "bearer \(token)").subject == "payments-api")
    #expect(try verifier([current]).verify(authorization: "BEARER \(token)").subject == "payments-api")
    #expect(throws: AuthenticationFailure.missingCredentials) { try verifier([current]).verify(authorization: nil) }
  }

  @Test func mintingChecksItsClaims() {
    let signer = TokenSigner(key: current)
    #expect(throws: TokenMintingError.invalidSubject("a b")) {
      try signer.mint(subject: "a b", scopes: [], lifetime: .seconds(1))
    }
    #expect(throws: TokenMintingError.invalidScope("")) {
      try signer.mint(subject: "a", scopes: [""], lifetime: .seconds(1))
    }
    #expect(throws: TokenMintingError.self) { try signer.mint(subject: "a", scopes: [], lifetime: .zero) }
    #expect(throws: TokenMintingError.self) {
      try signer.mint(subject: "a", scopes: [], lifetime: .seconds(TokenSigner.lifetimeSecondsMax + 1))
    }
    #expect(throws: TokenMintingError.tooManyScopes(65)) {
      try signer.mint(subject: "a", scopes: (0..<65).map { "s\($0)" }, lifetime: .seconds(1))
    }
  }

  /// Found by the auth-token fuzz target: claims expiring long before they were issued trapped
  /// (arithmetic overflow computing the lifetime for the error) instead of being refused.
  @Test func claimsExpiringAgesBeforeTheirIssueAreRefused() {
    let signer = TokenSigner(key: current)
    let claims = AccessToken(subject: "a", scopes: [], issuedAt: .max - 6, expiresAt: .min + 9, keyID: current.id)
    #expect(throws: TokenMintingError.invalidLifetime(.seconds(Int64.min + 9) - .seconds(Int64.max - 6))) {
      try signer.sign(claims)
    }
  }
}

/// A settable clock for the verifier.
final class Clock: Sendable {
  private let seconds: LockedValue<Int64>
  init(_ now: Int64) { seconds = LockedValue(now) }
  var now: Int64 {
    get { seconds.withLock { $0 } }
    set { seconds.withLock { $0 = newValue } }
  }
}
