/// Copying of short byte runs, shared by the writer (field payloads) and the reader (strings).
@usableFromInline
enum ByteCopy {
  /// Copies `count` bytes between buffers that do not overlap.
  ///
  /// Field payloads are mostly short (names, ids, currency codes), where two overlapping loads
  /// and stores beat a call to `memcpy`; they never touch a byte outside `0..<count` of either
  /// side.
  @inlinable @inline(__always)
  static func copy(
    _ count: Int, from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer
  ) {
    if count >= 8 && count <= 16 {
      let head = source.loadUnaligned(as: UInt64.self)
      let tail = source.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
      destination.storeBytes(of: head, as: UInt64.self)
      destination.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
    } else if count >= 4 && count < 8 {
      let head = source.loadUnaligned(as: UInt32.self)
      let tail = source.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
      destination.storeBytes(of: head, as: UInt32.self)
      destination.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
    } else if count > 0 && count < 4 {
      // 1, 2 or 3 bytes: first, middle and last cover them all.
      let middle = count &>> 1
      destination.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
      destination.storeBytes(
        of: source.load(fromByteOffset: middle, as: UInt8.self), toByteOffset: middle,
        as: UInt8.self)
      destination.storeBytes(
        of: source.load(fromByteOffset: count &- 1, as: UInt8.self), toByteOffset: count &- 1,
        as: UInt8.self)
    } else if count > 16 {
      destination.copyMemory(from: source, byteCount: count)
    }
  }
}
