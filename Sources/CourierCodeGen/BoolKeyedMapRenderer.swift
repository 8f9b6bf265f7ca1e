// Maps with `bool` keys are sized and written inline: the runtime's `FieldSize.map` and
// `WireWriter.writeMap` walk keys in ascending order and so require `Comparable` keys, which
// `Bool` is not. The inline code walks `false` then `true`, the same order in both passes.

/// Renders the size and write passes of one `map<bool, V>` field.
struct BoolKeyedMapRenderer {
  /// The expression of the stored map.
  let map: String
  let tagSize: Int
  let number: Int
  let value: FieldValueKind

  /// Map entries are messages: key field 1, value field 2, both always written.
  private var valueTag: UInt32 { WireKey.rawTag(fieldNumber: 2, wireType: value.wireType) }
  private var usesSizeCache: Bool {
    if case .message = value { return true }
    return false
  }

  /// The size of an entry's body: two one-byte keys, one byte of `bool`, then the value.
  private func entrySize(cache: String) -> String {
    if let width = value.fixedWidth { return "\(3 + width)" }
    return "3 &+ \(value.codec).size(of: value, cache: &\(cache))"
  }

  func renderSize(into writer: inout SourceWriter) {
    if let width = value.fixedWidth {
      // Every entry has the same size: key, length (one byte), two keys, the bool, the value.
      writer.line("size &+= \(map).count &* \(tagSize + 1 + 3 + width)")
      return
    }
    writer.block("for key in [false, true] {") { loop in
      loop.line("guard let value = \(map)[key] else { continue }")
      if usesSizeCache {
        loop.line("let slot = cache.reserve()")
        loop.line("let entry = \(entrySize(cache: "cache"))")
        loop.line("cache.fill(slot, with: entry)")
      } else {
        loop.line("let entry = \(entrySize(cache: "cache"))")
      }
      loop.line("size &+= \(tagSize) &+ CourierWire.Wire.varintSize(entry) &+ entry")
    }
  }

  func renderEncode(into writer: inout SourceWriter) {
    let tag = WireKey.rawTag(fieldNumber: number, wireType: 2)
    writer.block("for key in [false, true] {") { loop in
      loop.line("guard let value = \(map)[key] else { continue }")
      loop.line("writer.writeTag(\(tag))")
      if usesSizeCache {
        loop.line("writer.writeLength(writer.nextCachedSize())")
      } else if value.fixedWidth != nil {
        loop.line("writer.writeLength(\(entrySize(cache: "unused")))")
      } else {
        loop.line("var scratch = CourierWire.SizeCache()")
        loop.line("writer.writeLength(\(entrySize(cache: "scratch")))")
      }
      loop.line("writer.writeTag(8); writer.writeBool(key)")
      loop.line("writer.writeTag(\(valueTag)); \(value.writeStatement("value"))")
    }
  }
}
