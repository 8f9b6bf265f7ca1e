import Testing

@testable import CourierTransport

/// `ByteBuffer`: `0 <= readerIndex <= writerIndex <= capacity`, big-endian integers, reads
/// that move the reader index and gets that do not, compaction before growth.
@Suite struct ByteBufferTests {
  static func expectInvariant(
    _ buffer: ByteBuffer, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(
      0 <= buffer.readerIndex && buffer.readerIndex <= buffer.writerIndex
        && buffer.writerIndex <= buffer.capacity,
      "reader \(buffer.readerIndex), writer \(buffer.writerIndex), capacity \(buffer.capacity)",
      sourceLocation: sourceLocation)
    #expect(
      buffer.readableBytes == buffer.writerIndex - buffer.readerIndex,
      sourceLocation: sourceLocation)
  }

  @Test func integersAreBigEndianAndGetsDoNotMove() {
    var buffer = ByteBuffer()
    buffer.writeUInt32(0x0102_0304)
    buffer.writeUInt16(0x0506)
    buffer.writeUInt8(0x07)
    Self.expectInvariant(buffer)
    #expect(buffer.readAll() == [1, 2, 3, 4, 5, 6, 7])
    #expect(buffer.getUInt32(at: 0) == 0x0102_0304)
    #expect(buffer.getUInt32(at: 3) == 0x0405_0607)
    #expect(buffer.getUInt32(at: 4) == nil)
    #expect(buffer.getUInt8(at: 6) == 7)
    #expect(buffer.getUInt8(at: 7) == nil)
    #expect(buffer.getUInt8(at: -1) == nil)
    #expect(buffer.readerIndex == 0 && buffer.writerIndex == 7)
  }

  @Test func setOverwritesInPlace() {
    var buffer = ByteBuffer()
    buffer.writeBytes([0, 0, 0, 0, 9])
    buffer.setUInt32(0xdead_beef, at: 0)
    #expect(buffer.readAll() == [0xde, 0xad, 0xbe, 0xef, 9])
    #expect(buffer.writerIndex == 5)
  }

  @Test func readingEverythingResetsBothIndices() {
    var buffer = ByteBuffer(capacity: 16)
    buffer.writeBytes([1, 2, 3, 4])
    buffer.moveReaderIndex(forwardBy: 3)
    #expect(buffer.readerIndex == 3)
    #expect(buffer.getUInt8(at: 0) == 4)
    buffer.moveReaderIndex(forwardBy: 1)
    #expect(buffer.readerIndex == 0 && buffer.writerIndex == 0 && buffer.isEmpty)
    #expect(buffer.capacity == 16)
    Self.expectInvariant(buffer)
  }

  @Test func discardReadBytesMovesTheRestToTheFront() {
    var buffer = ByteBuffer(capacity: 8)
    buffer.writeBytes([1, 2, 3, 4, 5, 6])
    buffer.moveReaderIndex(forwardBy: 4)
    buffer.discardReadBytes()
    #expect(buffer.readerIndex == 0 && buffer.writerIndex == 2)
    #expect(buffer.readAll() == [5, 6])
    Self.expectInvariant(buffer)
  }

  @Test func reserveCompactsBeforeGrowing() {
    var buffer = ByteBuffer(capacity: 8)
    buffer.writeBytes([1, 2, 3, 4, 5, 6, 7])
    buffer.moveReaderIndex(forwardBy: 5)
    // 1 byte free at the end, 5 reclaimable at the front: 4 more fit without growing.
    buffer.writeBytes([8, 9, 10, 11])
    #expect(buffer.capacity == 8)
    #expect(buffer.readerIndex == 0)
    #expect(buffer.readAll() == [6, 7, 8, 9, 10, 11])
    Self.expectInvariant(buffer)
  }

  @Test func growthDoublesAndKeepsTheBytes() {
    var buffer = ByteBuffer(capacity: 0)
    buffer.writeUInt8(1)
    #expect(buffer.capacity == 256)
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
    buffer.writeBytes(bytes)
    #expect(buffer.capacity == 1024)
    #expect(buffer.readAll() == [1] + bytes)
    Self.expectInvariant(buffer)
  }

  @Test func writeWithUnsafeMutableBytesAdvancesByWhatWasWritten() {
    var buffer = ByteBuffer(capacity: 4)
    let written = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 100) { space in
      #expect(space.count >= 100)
      space[0] = 42
      space[1] = 43
      return 2
    }
    #expect(written == 2)
    #expect(buffer.readAll() == [42, 43])
    Self.expectInvariant(buffer)
  }

  @Test func shrinkIfEmptyReleasesGrownStorage() {
    var buffer = ByteBuffer(capacity: 16)
    buffer.writeBytes([UInt8](repeating: 0, count: 1000))
    buffer.shrinkIfEmpty(toCapacity: 16)
    #expect(buffer.capacity >= 1000)  // not empty: kept
    buffer.moveReaderIndex(forwardBy: 1000)
    buffer.shrinkIfEmpty(toCapacity: 16)
    #expect(buffer.capacity == 16)
    Self.expectInvariant(buffer)
  }

  @Test func randomOperationsKeepTheInvariantAndTheBytes() {
    var generator = SplitMix64(seed: 0x5eed)
    var buffer = ByteBuffer(capacity: 8)
    var model: [UInt8] = []
    var next: UInt8 = 0
    for _ in 0..<5000 {
      switch generator.next() % 4 {
      case 0, 1:
        let count = Int(generator.next() % 40)
        let bytes = (0..<count).map { _ in
          next &+= 1
          return next
        }
        buffer.writeBytes(bytes)
        model += bytes
      case 2:
        let count = Int(generator.next() % UInt64(model.count + 1))
        buffer.moveReaderIndex(forwardBy: count)
        model.removeFirst(count)
      default:
        buffer.discardReadBytes()
      }
      Self.expectInvariant(buffer)
      #expect(buffer.readAll() == model)
    }
  }
}

/// A tiny deterministic generator, so a failing sequence can be replayed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
