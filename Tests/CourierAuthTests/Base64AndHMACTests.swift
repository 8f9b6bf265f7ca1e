@testable import CourierAuth
import Testing

@Suite("Base64URL and HMAC-SHA256")
struct Base64AndHMACTests {
  /// RFC 4648 §10 test vectors, in the URL-safe alphabet without padding.
  @Test(arguments: [
    ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
    ("foobar", "Zm9vYmFy"),
  ])
  func rfc4648Vectors(_ text: String, _ encoded: String) {
    #expect(Base64URL.encode(Array(text.utf8)) == encoded)
    #expect(Base64URL.decode(encoded) == Array(text.utf8))
  }

  @Test func theURLSafeAlphabetIsUsed() {
    #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
    #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
  }

  @Test func everyLengthRoundTrips() {
    var generator = SystemRandomNumberGenerator()
    for count in 0..<70 {
      let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
      #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
    }
  }

  @Test(arguments: ["Zg==", "Z", "Zm9v!", "Zm 9v", "Zh", "Zm9=", "+/+/", "Zm9vY"])
  func nonCanonicalTextIsRejected(_ text: String) {
    #expect(Base64URL.decode(text) == nil)
  }

  @Test func lenientDecodingTakesStandardBase64WithPadding() {
    #expect(Base64URL.decode("+/+/", lenient: true) == [0xFB, 0xFF, 0xBF])
    #expect(Base64URL.decode("Zg==", lenient: true) == Array("f".utf8))
  }

  /// RFC 4231 test cases 1, 2 and 6 (the last with a key longer than the block size).
  @Test func rfc4231Vectors() {
    #expect(
      hex(Crypto.hmacSHA256(key: [UInt8](repeating: 0x0B, count: 20), message: Array("Hi There".utf8)))
        == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    #expect(
      hex(Crypto.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    #expect(
      hex(
        Crypto.hmacSHA256(
          key: [UInt8](repeating: 0xAA, count: 131),
          message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
        == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
  }

  @Test func constantTimeComparison() {
    #expect(Crypto.constantTimeEqual([1, 2, 3], [1, 2, 3]))
    #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2, 4]))
    #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2]))
    #expect(Crypto.constantTimeEqual([], []))
  }

  @Test func randomBytesDiffer() {
    let a = Crypto.randomBytes(32)
    let b = Crypto.randomBytes(32)
    #expect(a.count == 32 && a != b)
  }

  private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }
}
