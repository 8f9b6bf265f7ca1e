/// Why a sequence of bytes is not a valid encoding of a message.
///
/// Decoding untrusted bytes never traps: every malformed input ends in one of these, and the
/// value being decoded is left unchanged (decoding builds a new value and only returns it whole).
public enum WireDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The input ended in the middle of a field key, a value or a length prefix.
  case truncated
  /// A varint ran past 10 bytes, or its 10th byte carried more than the 64th bit.
  case overlongVarint
  /// A field key carried wire type 6 or 7, or an end-group key without its start.
  case invalidWireType(UInt8)
  /// A field key carried field number 0, or one above 2^29 - 1.
  case invalidFieldNumber(UInt64)
  /// A length prefix declared more bytes than remain in the enclosing message.
  case lengthPastEnd(declared: UInt64, available: Int)
  /// A `string` field held bytes that are not valid UTF-8.
  case invalidUTF8(fieldNumber: Int)
  /// Messages (or groups in unknown fields) were nested deeper than the decoder's limit.
  case nestingTooDeep(limit: Int)
  /// A packed `fixed32`/`fixed64` run had a length that is not a multiple of its element size.
  case invalidPackedLength(fieldNumber: Int)

  public var description: String {
    switch self {
    case .truncated: return "truncated input: it ends inside a field"
    case .overlongVarint: return "malformed varint: longer than 10 bytes"
    case .invalidWireType(let type): return "invalid wire type \(type)"
    case .invalidFieldNumber(let number): return "invalid field number \(number)"
    case .lengthPastEnd(let declared, let available):
      return "length \(declared) runs past the end of the input (\(available) bytes left)"
    case .invalidUTF8(let field): return "field \(field): string is not valid UTF-8"
    case .nestingTooDeep(let limit): return "messages nested deeper than the limit of \(limit)"
    case .invalidPackedLength(let field):
      return "field \(field): packed length is not a multiple of the element size"
    }
  }
}

/// Limits that bound the work and memory of one decode.
public struct DecodingOptions: Sendable, Hashable {
  /// How deep messages (and groups inside unknown fields) may nest. protobuf's default is 100.
  public var nestingDepthMax: Int

  /// Creates decoding options; the defaults suit untrusted input.
  public init(nestingDepthMax: Int = 100) {
    precondition(nestingDepthMax >= 1, "nestingDepthMax must be at least 1, got \(nestingDepthMax)")
    self.nestingDepthMax = nestingDepthMax
  }
}
