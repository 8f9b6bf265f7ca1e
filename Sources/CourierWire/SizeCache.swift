/// Sizes of nested messages, computed once by the size pass and read back by the write pass.
///
/// Encoding is two passes over the message tree. The size pass walks it in pre-order and
/// `reserve()`s one slot per nested message *before* descending into it, then `fill`s the slot;
/// the write pass walks the same tree in the same order and takes the sizes back with
/// `next()`. So every size is computed exactly once, whatever the depth, and messages without
/// nested messages never allocate a cache at all.
public struct SizeCache: Sendable {
  @usableFromInline var sizes: [Int] = []
  @usableFromInline var readIndex: Int = 0

  @inlinable
  public init() {}

  /// Reserves the slot for the nested message about to be sized; returns its index.
  @inlinable
  public mutating func reserve() -> Int {
    if sizes.capacity == 0 { sizes.reserveCapacity(8) }
    sizes.append(0)
    return sizes.count - 1
  }

  /// Records the size of the nested message whose slot `reserve()` returned.
  @inlinable
  public mutating func fill(_ slot: Int, with size: Int) {
    sizes[slot] = size
  }

  /// The next size recorded by the size pass, in pre-order.
  @inlinable
  public mutating func next() -> Int {
    precondition(
      readIndex < sizes.count,
      "size cache exhausted at \(readIndex): the write pass walked more nested messages than the size pass"
    )
    defer { readIndex += 1 }
    return sizes[readIndex]
  }
}
