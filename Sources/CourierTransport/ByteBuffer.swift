/// A growable byte buffer with separate read and write positions, for socket I/O.
///
/// ```
/// +-------------------+------------------+------------------+
/// | discardable bytes |  readable bytes  |  writable bytes  |
/// +-------------------+------------------+------------------+
/// 0           readerIndex          writerIndex         capacity
/// ```
///
/// Invariant: `0 <= readerIndex <= writerIndex <= capacity`. `read…` methods move
/// `readerIndex`, `write…` methods move `writerIndex`; `discardReadBytes()` moves the readable
/// bytes to the front so a connection's read buffer is reused rather than reallocated.
struct ByteBuffer {
  private(set) var storage: [UInt8]
  private(set) var readerIndex = 0
  private(set) var writerIndex = 0

  init(capacity: Int = 0) {
    storage = [UInt8](repeating: 0, count: capacity)
  }

  var capacity: Int { storage.count }
  var readableBytes: Int { writerIndex - readerIndex }
  var writableBytes: Int { capacity - writerIndex }
  var isEmpty: Bool { readerIndex == writerIndex }

  /// Makes room for at least `count` more bytes after `writerIndex`, compacting before growing.
  /// Growth allocates a larger array and copies only the readable bytes into it.
  mutating func reserveWritable(_ count: Int) {
    guard writableBytes < count else { return }
    // Compact in place only when that frees at least half the storage: compacting for a few
    // freed bytes at a time would copy a large backlog once per append (quadratic).
    if readerIndex > 0 && readerIndex >= capacity / 2 { discardReadBytes() }
    guard writableBytes < count else { return }
    let readable = readableBytes
    var newCapacity = Swift.max(capacity, 256)
    while newCapacity - readable < count { newCapacity *= 2 }
    var grown = [UInt8](repeating: 0, count: newCapacity)
    if readable > 0 {
      let from = readerIndex
      grown.withUnsafeMutableBytes { target in
        storage.withUnsafeBytes { source in
          target.baseAddress!.copyMemory(from: source.baseAddress! + from, byteCount: readable)
        }
      }
    }
    storage = grown
    readerIndex = 0
    writerIndex = readable
  }

  /// Moves the readable bytes to the start of the storage.
  mutating func discardReadBytes() {
    guard readerIndex > 0 else { return }
    let readable = readableBytes
    if readable > 0 {
      let from = readerIndex
      storage.withUnsafeMutableBytes { raw in
        let base = raw.baseAddress!
        (base).copyMemory(from: base + from, byteCount: readable)
      }
    }
    readerIndex = 0
    writerIndex = readable
  }

  /// Empties the buffer, keeping its storage.
  mutating func clear() {
    readerIndex = 0
    writerIndex = 0
  }

  /// Shrinks storage that grew for one large frame back to `capacity` once it is empty.
  mutating func shrinkIfEmpty(toCapacity target: Int) {
    guard isEmpty, capacity > target * 4 else { return }
    storage = [UInt8](repeating: 0, count: target)
    readerIndex = 0
    writerIndex = 0
  }

  // MARK: - Writing

  /// Lets `body` write up to `count` bytes at `writerIndex`; it returns how many it wrote.
  mutating func writeWithUnsafeMutableBytes(
    minimumWritableBytes count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int
  ) rethrows -> Int {
    reserveWritable(count)
    let start = writerIndex
    let written = try storage.withUnsafeMutableBytes { raw in
      try body(UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
    }
    precondition(written >= 0 && written <= capacity - start, "wrote \(written) bytes into \(capacity - start)")
    writerIndex += written
    return written
  }

  mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    reserveWritable(bytes.count)
    let start = writerIndex
    storage.withUnsafeMutableBytes { raw in
      (raw.baseAddress! + start).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    }
    writerIndex += bytes.count
  }

  mutating func writeBytes(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { writeBytes($0) }
  }

  mutating func writeUInt8(_ value: UInt8) {
    reserveWritable(1)
    storage[writerIndex] = value
    writerIndex += 1
  }

  mutating func writeUInt16(_ value: UInt16) {
    writeInteger(value.bigEndian)
  }

  mutating func writeUInt32(_ value: UInt32) {
    writeInteger(value.bigEndian)
  }

  private mutating func writeInteger<T: FixedWidthInteger>(_ bigEndianValue: T) {
    let size = MemoryLayout<T>.size
    reserveWritable(size)
    let start = writerIndex
    storage.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: bigEndianValue, toByteOffset: start, as: T.self)
    }
    writerIndex += size
  }

  /// Overwrites 4 bytes at `index` (inside the written region) with `value`, big-endian.
  mutating func setUInt32(_ value: UInt32, at index: Int) {
    precondition(index >= 0 && index + 4 <= writerIndex, "setUInt32 at \(index) outside 0..<\(writerIndex)")
    storage.withUnsafeMutableBytes { raw in
      raw.storeBytes(of: value.bigEndian, toByteOffset: index, as: UInt32.self)
    }
  }

  // MARK: - Reading

  /// The big-endian `UInt32` at `readerIndex + offset`, without moving `readerIndex`.
  func getUInt32(at offset: Int) -> UInt32? {
    guard offset >= 0, readableBytes >= offset + 4 else { return nil }
    let index = readerIndex + offset
    return storage.withUnsafeBytes { raw in
      UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt32.self))
    }
  }

  func getUInt8(at offset: Int) -> UInt8? {
    guard offset >= 0, readableBytes > offset else { return nil }
    return storage[readerIndex + offset]
  }

  /// Calls `body` with the next `count` readable bytes, without moving `readerIndex`.
  func withReadableBytes<Result>(
    offset: Int = 0, count: Int, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) rethrows -> Result {
    precondition(offset >= 0 && count >= 0 && offset + count <= readableBytes, "range outside the readable bytes")
    let start = readerIndex + offset
    return try storage.withUnsafeBytes { raw in
      try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + count)]))
    }
  }

  /// Copies the next `count` readable bytes out (after `offset`), without moving `readerIndex`.
  func getBytes(offset: Int = 0, count: Int) -> [UInt8] {
    withReadableBytes(offset: offset, count: count) { [UInt8]($0) }
  }

  mutating func moveReaderIndex(forwardBy count: Int) {
    precondition(count >= 0 && count <= readableBytes, "cannot skip \(count) of \(readableBytes) readable bytes")
    readerIndex += count
    if readerIndex == writerIndex {
      readerIndex = 0
      writerIndex = 0
    }
  }
}
