// Sizing and writing of `repeated` fields, which generated code delegates here.
//
// Size and write passes must visit nested messages in the same order, because the write pass
// reads the sizes that the size pass recorded (see `SizeCache`); arrays are walked front to back
// in both.

extension FieldCodec {
  /// Scalars, strings and bytes size themselves without the cache.
  @inlinable public static var usesSizeCache: Bool { false }
}

extension MessageCodec {
  /// A message records its size (and its nested messages' sizes) in the cache.
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
}

extension WireWriter {
  /// Writes a packed repeated scalar sized by `FieldSize.packed`.
  @inlinable
  public mutating func writePacked<Codec: PackableCodec>(
    _ codec: Codec.Type, tag rawTag: UInt32, _ values: [Codec.Value]
  ) {
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
  public mutating func writeUnpacked<Codec: FieldCodec>(
    _ codec: Codec.Type, tag rawTag: UInt32, _ values: [Codec.Value]
  ) {
    for value in values {
      writeTag(rawTag)
      Codec.write(value, to: &self)
    }
  }
}
