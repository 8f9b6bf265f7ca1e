// Sizing and writing of `repeated` and `map` fields, which generated code delegates here.
//
// Size and write passes must visit nested messages in the same order, because the write pass
// reads the sizes that the size pass recorded (see `SizeCache`). Maps are therefore always
// walked in ascending key order in the write pass, and in the size pass too whenever the
// values use the cache. Ascending key order also makes the encoding deterministic: the same map
// gives the same bytes in every process, whatever Dictionary's per-process hash seed.

extension FieldCodec {
  /// Whether sizing a value records entries in the size cache (only messages do).
  @inlinable public static var usesSizeCache: Bool { false }
}

extension MessageCodec {
  @inlinable public static var usesSizeCache: Bool { true }
}

/// Sizes of repeated and map fields, for generated `computeSize(cache:)`.
public enum FieldSize {
  /// A packed repeated scalar: one key, the payload length, the values. Records the payload
  /// length in the cache (for varints it is a sum over the values). Empty arrays take 0 bytes.
  @inlinable
  public static func packed<Codec: PackableCodec>(
    _ codec: Codec.Type, _ values: [Codec.Value], tagSize: Int, cache: inout SizeCache
  ) -> Int {
    guard !values.isEmpty else { return 0 }
    let payload: Int
    if let width = Codec.fixedWidth {
      payload = width * values.count
    } else {
      let slot = cache.reserve()
      var sum = 0
      for value in values { sum &+= Codec.size(of: value, cache: &cache) }
      cache.fill(slot, with: sum)
      payload = sum
    }
    return tagSize + Wire.varintSize(payload) + payload
  }

  /// A repeated field written one key per value (strings, bytes, messages).
  @inlinable
  public static func unpacked<Codec: FieldCodec>(
    _ codec: Codec.Type, _ values: [Codec.Value], tagSize: Int, cache: inout SizeCache
  ) -> Int {
    var size = tagSize * values.count
    for value in values { size &+= Codec.size(of: value, cache: &cache) }
    return size
  }

  /// A map: one length-delimited entry per key, key as field 1 and value as field 2.
  @inlinable
  public static func map<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, _ map: [Key.Value: Value.Value], tagSize: Int,
    cache: inout SizeCache
  ) -> Int where Key.Value: Comparable {
    guard !map.isEmpty else { return 0 }
    var size = tagSize * map.count
    if Value.usesSizeCache {
      Maps.forEachInKeyOrder(map) { key, value in
        let slot = cache.reserve()
        let entry = 2 + Key.size(of: key, cache: &cache) + Value.size(of: value, cache: &cache)
        cache.fill(slot, with: entry)
        size &+= Wire.varintSize(entry) + entry
      }
    } else {
      for (key, value) in map {
        let entry = 2 + Key.size(of: key, cache: &cache) + Value.size(of: value, cache: &cache)
        size &+= Wire.varintSize(entry) + entry
      }
    }
    return size
  }
}

extension WireWriter {
  /// Writes a packed repeated scalar sized by `FieldSize.packed`.
  @inlinable
  public mutating func writePacked<Codec: PackableCodec>(_ codec: Codec.Type, tag rawTag: UInt32, _ values: [Codec.Value]) {
    guard !values.isEmpty else { return }
    writeTag(rawTag)
    if let width = Codec.fixedWidth {
      writeLength(width * values.count)
    } else {
      writeLength(nextCachedSize())
    }
    for value in values { Codec.write(value, to: &self) }
  }

  /// Writes a repeated field one key per value.
  @inlinable
  public mutating func writeUnpacked<Codec: FieldCodec>(_ codec: Codec.Type, tag rawTag: UInt32, _ values: [Codec.Value]) {
    for value in values {
      writeTag(rawTag)
      Codec.write(value, to: &self)
    }
  }

  /// Writes a map sized by `FieldSize.map`, in ascending key order.
  @inlinable
  public mutating func writeMap<Key: FieldCodec, Value: FieldCodec>(
    _ keyCodec: Key.Type, _ valueCodec: Value.Type, tag rawTag: UInt32, _ map: [Key.Value: Value.Value]
  ) where Key.Value: Comparable {
    Maps.forEachInKeyOrder(map) { key, value in
      writeTag(rawTag)
      if Value.usesSizeCache {
        writeLength(nextCachedSize())
      } else {
        var unused = SizeCache()
        writeLength(2 + Key.size(of: key, cache: &unused) + Value.size(of: value, cache: &unused))
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
    switch map.count {
    case 0:
      return
    case 1:
      let entry = map[map.startIndex]
      body(entry.key, entry.value)
    case 2:
      let first = map[map.startIndex]
      let second = map[map.index(after: map.startIndex)]
      if first.key < second.key {
        body(first.key, first.value)
        body(second.key, second.value)
      } else {
        body(second.key, second.value)
        body(first.key, first.value)
      }
    default:
      for entry in map.sorted(by: { $0.key < $1.key }) { body(entry.key, entry.value) }
    }
  }
}
