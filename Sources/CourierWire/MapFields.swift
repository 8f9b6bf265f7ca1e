// Sizing and writing of `map` fields, which generated code delegates here.
//
// A map entry is a length-delimited field holding the key as field 1 and the value as field 2;
// both are always written, as protoc's and swift-protobuf's encoders do. Entries are written in
// ascending key order, which makes the encoding deterministic (the same map gives the same bytes
// in every process, whatever Dictionary's per-process hash seed). When the values are messages
// the size pass walks the entries in that same order, because the write pass reads the sizes
// back from the `SizeCache` in the order they were recorded.
//
// protobuf allows integer, `bool` and `string` keys. `Bool` is not `Comparable` in Swift, so
// `bool` keys have their own overloads with the same shape; both order keys through `Maps`.

extension FieldSize {
  /// A map: one length-delimited entry per key, key as field 1 and value as field 2.
  @inlinable
  public static func map<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, _ map: [Key.Value: Value.Value], tagSize: Int,
    cache: inout SizeCache
  ) -> Int where Key.Value: Comparable {
    mapSize(Key.self, Value.self, map, tagSize: tagSize, cache: &cache, orderedBy: <)
  }

  /// A map with `bool` keys (`false` first).
  @inlinable
  public static func map<Value: FieldCodec>(
    _ keyCodec: BoolCodec.Type, _ valueCodec: Value.Type, _ map: [Bool: Value.Value], tagSize: Int,
    cache: inout SizeCache
  ) -> Int {
    mapSize(
      BoolCodec.self, Value.self, map, tagSize: tagSize, cache: &cache, orderedBy: Maps.boolPrecedes
    )
  }

  @inlinable
  static func mapSize<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, _ map: [Key.Value: Value.Value], tagSize: Int,
    cache: inout SizeCache, orderedBy precedes: (Key.Value, Key.Value) -> Bool
  ) -> Int {
    guard !map.isEmpty else { return 0 }
    var size = tagSize &* map.count
    if Value.usesSizeCache {
      Maps.forEach(map, orderedBy: precedes) { key, value in
        let slot = cache.reserve()
        let entry = mapEntrySize(Key.self, Value.self, key, value, cache: &cache)
        cache.fill(slot, with: entry)
        size &+= Wire.varintSize(entry) &+ entry
      }
    } else {
      // Sizes do not depend on order here, so the table is walked as it lies.
      for (key, value) in map {
        let entry = mapEntrySize(Key.self, Value.self, key, value, cache: &cache)
        size &+= Wire.varintSize(entry) &+ entry
      }
    }
    return size
  }

  /// The size of an entry's body: two one-byte keys, the key and the value.
  @inlinable @inline(__always)
  static func mapEntrySize<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, _ key: Key.Value, _ value: Value.Value,
    cache: inout SizeCache
  ) -> Int {
    2 &+ Key.size(of: key, cache: &cache) &+ Value.size(of: value, cache: &cache)
  }
}

extension WireWriter {
  /// Writes a map sized by `FieldSize.map`, in ascending key order.
  @inlinable
  public mutating func writeMap<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, tag rawTag: UInt32,
    _ map: [Key.Value: Value.Value]
  ) where Key.Value: Comparable {
    writeMap(Key.self, Value.self, tag: rawTag, map, orderedBy: <)
  }

  /// Writes a map with `bool` keys sized by `FieldSize.map`, `false` first.
  @inlinable
  public mutating func writeMap<Value: FieldCodec>(
    _ keyCodec: BoolCodec.Type, _ valueCodec: Value.Type, tag rawTag: UInt32,
    _ map: [Bool: Value.Value]
  ) {
    writeMap(BoolCodec.self, Value.self, tag: rawTag, map, orderedBy: Maps.boolPrecedes)
  }

  @inlinable
  mutating func writeMap<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, tag rawTag: UInt32,
    _ map: [Key.Value: Value.Value],
    orderedBy precedes: (Key.Value, Key.Value) -> Bool
  ) {
    Maps.forEach(map, orderedBy: precedes) { key, value in
      writeTag(rawTag)
      if Value.usesSizeCache {
        writeLength(nextCachedSize())
      } else {
        // Scalar and string sizes are cheap to recompute, and recomputing them spares the size
        // pass an ordered walk. Keys are never messages, and values are not here, so sizing
        // them leaves the cache untouched; passing the writer's own avoids making one.
        writeLength(FieldSize.mapEntrySize(Key.self, Value.self, key, value, cache: &sizeCache))
      }
      writeTag(FieldTag(fieldNumber: 1, wireType: Key.wireType).rawValue)
      Key.write(key, to: &self)
      writeTag(FieldTag(fieldNumber: 2, wireType: Value.wireType).rawValue)
      Value.write(value, to: &self)
    }
  }
}

/// Deterministic iteration over maps.
public enum Maps {
  /// Calls `body` for each entry in ascending key order; allocates only for more than 2 entries.
  @inlinable
  public static func forEachInKeyOrder<Key: Comparable, Value>(
    _ map: [Key: Value], _ body: (Key, Value) -> Void
  ) {
    forEach(map, orderedBy: <, body)
  }

  /// Calls `body` for each entry of `map`, ordered by `precedes` (a strict total order on the
  /// keys); allocates only for more than 2 entries.
  @inlinable @inline(__always)
  static func forEach<Key, Value>(
    _ map: [Key: Value], orderedBy precedes: (Key, Key) -> Bool, _ body: (Key, Value) -> Void
  ) {
    guard map.count > 2 else {
      // One pass of an iterator over the hash table; most maps on the wire are this small.
      var entries = map.makeIterator()
      guard var first = entries.next() else { return }
      var second = entries.next()
      if let other = second, precedes(other.key, first.key) {
        second = first
        first = other
      }
      body(first.key, first.value)
      if let second { body(second.key, second.value) }
      return
    }
    for entry in map.sorted(by: { precedes($0.key, $1.key) }) { body(entry.key, entry.value) }
  }

  /// The order of `bool` map keys: `false` before `true`.
  @inlinable
  static func boolPrecedes(_ lhs: Bool, _ rhs: Bool) -> Bool { !lhs && rhs }
}
