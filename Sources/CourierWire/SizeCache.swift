/// Sizes of nested messages, computed once by the size pass and read back by the write pass.
///
/// Encoding is two passes over the message tree. The size pass walks it in pre-order and
/// `reserve()`s one slot per nested message *before* descending into it, then `fill`s the slot;
/// the write pass walks the same tree in the same order and takes the sizes back with
/// `next()`. So every size is computed exactly once, whatever the depth.
///
/// The first `inlineCapacity` sizes live inside the value itself, so a message with a handful
/// of nested messages (or packed varint runs) encodes without allocating a cache; only the
/// sizes beyond them go to a heap array.
public struct SizeCache: Sendable {
  /// How many sizes are kept without allocating.
  @usableFromInline static var inlineCapacity: Int { 8 }

  @usableFromInline var inlineSizes: (Int, Int, Int, Int, Int, Int, Int, Int) = (
    0, 0, 0, 0, 0, 0, 0, 0
  )
  /// Sizes from slot `inlineCapacity` on; `nil` (not an empty array) until needed, so that
  /// creating and dropping a cache that never overflows costs no reference counting.
  @usableFromInline var overflowSizes: [Int]? = nil
  @usableFromInline var count: Int = 0
  @usableFromInline var readIndex: Int = 0

  /// An empty cache.
  @inlinable
  public init() {}

  /// Reserves the slot for the nested message about to be sized; returns its index.
  @inlinable
  public mutating func reserve() -> Int {
    let slot = count
    if slot >= Self.inlineCapacity {
      if overflowSizes == nil { overflowSizes = [] }
      overflowSizes!.append(0)
    }
    count = slot &+ 1
    return slot
  }

  /// Records the size of the nested message whose slot `reserve()` returned.
  @inlinable
  public mutating func fill(_ slot: Int, with size: Int) {
    precondition(
      slot >= 0 && slot < count, "size cache slot \(slot) was never reserved (\(count) reserved)")
    if slot < Self.inlineCapacity {
      withUnsafeMutableBytes(of: &inlineSizes) { raw in
        raw.storeBytes(of: size, toByteOffset: slot &* MemoryLayout<Int>.stride, as: Int.self)
      }
    } else {
      overflowSizes![slot &- Self.inlineCapacity] = size
    }
  }

  /// The next size recorded by the size pass, in pre-order.
  @inlinable
  public mutating func next() -> Int {
    let slot = readIndex
    precondition(
      slot < count,
      "size cache exhausted at \(slot): the write pass walked more nested messages than the size pass"
    )
    readIndex = slot &+ 1
    if slot < Self.inlineCapacity {
      return withUnsafeBytes(of: &inlineSizes) { raw in
        raw.load(fromByteOffset: slot &* MemoryLayout<Int>.stride, as: Int.self)
      }
    }
    return overflowSizes![slot &- Self.inlineCapacity]
  }
}
