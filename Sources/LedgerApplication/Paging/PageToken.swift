import LedgerDomain

/// Page sizes as callers send them: 0 means the default, anything above the maximum is an error
/// (silently shrinking it would make a caller's "page_size = 5000" lie about what it got).
enum PageSize {
  /// The page size when the caller sends 0.
  static let defaultValue = 100
  /// The largest page a caller may ask for.
  static let maximum = 1_000

  /// - Throws: `.invalidArgument` (field `page_size`) unless `requested` is in `0...1000`.
  static func resolve(_ requested: Int) throws(LedgerError) -> Int {
    guard requested >= 0 && requested <= maximum else {
      throw .invalidArgument(field: "page_size", reason: "must be 0 to \(maximum) (0 means \(defaultValue)), got \(requested)")
    }
    return requested == 0 ? defaultValue : requested
  }
}

/// Opaque page tokens: the cursor of the last item of a page, tagged with what it is a cursor
/// of, in unpadded base64url so it survives URLs and logs untouched.
///
/// Opaque so the format can change; tagged so a token from one list cannot be fed to another
/// (an account list's token to a transfer list, one account's transfer token to another's).
enum PageToken {
  private static let accountTag = "a1"
  private static let transferTag = "t1"
  private static let separator: Character = "."
  /// Tokens longer than this are rejected before decoding: no cursor needs more.
  private static let encodedLengthMax = 256

  static func accounts(after id: AccountID) -> String {
    Base64URL.encode(Array("\(accountTag)\(separator)\(id.rawValue)".utf8))
  }

  /// The account id an account-list token points after; nil for the empty (first page) token.
  /// - Throws: `.invalidArgument` (field `page_token`) when the token is not one of ours.
  static func accountCursor(_ token: String) throws(LedgerError) -> AccountID? {
    guard !token.isEmpty else { return nil }
    let parts = try fields(token)
    guard parts.count == 2, parts[0] == accountTag, let id = try? AccountID(parts[1]) else { throw malformed }
    return id
  }

  static func transfers(of accountID: AccountID, after sequence: Int64) -> String {
    Base64URL.encode(Array("\(transferTag)\(separator)\(accountID.rawValue)\(separator)\(sequence)".utf8))
  }

  /// The sequence a transfer-list token of `accountID` points after; 0 for the empty token.
  /// - Throws: `.invalidArgument` (field `page_token`) when the token is not one of ours or
  ///   belongs to another account's list.
  static func transferCursor(_ token: String, accountID: AccountID) throws(LedgerError) -> Int64 {
    guard !token.isEmpty else { return 0 }
    let parts = try fields(token)
    guard parts.count == 3, parts[0] == transferTag, let sequence = Int64(parts[2]), sequence >= 0 else {
      throw malformed
    }
    guard parts[1] == accountID.rawValue else {
      throw .invalidArgument(field: "page_token", reason: "belongs to another account's transfer list")
    }
    return sequence
  }

  private static var malformed: LedgerError {
    .invalidArgument(field: "page_token", reason: "is not a token from a previous response of this list")
  }

  private static func fields(_ token: String) throws(LedgerError) -> [String] {
    guard token.utf8.count <= encodedLengthMax, let bytes = Base64URL.decode(token),
      let text = String(validating: bytes, as: UTF8.self)
    else { throw malformed }
    return text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
  }
}

/// Unpadded base64url (RFC 4648 §5), because the standard library has none and tokens must not
/// need escaping anywhere.
enum Base64URL {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count * 4 + 2) / 3)
    var index = 0
    while index < bytes.count {
      let chunk = bytes[index..<min(index + 3, bytes.count)]
      var value: UInt32 = 0
      for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
      for position in 0..<(chunk.count + 1) {
        output.append(alphabet[Int((value >> (18 - 6 * position)) & 0x3F)])
      }
      index += 3
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// The bytes `text` encodes, or nil if it is not canonical unpadded base64url.
  static func decode(_ text: String) -> [UInt8]? {
    let characters = Array(text.utf8)
    guard characters.count % 4 != 1 else { return nil }
    var output: [UInt8] = []
    var index = 0
    while index < characters.count {
      let chunk = characters[index..<min(index + 4, characters.count)]
      var value: UInt32 = 0
      for (offset, character) in chunk.enumerated() {
        guard let digit = sextet(character) else { return nil }
        value |= UInt32(digit) << (18 - 6 * offset)
      }
      let byteCount = chunk.count - 1
      for position in 0..<byteCount { output.append(UInt8((value >> (16 - 8 * position)) & 0xFF)) }
      // Bits past the last whole byte must be zero, or two texts would decode to one value.
      let usedBits = 8 * byteCount
      guard value & ((1 << (24 - usedBits)) - 1) == 0 else { return nil }
      index += 4
    }
    return output
  }

  private static func sextet(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
    case UInt8(ascii: "-"): 62
    case UInt8(ascii: "_"): 63
    default: nil
    }
  }
}
