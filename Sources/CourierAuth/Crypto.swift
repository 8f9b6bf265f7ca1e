import CCrypto

/// The cryptography access tokens need, all of it OpenSSL's libcrypto: nothing here is written
/// by hand beyond the calls.
enum Crypto {
  /// The length of an HMAC-SHA256 code, in bytes.
  static let macByteCount = 32

  /// HMAC-SHA256 of `message` under `key` (RFC 2104 with SHA-256).
  static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var code = [UInt8](repeating: 0, count: macByteCount)
    var length: UInt32 = 0
    let result = key.withUnsafeBufferPointer { key in
      message.withUnsafeBufferPointer { message in
        code.withUnsafeMutableBufferPointer { code in
          HMAC(
            EVP_sha256(), key.baseAddress, Int32(key.count), message.baseAddress, message.count, code.baseAddress,
            &length)
        }
      }
    }
    // HMAC fails only when OpenSSL cannot allocate; no input makes it fail.
    precondition(result != nil && length == UInt32(macByteCount), "OpenSSL HMAC-SHA256 failed")
    return code
  }

  /// Whether `a` and `b` are equal, in time that depends only on their length (so a forger
  /// learns nothing from how long a comparison took).
  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    guard !a.isEmpty else { return true }
    return a.withUnsafeBytes { a in b.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) } }
      == 0
  }

  /// `count` bytes from OpenSSL's cryptographically secure generator.
  static func randomBytes(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
    // RAND_bytes fails only when the system's entropy source is unusable: nothing safe to do.
    precondition(status == 1, "OpenSSL RAND_bytes failed: the system has no usable entropy source")
    return bytes
  }
}
