// Decoding of map fields.
//
// A Dictionary that grows entry by entry reallocates its table at 1, 2, 4, ... entries, and
// `reserveCapacity` cannot help: it is not inlinable, so it runs unspecialized and looks the
// table's type up at run time (over 1,000 instructions). So when a map starts empty, the run
// of entries that follows (encoders write a map's entries together) is decoded into stack
// memory first and the table is built once, at its final size, by an initializer that is
// specialized for the key and value types.

extension WireReader {
  /// Reads one map entry (key field 1, value field 2; either may be missing and then takes its
  /// default) and stores it in `map`, replacing an earlier value for the same key. When `map`
  /// is empty, also reads the entries of the same field that immediately follow.
  ///
  /// - Throws: `.nestingTooDeep` past the nesting limit; any error of the keys or the values.
  @inlinable
  public mutating func readMapEntry<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, into map: inout [Key.Value: Value.Value]
  ) throws(WireDecodingError) where Key.Value: Hashable {
    if map.isEmpty {
      let run = countRun(wireType: .lengthDelimited)
      let entryStride = Swift.max(1, MemoryLayout<(Key.Value, Value.Value)>.stride)
      let batch = Swift.min(run, Self.mapRunBatchBytesMax / entryStride)
      if batch > 1 {
        try readMapRun(Key.self, Value.self, count: batch, into: &map)
        return
      }
    }
    let (key, value) = try readMapEntryBody(Key.self, Value.self)
    map[key] = value
  }

  /// How much stack memory entries may take before the table is built; the entries of a
  /// longer run are inserted one by one. It stays within what `withUnsafeTemporaryAllocation`
  /// always places on the stack, and small enough for decoding nested up to the depth limit.
  @inlinable
  static var mapRunBatchBytesMax: Int { 1024 }

  /// Reads the `count` entries of a run that `countRun` measured (the first key already read)
  /// and builds `map` from them; equal keys keep the last value, as protobuf requires.
  @inlinable
  mutating func readMapRun<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, count: Int,
    into map: inout [Key.Value: Value.Value]
  ) throws(WireDecodingError) where Key.Value: Hashable {
    let keyLength = position &- lastTagStart
    try withUnsafeTemporaryAllocation(of: (Key.Value, Value.Value).self, capacity: count) {
      (entries: UnsafeMutableBufferPointer<(Key.Value, Value.Value)>) throws(WireDecodingError) in
      let first = entries.baseAddress.unsafelyUnwrapped
      var initialized = 0
      defer { first.deinitialize(count: initialized) }
      while initialized < count {
        if initialized > 0 {
          // `countRun` compared these key bytes with the first key's: the same field follows.
          lastTagStart = position
          position &+= keyLength
        }
        (first + initialized).initialize(to: try readMapEntryBody(Key.self, Value.self))
        initialized &+= 1
      }
      // The entries are moved into the table, not copied: nothing is left to destroy (a
      // generic destroy of the tuples would go through the runtime's value witnesses).
      let entryCount = initialized
      initialized = 0
      map = Dictionary(MovingEntries(base: first, count: entryCount), uniquingKeysWith: { $1 })
    }
  }

  /// Reads the length and body of one map entry.
  @inlinable
  mutating func readMapEntryBody<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type
  ) throws(WireDecodingError) -> (Key.Value, Value.Value) {
    let length = try readLength()
    guard depth < depthMax else { throw .nestingTooDeep(limit: depthMax) }
    let outerEnd = end
    depth &+= 1
    end = position &+ length
    var key = Key.defaultValue
    var value = Value.defaultValue
    while let tag = try nextTag() {
      switch (tag.fieldNumber, tag.wireType) {
      case (1, Key.wireType): key = try Key.read(from: &self, fieldNumber: 1)
      case (2, Value.wireType): value = try Value.read(from: &self, fieldNumber: 2)
      default: try skipValue(tag)
      }
    }
    end = outerEnd
    depth &-= 1
    return (key, value)
  }
}

/// The entries of a buffer, moved out one by one as they are iterated; the buffer ends up
/// uninitialized. Iterate it exactly once, completely.
@usableFromInline
struct MovingEntries<Element>: Sequence, IteratorProtocol {
  @usableFromInline let base: UnsafeMutablePointer<Element>
  @usableFromInline let count: Int
  @usableFromInline var index = 0

  @inlinable
  init(base: UnsafeMutablePointer<Element>, count: Int) {
    self.base = base
    self.count = count
  }

  @inlinable
  var underestimatedCount: Int { count &- index }

  @inlinable
  mutating func next() -> Element? {
    guard index < count else { return nil }
    defer { index &+= 1 }
    return (base + index).move()
  }
}
