import CourierAuth

#if canImport(Glibc)
  import Glibc
#endif

/// The soak's authentication, as production runs it: a key the server is started with
/// (`--auth-keys`), a token for the legitimate load and the abusers' calls, and the tokens the
/// `bad-tokens` abuser tries, each of which the server must refuse.
struct SoakCredentials: Sendable {
  /// The key file's contents, one `<id> <secret>` line (`courier-token keygen`'s format).
  let keyFile: String
  /// Grants `ledger.read` and `ledger.write` for a week.
  let valid: String
  /// Signed with the server's key, expired an hour ago.
  let expired: String
  /// Well-formed and unexpired, signed with a key of the same id the server does not hold.
  let forged: String
  /// Valid, but grants `ledger.read` only.
  let readOnly: String

  /// A fresh key and its tokens.
  /// - Throws: `SoakError` when a token cannot be made (not expected: the claims are fixed).
  static func make() throws -> SoakCredentials {
    do {
      let key = try TokenKey.generate(id: "soak")
      let signer = TokenSigner(key: key)
      let scopes = ["ledger.read", "ledger.write"]
      let now = WallClock.seconds()
      return SoakCredentials(
        keyFile: key.keyFileLine + "\n",
        valid: try signer.mint(subject: "ledger-soak", scopes: scopes, lifetime: .seconds(7 * 86_400)),
        expired: try signer.sign(
          AccessToken(subject: "ledger-soak", scopes: scopes, issuedAt: now - 7_200, expiresAt: now - 3_600, keyID: key.id)),
        forged: try TokenSigner(key: TokenKey.generate(id: "soak")).mint(
          subject: "ledger-soak", scopes: scopes, lifetime: .seconds(86_400)),
        readOnly: try signer.mint(subject: "ledger-soak-reader", scopes: ["ledger.read"], lifetime: .seconds(7 * 86_400)))
    } catch {
      throw SoakError("cannot make the soak's key and tokens: \(error)")
    }
  }

  /// Writes the key file at `path`, readable by this user only.
  /// - Throws: `SoakError` when it cannot.
  func writeKeyFile(to path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw SoakError("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    let bytes = Array(keyFile.utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count else { throw SoakError("cannot write \(path): \(String(cString: strerror(errno)))") }
  }
}
