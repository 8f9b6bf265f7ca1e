import CourierWire

/// Map fields with each kind of key and value, followed by a message field: the size cache
/// must hand the nested sizes back in the order the size pass recorded them.
struct MapHolder: Message {
  static let protoMessageName = "courier.test.MapHolder"

  var stringToInt32: [String: Int32] = [:]  // 1, tag 10
  var int32ToString: [Int32: String] = [:]  // 2, tag 18
  var stringToNested: [String: Nested] = [:]  // 3, tag 26
  var boolToString: [Bool: String] = [:]  // 4, tag 34
  var sint64ToBytes: [Int64: [UInt8]] = [:]  // 5, tag 42
  var uint64ToColor: [UInt64: Color] = [:]  // 6, tag 50
  var trailer: Nested {  // 7, tag 58
    get { self._trailer ?? Nested() }
    set { self._trailer = newValue }
  }
  private var _trailer: Nested? = nil
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeFields(from reader: inout WireReader) throws(WireDecodingError) {
    while let tag = try reader.nextTag() {
      switch tag.rawValue {
      case 10: try reader.readMapEntry(StringCodec.self, Int32Codec.self, into: &self.stringToInt32)
      case 18: try reader.readMapEntry(Int32Codec.self, StringCodec.self, into: &self.int32ToString)
      case 26:
        try reader.readMapEntry(
          StringCodec.self, MessageCodec<Nested>.self, into: &self.stringToNested)
      case 34: try reader.readMapEntry(BoolCodec.self, StringCodec.self, into: &self.boolToString)
      case 42: try reader.readMapEntry(SInt64Codec.self, BytesCodec.self, into: &self.sint64ToBytes)
      case 50:
        try reader.readMapEntry(UInt64Codec.self, EnumCodec<Color>.self, into: &self.uint64ToColor)
      case 58: try reader.readMessage(into: &self._trailer)
      default: try reader.skipField(tag, into: &self.unknownFields)
      }
    }
  }

  func computeSize(cache: inout SizeCache) -> Int {
    var size = 0
    size &+= FieldSize.map(
      StringCodec.self, Int32Codec.self, self.stringToInt32, tagSize: 1, cache: &cache)
    size &+= FieldSize.map(
      Int32Codec.self, StringCodec.self, self.int32ToString, tagSize: 1, cache: &cache)
    size &+= FieldSize.map(
      StringCodec.self, MessageCodec<Nested>.self, self.stringToNested, tagSize: 1, cache: &cache)
    size &+= FieldSize.map(
      BoolCodec.self, StringCodec.self, self.boolToString, tagSize: 1, cache: &cache)
    size &+= FieldSize.map(
      SInt64Codec.self, BytesCodec.self, self.sint64ToBytes, tagSize: 1, cache: &cache)
    size &+= FieldSize.map(
      UInt64Codec.self, EnumCodec<Color>.self, self.uint64ToColor, tagSize: 1, cache: &cache)
    if let value = self._trailer {
      size &+= 1 &+ MessageCodec<Nested>.size(of: value, cache: &cache)
    }
    size &+= self.unknownFields.size
    return size
  }

  func encodeFields(to writer: inout WireWriter) {
    writer.writeMap(StringCodec.self, Int32Codec.self, tag: 10, self.stringToInt32)
    writer.writeMap(Int32Codec.self, StringCodec.self, tag: 18, self.int32ToString)
    writer.writeMap(StringCodec.self, MessageCodec<Nested>.self, tag: 26, self.stringToNested)
    writer.writeMap(BoolCodec.self, StringCodec.self, tag: 34, self.boolToString)
    writer.writeMap(SInt64Codec.self, BytesCodec.self, tag: 42, self.sint64ToBytes)
    writer.writeMap(UInt64Codec.self, EnumCodec<Color>.self, tag: 50, self.uint64ToColor)
    if let value = self._trailer {
      writer.writeTag(58)
      writer.writeMessage(value)
    }
    writer.writeUnknownFields(self.unknownFields)
  }
}

/// `oneof kind { int32 number = 1; string text = 2; Nested nested = 3; }` and `string note = 4`.
/// A set oneof member is written even at its default value: the case itself is the presence.
struct Choice: Message {
  static let protoMessageName = "courier.test.Choice"

  enum Kind: Hashable, Sendable {
    case number(Int32)  // 1, tag 8
    case text(String)  // 2, tag 18
    case nested(Nested)  // 3, tag 26
  }

  var kind: Kind? = nil
  var note = ""  // 4, tag 34
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeFields(from reader: inout WireReader) throws(WireDecodingError) {
    while let tag = try reader.nextTag() {
      switch tag.rawValue {
      case 8: self.kind = .number(try reader.readInt32())
      case 18: self.kind = .text(try reader.readString(fieldNumber: 2))
      case 26:
        // A message member that is already set merges, like any singular message field.
        var value = Nested()
        if case .nested(let existing)? = self.kind { value = existing }
        try reader.readMessage(into: &value)
        self.kind = .nested(value)
      case 34: self.note = try reader.readString(fieldNumber: 4)
      default: try reader.skipField(tag, into: &self.unknownFields)
      }
    }
  }

  func computeSize(cache: inout SizeCache) -> Int {
    var size = 0
    switch self.kind {
    case .number(let value)?: size &+= 1 &+ Int32Codec.size(of: value, cache: &cache)
    case .text(let value)?: size &+= 1 &+ StringCodec.size(of: value, cache: &cache)
    case .nested(let value)?: size &+= 1 &+ MessageCodec<Nested>.size(of: value, cache: &cache)
    case nil: break
    }
    if !self.note.isEmpty { size &+= 1 &+ StringCodec.size(of: self.note, cache: &cache) }
    size &+= self.unknownFields.size
    return size
  }

  func encodeFields(to writer: inout WireWriter) {
    switch self.kind {
    case .number(let value)?:
      writer.writeTag(8)
      writer.writeInt32(value)
    case .text(let value)?:
      writer.writeTag(18)
      writer.writeString(value)
    case .nested(let value)?:
      writer.writeTag(26)
      writer.writeMessage(value)
    case nil: break
    }
    if !self.note.isEmpty {
      writer.writeTag(34)
      writer.writeString(self.note)
    }
    writer.writeUnknownFields(self.unknownFields)
  }
}

/// A recursive message: `int32 value = 1; repeated Tree children = 2; Tree next = 3;`.
/// The singular recursive field lives behind an indirect enum, as a struct cannot hold itself.
struct Tree: Message {
  static let protoMessageName = "courier.test.Tree"

  indirect enum Link: Hashable, Sendable {
    case tree(Tree)
  }

  var value: Int32 = 0  // 1, tag 8
  var children: [Tree] = []  // 2, tag 18
  var next: Tree? {  // 3, tag 26
    get {
      guard case .tree(let tree)? = self._next else { return nil }
      return tree
    }
    set { self._next = newValue.map(Link.tree) }
  }
  private var _next: Link? = nil
  var unknownFields = UnknownFields()

  init() {}

  mutating func decodeFields(from reader: inout WireReader) throws(WireDecodingError) {
    while let tag = try reader.nextTag() {
      switch tag.rawValue {
      case 8: self.value = try reader.readInt32()
      case 18: try reader.readRepeated(MessageCodec<Tree>.self, tag: tag, into: &self.children)
      case 26:
        var value = self.next ?? Tree()
        try reader.readMessage(into: &value)
        self.next = value
      default: try reader.skipField(tag, into: &self.unknownFields)
      }
    }
  }

  func computeSize(cache: inout SizeCache) -> Int {
    var size = 0
    if self.value != 0 { size &+= 1 &+ Int32Codec.size(of: self.value, cache: &cache) }
    size &+= FieldSize.unpacked(MessageCodec<Tree>.self, self.children, tagSize: 1, cache: &cache)
    if let value = self.next { size &+= 1 &+ MessageCodec<Tree>.size(of: value, cache: &cache) }
    size &+= self.unknownFields.size
    return size
  }

  func encodeFields(to writer: inout WireWriter) {
    if self.value != 0 {
      writer.writeTag(8)
      writer.writeInt32(self.value)
    }
    writer.writeUnpacked(MessageCodec<Tree>.self, tag: 18, self.children)
    if let value = self.next {
      writer.writeTag(26)
      writer.writeMessage(value)
    }
    writer.writeUnknownFields(self.unknownFields)
  }
}
