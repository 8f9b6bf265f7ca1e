/// A protobuf message: a Swift value that can be encoded to and decoded from the wire format.
///
/// `courier-gen` writes the conformances; the requirements below are the contract between the
/// generated code and this runtime, and user code calls the extension methods instead
/// (`serializedBytes()`, `init(serializedBytes:)`).
public protocol Message: Sendable, Hashable {
  /// A message with every field at its default.
  init()

  /// The fully qualified protobuf name, e.g. `bench.v1.TransferRequest`.
  static var protoMessageName: String { get }

  /// Fields the decoder did not know, written back unchanged.
  var unknownFields: UnknownFields { get set }

  /// Decodes fields until the reader's current message ends, merging into `self`.
  mutating func decodeFields(from reader: inout WireReader) throws(WireDecodingError)

  /// The encoded size in bytes of the fields (not counting any enclosing length prefix);
  /// records the sizes of nested messages in `cache`, in pre-order.
  func computeSize(cache: inout SizeCache) -> Int

  /// Writes the fields; `writer` holds the cache that `computeSize` filled.
  func encodeFields(to writer: inout WireWriter)
}

extension Message {
  /// Decodes a message from `bytes`.
  ///
  /// - Throws: `WireDecodingError` when the bytes are not a valid encoding; nothing is kept.
  @inlinable
  public init(serializedBytes bytes: [UInt8], options: DecodingOptions = DecodingOptions())
    throws(WireDecodingError)
  {
    var decoded = Self()
    try decoded.decodeFields(fromArray: bytes, options: options)
    self = decoded
  }

  /// Decodes a message from borrowed memory (for example a slice of a transport buffer).
  @inlinable
  public init(serializedBytes bytes: UnsafeRawBufferPointer, options: DecodingOptions = DecodingOptions())
    throws(WireDecodingError)
  {
    self.init()
    var reader = WireReader(bytes: bytes, options: options)
    try decodeFields(from: &reader)
  }

  /// Decodes `bytes` and merges the fields into `self`: scalars are replaced, repeated fields
  /// appended, messages merged. On error `self` is unchanged.
  @inlinable
  public mutating func merge(serializedBytes bytes: [UInt8], options: DecodingOptions = DecodingOptions())
    throws(WireDecodingError)
  {
    var merged = self
    try merged.decodeFields(fromArray: bytes, options: options)
    self = merged
  }

  @inlinable
  mutating func decodeFields(fromArray bytes: [UInt8], options: DecodingOptions) throws(WireDecodingError) {
    // Array.withUnsafeBytes rethrows untyped errors, so the typed error is carried out by hand.
    var failure: WireDecodingError?
    bytes.withUnsafeBytes { raw in
      var reader = WireReader(bytes: raw, options: options)
      do throws(WireDecodingError) {
        try decodeFields(from: &reader)
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
  }

  /// The encoded size in bytes.
  @inlinable
  public var serializedSize: Int {
    var cache = SizeCache()
    return computeSize(cache: &cache)
  }

  /// Encodes the message into a new array of exactly its size.
  @inlinable
  public func serializedBytes() -> [UInt8] {
    var cache = SizeCache()
    let size = computeSize(cache: &cache)
    // `Array(unsafeUninitializedCapacity: 0)` writes the count of the shared empty-array
    // storage, which ThreadSanitizer reports when two threads encode empty messages at once.
    guard size > 0 else { return [] }
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
      var writer = WireWriter(base: UnsafeMutableRawPointer(buffer.baseAddress!), capacity: size, sizeCache: cache)
      encodeFields(to: &writer)
      precondition(writer.offset == size, "encoded \(writer.offset) bytes, size pass said \(size)")
      initialized = size
    }
  }

  /// Encodes the message and appends it to `bytes` (for example after a frame header).
  @inlinable
  public func serialize(appendingTo bytes: inout [UInt8]) {
    var cache = SizeCache()
    let size = computeSize(cache: &cache)
    guard size > 0 else { return }
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: size))
    bytes.withUnsafeMutableBytes { raw in
      var writer = WireWriter(base: raw.baseAddress! + start, capacity: size, sizeCache: cache)
      encodeFields(to: &writer)
      precondition(writer.offset == size, "encoded \(writer.offset) bytes, size pass said \(size)")
    }
  }
}

/// A protobuf enum: open, so numbers the schema does not name survive a round trip.
public protocol ProtoEnum: Sendable, Hashable {
  /// The enum's value for `rawValue`; unknown numbers map to the unrecognized case.
  init(rawValue: Int32)
  /// The number on the wire.
  var rawValue: Int32 { get }
  /// The first value declared, number 0 (proto3's default).
  init()
}
