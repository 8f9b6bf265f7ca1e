// Look-ahead that sizes collections before they are filled. Nothing here throws or moves the
// reader: a malformed byte just ends the count early, and the decode that follows reports it.

extension WireReader {
  /// How many fields in a row, starting with the one whose key `nextTag()` just returned, have
  /// exactly the same key bytes (so the same field number and `wireType`).
  ///
  /// Encoders write the values of a repeated field (and the entries of a map) one after the
  /// other, so this is usually the exact number of elements about to be decoded. The count is
  /// bounded by the bytes of the current message, so reserving it never takes more memory than
  /// decoding the elements would.
  @inlinable
  func countRun(wireType: WireType) -> Int {
    guard let base else { return 0 }
    let keyStart = lastTagStart
    let keyLength = position &- keyStart
    var cursor = position
    var count = 0
    while true {
      guard let valueEnd = endOfValue(wireType, at: cursor) else { return count }
      count &+= 1
      cursor = valueEnd
      guard keyLength <= end &- cursor else { return count }
      var index = 0
      while index < keyLength {
        let expected = base.load(fromByteOffset: keyStart &+ index, as: UInt8.self)
        guard base.load(fromByteOffset: cursor &+ index, as: UInt8.self) == expected else {
          return count
        }
        index &+= 1
      }
      cursor &+= keyLength
    }
  }

  /// Where the value of `wireType` that starts at `offset` ends, or `nil` if it does not end
  /// inside the current message (or is a group, which is never repeated in proto3).
  @inlinable
  func endOfValue(_ wireType: WireType, at offset: Int) -> Int? {
    switch wireType {
    case .varint:
      return endOfVarint(at: offset)
    case .fixed32:
      return 4 <= end &- offset ? offset &+ 4 : nil
    case .fixed64:
      return 8 <= end &- offset ? offset &+ 8 : nil
    case .lengthDelimited:
      guard let (length, lengthEnd) = peekVarint(at: offset), length <= UInt64(end &- lengthEnd)
      else {
        return nil
      }
      return lengthEnd &+ Int(length)
    case .startGroup, .endGroup:
      return nil
    }
  }

  /// Where the varint at `offset` ends, or `nil` if it runs past the message or 10 bytes.
  @inlinable
  func endOfVarint(at offset: Int) -> Int? {
    var index = offset
    let limit = Swift.min(end, offset &+ Wire.varintBytesMax)
    while index < limit {
      let byte = self.byte(at: index)
      index &+= 1
      if byte < 0x80 { return index }
    }
    return nil
  }

  /// The varint at `offset` and where it ends, or `nil` if it runs past the message or 10 bytes.
  @inlinable
  func peekVarint(at offset: Int) -> (value: UInt64, end: Int)? {
    // Lengths of short fields fit one byte.
    if offset < end {
      let first = byte(at: offset)
      if first < 0x80 { return (UInt64(first), offset &+ 1) }
    }
    var index = offset
    var result: UInt64 = 0
    var shift: UInt64 = 0
    let limit = Swift.min(end, offset &+ Wire.varintBytesMax)
    while index < limit {
      let byte = self.byte(at: index)
      index &+= 1
      result |= UInt64(byte & 0x7F) &<< shift
      if byte < 0x80 { return (result, index) }
      shift &+= 7
    }
    return nil
  }

  /// How many bytes below 0x80 the next `length` bytes hold: the number of varints a packed
  /// run of that length contains, if it is well formed.
  @inlinable
  func countVarintEnds(in length: Int) -> Int {
    guard let base, length > 0 else { return 0 }
    let start = base + position
    var count = 0
    var index = 0
    // Eight bytes at a time: a byte ends a varint when its top bit is clear.
    while index &+ 8 <= length {
      let word = start.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      count &+= (~word & 0x8080_8080_8080_8080).nonzeroBitCount
      index &+= 8
    }
    while index < length {
      if start.load(fromByteOffset: index, as: UInt8.self) < 0x80 { count &+= 1 }
      index &+= 1
    }
    return count
  }
}
