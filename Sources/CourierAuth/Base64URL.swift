/// Base64 with the URL and filename safe alphabet of RFC 4648 §5, without padding: the
/// encoding of every part of an access token.
enum Base64URL {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  /// `bytes` as base64url text without `=` padding.
  static func encode(_ bytes: some Collection<UInt8>) -> String {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count * 4 + 2) / 3)
    var iterator = bytes.makeIterator()
    while let first = iterator.next() {
      let second = iterator.next()
      let third = iterator.next()
      let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
      output.append(alphabet[Int(group >> 18 & 63)])
      output.append(alphabet[Int(group >> 12 & 63)])
      if second != nil { output.append(alphabet[Int(group >> 6 & 63)]) }
      if third != nil { output.append(alphabet[Int(group & 63)]) }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// The bytes `text` encodes, or `nil` when it is not canonical base64url: a character outside
  /// the alphabet, padding, a length that no byte count produces, or nonzero unused bits.
  ///
  /// With `lenient`, the standard alphabet (`+` and `/`) and trailing `=` padding are accepted
  /// too, for secrets made by other tools (`openssl rand -base64 32`).
  static func decode(_ text: some StringProtocol, lenient: Bool = false) -> [UInt8]? {
    var characters = Array(text.utf8)
    if lenient {
      while characters.last == UInt8(ascii: "=") { characters.removeLast() }
    }
    guard characters.count % 4 != 1 else { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(characters.count * 3 / 4)
    var group: UInt32 = 0
    var bits = 0
    for character in characters {
      guard let value = sextet(character, lenient: lenient) else { return nil }
      group = group << 6 | UInt32(value)
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8(truncatingIfNeeded: group >> UInt32(bits)))
        group &= (1 << UInt32(bits)) - 1
      }
    }
    // The bits left over pad the last character; canonical encodings leave them zero.
    guard group == 0 else { return nil }
    return output
  }

  private static func sextet(_ character: UInt8, lenient: Bool) -> UInt8? {
    switch character {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
    case UInt8(ascii: "-"): 62
    case UInt8(ascii: "_"): 63
    case UInt8(ascii: "+") where lenient: 62
    case UInt8(ascii: "/") where lenient: 63
    default: nil
    }
  }
}
