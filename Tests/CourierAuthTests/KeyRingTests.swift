import CourierAuth
import Foundation
import Testing

@Suite("Key rings and key files")
struct KeyRingTests {
  @Test func aKeyFileListsKeysAndTheLastOneSigns() throws {
    let first = try TokenKey.generate(id: "2026-10")
    let second = try TokenKey.generate(id: "2026-11")
    let text = """
      # rotated monthly
      \(first.keyFileLine)

      \(second.keyFileLine)   # current
      """
    let ring = try TokenKeyRing(keyFile: text)
    #expect(ring.keys.map(\.id) == ["2026-10", "2026-11"])
    #expect(ring.signingKey == second)
    #expect(ring.key(id: "2026-10") == first)
  }

  /// Found by the auth-token fuzz target: "\r\n" is one Character in Swift, so splitting lines
  /// at "\n" read a file with Windows line ends as one line (`malformedLine(1)`).
  @Test func windowsLineEndsParseLikeUnixOnes() throws {
    let unix = "k1 q2f0N9XkV3q+8Yd0hX1oI5rQ6m4c6k3JbYz0cT1sW/E=\n"
    #expect(try TokenKeyRing(keyFile: "k1 q2f0N9XkV3q+8Yd0hX1oI5rQ6m4c6k3JbYz0cT1sW/E=\r\n") == TokenKeyRing(keyFile: unix))
    let file = "# rotated monthly\r\n\r\nk1 \(String(repeating: "A", count: 43))\r\nk2 \(String(repeating: "B", count: 42))A  # current\r\n"
    let ring = try TokenKeyRing(keyFile: file)
    #expect(ring.keys.map(\.id) == ["k1", "k2"])
    #expect(throws: TokenKeyError.malformedLine(3)) { try TokenKeyRing(keyFile: "# keys\r\n\r\nk1\r\n") }
  }

  @Test func standardBase64SecretsFromOtherToolsAreAccepted() throws {
    // `openssl rand -base64 32` output.
    let ring = try TokenKeyRing(keyFile: "k1 q2f0N9XkV3q+8Yd0hX1oI5rQ6m4c6k3JbYz0cT1sW/E=\n")
    #expect(ring.keys.count == 1)
  }

  @Test(arguments: [
    ("", TokenKeyError.empty), ("# only a comment\n", .empty), ("k1\n", .malformedLine(1)),
    ("\nk1 !!!!\n", .malformedLine(2)), ("k1 a b\n", .malformedLine(1)),
    ("k1 AAAA\n", .invalidSecretLength(id: "k1", bytes: 3)),
    ("bad.id AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", .invalidID("bad.id")),
    ("k AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nk BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA\n", .duplicateID("k")),
  ])
  func badKeyFilesSayWhatIsWrong(_ text: String, _ error: TokenKeyError) {
    #expect(throws: error) { try TokenKeyRing(keyFile: text) }
  }

  @Test func loadingReadsTheFileAndReportsAMissingOne() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let key = try TokenKey.generate(id: "k1")
    try (key.keyFileLine + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try TokenKeyRing.load(path: path).signingKey == key)
    let missing = #expect(throws: TokenKeyError.self) { try TokenKeyRing.load(path: path + ".missing") }
    #expect(missing.map { "\($0)" }?.contains("No such file") == true)
  }

  @Test func aKeyNeverPrintsItsSecret() throws {
    let key = try TokenKey.generate(id: "k1")
    #expect("\(key)" == "TokenKey(k1)")
    #expect(!String(reflecting: key).contains(String(key.keyFileLine.dropFirst(3))))
  }
}
