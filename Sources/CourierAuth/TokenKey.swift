#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// A secret that signs and verifies access tokens, named by an id that travels in each token
/// so a verifier holding several keys knows which one to check against.
public struct TokenKey: Sendable, Hashable, CustomStringConvertible {
  /// The key's name: 1 to 64 characters from `A-Z a-z 0-9 - _`, e.g. `2026-11`.
  public let id: String
  /// The secret bytes (32 to 256). Never logged: ``description`` shows the id only.
  let secret: [UInt8]

  /// The shortest secret accepted: as long as the HMAC-SHA256 output, as RFC 2104 advises.
  public static let secretBytesMin = 32
  /// The longest secret accepted.
  public static let secretBytesMax = 256
  /// The length of the secrets ``generate(id:)`` makes.
  public static let generatedSecretBytes = 32

  /// A key from its id and secret.
  /// - Throws: `TokenKeyError.invalidID` or `.invalidSecretLength`.
  public init(id: String, secret: [UInt8]) throws(TokenKeyError) {
    guard Self.isValidID(id) else { throw .invalidID(id) }
    guard (Self.secretBytesMin...Self.secretBytesMax).contains(secret.count) else {
      throw .invalidSecretLength(id: id, bytes: secret.count)
    }
    self.id = id
    self.secret = secret
  }

  /// A new key with a random 32-byte secret from OpenSSL's secure generator.
  /// - Throws: `TokenKeyError.invalidID`.
  public static func generate(id: String) throws(TokenKeyError) -> TokenKey {
    try TokenKey(id: id, secret: Crypto.randomBytes(generatedSecretBytes))
  }

  /// The key as one line of a key file: `<id> <secret in base64url>`.
  public var keyFileLine: String { "\(id) \(Base64URL.encode(secret))" }

  /// `TokenKey(<id>)`; the secret is never printed.
  public var description: String { "TokenKey(\(id))" }

  static func isValidID(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= 64
      && id.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
          UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
          true
        default: false
        }
      }
  }
}

/// Every key a service accepts tokens from, and the one it signs new tokens with.
///
/// Rotation: add the new key to every verifier's ring, then mint with it, then remove the old
/// key once the longest-lived token it signed has expired. A ring is read from a key file:
///
/// ```
/// # <key id> <secret, base64url or base64>; every key listed verifies, the last one signs.
/// 2026-10 3q2-7wQZ9k0H...
/// 2026-11 Yk1dJ4xS0p2t...
/// ```
public struct TokenKeyRing: Sendable, Hashable {
  /// The keys, in file order; ids are unique.
  public let keys: [TokenKey]

  /// The largest key file read, in bytes.
  public static let fileBytesMax = 1 << 20

  /// A ring of `keys`.
  /// - Throws: `TokenKeyError.empty` or `.duplicateID`.
  public init(_ keys: [TokenKey]) throws(TokenKeyError) {
    guard !keys.isEmpty else { throw .empty }
    var seen: Set<String> = []
    for key in keys where !seen.insert(key.id).inserted { throw .duplicateID(key.id) }
    self.keys = keys
  }

  /// Parses key-file text: one `<id> <secret>` per line (LF or CRLF line ends); blank lines and
  /// `#` comments are skipped; secrets in base64url or standard base64.
  /// - Throws: `TokenKeyError.malformedLine` with its 1-based line number, or any error of
  ///   ``TokenKey/init(id:secret:)`` and ``init(_:)``.
  public init(keyFile text: String) throws(TokenKeyError) {
    var keys: [TokenKey] = []
    // "\r\n" is one Character, so splitting at "\n" alone would keep a CRLF file on one line.
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    for (index, line) in lines.enumerated() {
      let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
      let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
      if fields.isEmpty { continue }
      guard fields.count == 2, let secret = Base64URL.decode(fields[1], lenient: true) else {
        throw .malformedLine(index + 1)
      }
      keys.append(try TokenKey(id: String(fields[0]), secret: secret))
    }
    try self.init(keys)
  }

  /// Reads and parses the key file at `path`.
  /// - Throws: `TokenKeyError.unreadable` when it cannot be read or exceeds ``fileBytesMax``,
  ///   else the errors of ``init(keyFile:)``.
  public static func load(path: String) throws(TokenKeyError) -> TokenKeyRing {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4_096)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      bytes += chunk[..<count]
      guard bytes.count <= fileBytesMax else {
        throw .unreadable(path: path, reason: "larger than \(fileBytesMax) bytes")
      }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .unreadable(path: path, reason: "not UTF-8 text")
    }
    return try TokenKeyRing(keyFile: text)
  }

  /// The key named `id`, if the ring has it.
  public func key(id: some StringProtocol) -> TokenKey? { keys.first { $0.id == id } }

  /// The key new tokens are signed with: the last one.
  public var signingKey: TokenKey { keys[keys.count - 1] }
}

/// A key or key file that cannot be used.
public enum TokenKeyError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The id is empty, longer than 64 characters, or has characters outside `A-Z a-z 0-9 - _`.
  case invalidID(String)
  /// The secret is shorter than 32 or longer than 256 bytes.
  case invalidSecretLength(id: String, bytes: Int)
  /// Two keys share an id.
  case duplicateID(String)
  /// No keys at all.
  case empty
  /// A key-file line is not `<id> <base64 secret>` (1-based line number).
  case malformedLine(Int)
  /// The key file cannot be read.
  case unreadable(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidID(let id):
      "invalid key id '\(id)': use 1 to 64 characters from A-Z a-z 0-9 - _"
    case .invalidSecretLength(let id, let bytes):
      "the secret of key '\(id)' is \(bytes) bytes; use \(TokenKey.secretBytesMin) to \(TokenKey.secretBytesMax)"
    case .duplicateID(let id): "two keys have the id '\(id)'"
    case .empty: "no keys: a key file needs at least one '<id> <secret>' line"
    case .malformedLine(let line): "key file line \(line) is not '<id> <base64 secret>'"
    case .unreadable(let path, let reason): "cannot read the key file \(path): \(reason)"
    }
  }
}
