/// Key-value pairs sent with a call (headers) or at its end (trailers).
///
/// Keys are lowercase ASCII (`a-z 0-9 - _ .`); keys ending in `-bin` carry arbitrary bytes,
/// all others printable ASCII text. A key may repeat; order is kept.
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral,
  CustomStringConvertible
{
  /// One value: text for ordinary keys, bytes for `-bin` keys.
  public enum Value: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }

    case string(String)
    case binary([UInt8])

    public var description: String {
      switch self {
      case .string(let text): return text
      case .binary(let bytes): return "<\(bytes.count) bytes>"
      }
    }
  }

  /// One entry.
  public struct Entry: Sendable, Hashable {
    public var key: String
    public var value: Value

    public init(key: String, value: Value) {
      self.key = key
      self.value = value
    }
  }

  /// The entries in the order they were added.
  public private(set) var entries: [Entry] = []

  /// No entries.
  public init() {}

  public init(dictionaryLiteral elements: (String, Value)...) {
    for (key, value) in elements {
      switch value {
      case .string(let text): addString(text, forKey: key)
      case .binary(let bytes): addBinary(bytes, forKey: key)
      }
    }
  }

  /// Metadata holding the given text values.
  public init(_ elements: [(String, String)]) {
    for (key, value) in elements { addString(value, forKey: key) }
  }

  public var isEmpty: Bool { entries.isEmpty }
  public var count: Int { entries.count }

  /// Whether `key` is a valid metadata key (lowercase ASCII letters, digits, `-`, `_`, `.`).
  public static func isValidKey(_ key: String) -> Bool {
    !key.isEmpty
      && key.utf8.allSatisfy { byte in
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
          || byte == 0x5F || byte == 0x2E
      }
  }

  /// Whether `value` may be sent as text (printable ASCII, space to tilde).
  public static func isValidTextValue(_ value: String) -> Bool {
    value.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
  }

  /// Adds a text value; `key` is lowercased. Traps on a key that can never be valid or a
  /// `-bin` key (use `addBinary`): those are programmer errors.
  public mutating func addString(_ value: String, forKey key: String) {
    let key = key.lowercased()
    precondition(Self.isValidKey(key), "invalid metadata key \"\(key)\"")
    precondition(!key.hasSuffix("-bin"), "metadata key \"\(key)\" ends in -bin: use addBinary")
    entries.append(Entry(key: key, value: .string(value)))
  }

  /// Adds a binary value; `key` must end in `-bin`.
  public mutating func addBinary(_ value: [UInt8], forKey key: String) {
    let key = key.lowercased()
    precondition(Self.isValidKey(key), "invalid metadata key \"\(key)\"")
    precondition(key.hasSuffix("-bin"), "binary metadata key \"\(key)\" must end in -bin")
    entries.append(Entry(key: key, value: .binary(value)))
  }

  /// Adds an entry as received from the network, without the traps of `addString`.
  public mutating func append(_ entry: Entry) {
    entries.append(entry)
  }

  /// Removes every value for `key`.
  public mutating func removeAll(forKey key: String) {
    let key = key.lowercased()
    entries.removeAll { $0.key == key }
  }

  /// Every value for `key`, in order.
  public subscript(key: String) -> [Value] {
    let key = key.lowercased()
    return entries.filter { $0.key == key }.map(\.value)
  }

  /// The first text value for `key`.
  public func firstString(forKey key: String) -> String? {
    for value in self[key] { if case .string(let text) = value { return text } }
    return nil
  }

  /// The first binary value for `key`.
  public func firstBinary(forKey key: String) -> [UInt8]? {
    for value in self[key] { if case .binary(let bytes) = value { return bytes } }
    return nil
  }

  /// Appends every entry of `other`.
  public mutating func add(contentsOf other: Metadata) {
    entries.append(contentsOf: other.entries)
  }

  public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

  public var description: String {
    "[" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
  }
}
