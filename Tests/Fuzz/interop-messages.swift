// libFuzzer target `interop-messages`: every message generated from the test schemas
// (Tests/Schemas -> Tests/CourierTestAPI/Generated, including the internal ones of
// global_names.proto) and the peer benchmark's messages (Sources/CourierBenchAPI), decoded
// from arbitrary bytes. Between them they use every field kind the generator emits: all
// scalars, presence, packed and unpacked repeated fields, maps of every key type, oneofs,
// recursion through boxed storage, nesting and names that shadow the standard library's.
//
// Input: one byte that picks the message type (modulo the table's size), then the encoding.
// Property (FuzzSupport.checkRoundTrip): decoding throws a `WireDecodingError` or gives a value
// whose encoding decodes to an equal value and re-encodes to the same bytes.

import CourierBenchAPI
import CourierWire
import FuzzSupport

@testable import CourierTestAPI

/// The message types, in a fixed order: a seed's first byte is its type's index here, so append
/// new types at the end (or remake the corpus with scripts/fuzz --remake-corpus). The
/// global_names.proto types are spelled with their module, as they shadow Swift's own.
let interopMessageKinds: [MessageKind] = [
  // courier/test/v1/messages.proto: the interop service's messages.
  MessageKind(Courier_Test_V1_Empty.self),
  MessageKind(Courier_Test_V1_BoolValue.self),
  MessageKind(Courier_Test_V1_Payload.self),
  MessageKind(Courier_Test_V1_EchoStatus.self),
  MessageKind(Courier_Test_V1_SimpleRequest.self),
  MessageKind(Courier_Test_V1_SimpleResponse.self),
  MessageKind(Courier_Test_V1_StreamingInputCallRequest.self),
  MessageKind(Courier_Test_V1_StreamingInputCallResponse.self),
  MessageKind(Courier_Test_V1_ResponseParameters.self),
  MessageKind(Courier_Test_V1_StreamingOutputCallRequest.self),
  MessageKind(Courier_Test_V1_StreamingOutputCallResponse.self),
  // courier/test/v1/scalars.proto: every field kind.
  MessageKind(Courier_Test_V1_Scalars.self),
  MessageKind(Courier_Test_V1_OptionalScalars.self),
  MessageKind(Courier_Test_V1_PackedScalars.self),
  MessageKind(Courier_Test_V1_UnpackedScalars.self),
  MessageKind(Courier_Test_V1_RepeatedLengthDelimited.self),
  MessageKind(Courier_Test_V1_Maps.self),
  MessageKind(Courier_Test_V1_TreeNode.self),
  MessageKind(Courier_Test_V1_TreeNode.Leaf.self),
  MessageKind(Courier_Test_V1_Ping.self),
  MessageKind(Courier_Test_V1_Pong.self),
  MessageKind(Courier_Test_V1_Choice.self),
  MessageKind(Courier_Test_V1_Outer.self),
  MessageKind(Courier_Test_V1_Outer.Middle.self),
  MessageKind(Courier_Test_V1_Outer.Middle.Inner.self),
  MessageKind(Courier_Test_V1_Nothing.self),
  MessageKind(Courier_Test_V1_Large.self),
  MessageKind(Courier_Test_V1_Retired.self),
  MessageKind(Courier_Test_V1_UsesRetired.self),
  // courier/test/v1/names.proto: names that clash with Swift and the generated members.
  MessageKind(Courier_Test_V1_Keywords.self),
  MessageKind(Courier_Test_V1_CapitalizedKeywords.self),
  MessageKind(Courier_Test_V1_SmallKeywords.self),
  MessageKind(Courier_Test_V1_GeneratedMembers.self),
  MessageKind(Courier_Test_V1_Clashes.self),
  MessageKind(Courier_Test_V1_Shadows.self),
  MessageKind(Courier_Test_V1_Shadows.String.self),
  MessageKind(Courier_Test_V1_Shadows.Int32.self),
  MessageKind(Courier_Test_V1_Shadows.Int.self),
  MessageKind(Courier_Test_V1_Shadows.Bool.self),
  MessageKind(Courier_Test_V1_Shadows.Double.self),
  MessageKind(Courier_Test_V1_Shadows.Array.self),
  MessageKind(Courier_Test_V1_Shadows.Optional.self),
  MessageKind(Courier_Test_V1_Shadows.ResultMessage.self),
  MessageKind(Courier_Test_V1_Shadows.Error.self),
  MessageKind(Courier_Test_V1_Shadows.Data.self),
  MessageKind(Courier_Test_V1_Shadows.Message.self),
  MessageKind(Courier_Test_V1_Shadows.SwiftMessage.self),
  MessageKind(Courier_Test_V1_Shadows.CourierWireMessage.self),
  MessageKind(Courier_Test_V1_Shadows.CourierCoreMessage.self),
  MessageKind(Courier_Test_V1_Shadows.TypeMessage.self),
  MessageKind(Courier_Test_V1_Shadows.ProtocolMessage.self),
  MessageKind(Courier_Test_V1_Shadows.OneOf_KindMessage.self),
  MessageKind(Courier_Test_V1_Shadows.Hasher.self),
  MessageKind(Courier_Test_V1_EnumNames.self),
  // global_names.proto: no package, so the Swift names are bare (internal to CourierTestAPI).
  MessageKind(CourierTestAPI.String.self),
  MessageKind(CourierTestAPI.Int32.self),
  MessageKind(CourierTestAPI.Bool.self),
  MessageKind(CourierTestAPI.Optional.self),
  MessageKind(CourierTestAPI.ResultMessage.self),
  MessageKind(CourierTestAPI.Error.self),
  MessageKind(CourierTestAPI.Message.self),
  MessageKind(CourierTestAPI.SwiftMessage.self),
  MessageKind(CourierTestAPI.CourierWireMessage.self),
  MessageKind(CourierTestAPI.CourierCoreMessage.self),
  MessageKind(CourierTestAPI.MethodMessage.self),
  MessageKind(CourierTestAPI.ClientMessage.self),
  MessageKind(CourierTestAPI.InputMessage.self),
  MessageKind(CourierTestAPI.OutputMessage.self),
  MessageKind(CourierTestAPI.ServiceProtocolMessage.self),
  MessageKind(CourierTestAPI.IntegerLiteralTypeMessage.self),
  MessageKind(CourierTestAPI.Void.self),
  MessageKind(CourierTestAPI.Sendable.self),
  MessageKind(CourierTestAPI.Hashable.self),
  MessageKind(CourierTestAPI.Lowercase.self),
  MessageKind(CourierTestAPI.Lowercase.Inner.self),
  MessageKind(CourierTestAPI.Lowercase.StringMessage.self),
  MessageKind(CourierTestAPI.AnyMessage.self),
  MessageKind(CourierTestAPI.TypeMessage.self),
  MessageKind(CourierTestAPI.OneOf_ValueMessage.self),
  // bench/v1/bench.proto: the peer benchmark's workload.
  MessageKind(Bench_V1_Amount.self),
  MessageKind(Bench_V1_TransferRequest.self),
  MessageKind(Bench_V1_TransferReply.self),
] + deprecatedKinds(DeprecatedTestMessages.self)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  runMessageTarget(interopMessageKinds, fuzzInput(start, count))
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutableRawPointer?, _ argv: UnsafeMutableRawPointer?) -> CInt {
  writeSeedsIfRequested(interopSeeds)
  return 0
}

// MARK: - Seeds: one or more real values of the types that use each field kind

/// A seed: the selector byte of the message's type followed by its real encoding.
func interopSeed<M: CourierWire.Message>(_ label: Swift.String, _ message: M) -> Seed {
  guard let index = interopMessageKinds.firstIndex(where: { $0.name == M.protoMessageName }) else {
    fatalError("\(M.protoMessageName) is missing from interopMessageKinds")
  }
  return Seed("\(M.protoMessageName)-\(label)", [UInt8(index)] + message.serializedBytes())
}

func interopSeeds() -> [Seed] {
  var seeds: [Seed] = deprecatedSeeds(DeprecatedTestMessages.self)
  func add<M: CourierWire.Message>(_ label: Swift.String, _ message: M) {
    seeds.append(interopSeed(label, message))
  }

  let scalars = maximumScalars()
  add("maximums", scalars)
  add("minimums", minimumScalars())
  // protobuf serializes -0.0 even without presence (+0.0 is the default, -0.0 is not), as
  // protoc does: `d: -0.0 f: -0.0` is 09 0000000000000080 15 00000080.
  var negativeZero = Courier_Test_V1_Scalars()
  negativeZero.doubleValue = -0.0
  negativeZero.floatValue = -0.0
  add("negative-zero", negativeZero)
  var optional = Courier_Test_V1_OptionalScalars()
  optional.int64Value = 0
  optional.boolValue = false
  optional.stringValue = ""
  optional.bytesValue = []
  optional.color = .unspecified
  optional.doubleValue = -0.0
  add("present-defaults", optional)
  var packed = Courier_Test_V1_PackedScalars()
  packed.doubleValues = [1.5, -2.25, .infinity]
  packed.floatValues = [0.5, -.leastNonzeroMagnitude]
  packed.int64Values = [-1, 0, 300]
  packed.uint64Values = [.max]
  packed.int32Values = [3, 270, 86942, -1]
  packed.fixed64Values = [1, 2]
  packed.fixed32Values = [7]
  packed.boolValues = [true, false, true]
  packed.uint32Values = [.max, 0]
  packed.sfixed32Values = [-5]
  packed.sfixed64Values = [-6]
  packed.sint32Values = [-1, -2, .max]
  packed.sint64Values = [.min]
  packed.colors = [.red, .green, Courier_Test_V1_Color(rawValue: 42)]
  add("every-kind", packed)
  var unpacked = Courier_Test_V1_UnpackedScalars()
  unpacked.doubleValues = [0.25]
  unpacked.int64Values = [-300, 1 << 40]
  unpacked.int32Values = [-1]
  unpacked.fixed32Values = [1, 2, 3]
  unpacked.boolValues = [false]
  unpacked.sint64Values = [-1, 1]
  unpacked.colors = [.blue, Courier_Test_V1_Color(rawValue: -7)]
  add("every-kind", unpacked)
  var repeated = Courier_Test_V1_RepeatedLengthDelimited()
  repeated.strings = ["", "ascii", "ünïcödé ✓ 𝄞"]
  repeated.blobs = [[], [0, 0xff, 0x80]]
  repeated.messages = [scalars, Courier_Test_V1_Scalars()]
  repeated.farAway = ["field 2000"]
  add("nested", repeated)

  var maps = Courier_Test_V1_Maps()
  maps.stringToString = ["a": "1", "": "empty key", "ü": ""]
  maps.int32ToInt64 = [-1: .min, 0: 0, .max: .max]
  maps.int64ToString = [.min: "min"]
  maps.uint32ToBytes = [7: [1, 2, 3]]
  maps.uint64ToDouble = [.max: -1.5]
  maps.sint32ToFloat = [-3: 0.125]
  maps.sint64ToBool = [-4: true, 4: false]
  maps.fixed32ToColor = [5: .green, 6: Courier_Test_V1_Color(rawValue: 99)]
  maps.fixed64ToScalars = [8: scalars]
  maps.sfixed32ToSint64 = [-9: -10]
  maps.sfixed64ToUint32 = [-11: 12]
  maps.boolToString = [true: "yes", false: "no"]
  maps.boolToScalars = [false: Courier_Test_V1_Scalars()]
  maps.boolToFixed32 = [true: 0xDEAD_BEEF]
  maps.stringToColor = ["red": .red]
  var leafNode = Courier_Test_V1_TreeNode()
  leafNode.name = "leaf"
  maps.stringToTree = ["t": leafNode]
  add("every-key-type", maps)

  var tree = Courier_Test_V1_TreeNode()
  tree.name = "root"
  var child = Courier_Test_V1_TreeNode()
  child.name = "child"
  child.payload = .number(-42)
  var leaf = Courier_Test_V1_TreeNode.Leaf()
  leaf.data = [0xCA, 0xFE]
  leaf.kind = .link
  var grandchild = Courier_Test_V1_TreeNode()
  grandchild.payload = .leaf(leaf)
  grandchild.kind = .file
  child.children = [grandchild]
  tree.children = [child, leafNode]
  tree.origin = leafNode
  tree.byName = ["child": child]
  tree.payload = .subtree(grandchild)
  add("three-levels", tree)
  var deep = Courier_Test_V1_TreeNode()
  for level in 0..<40 {
    // One reference to the level below, through the oneof or the plain field in turn.
    var parent = Courier_Test_V1_TreeNode()
    if level % 2 == 0 {
      parent.payload = .subtree(deep)
    } else {
      parent.origin = deep
      parent.payload = .checksum(UInt32(level))
    }
    deep = parent
  }
  add("deep", deep)
  add("leaf", leaf)
  var ping = Courier_Test_V1_Ping()
  ping.depth = 3
  var pong = Courier_Test_V1_Pong()
  var innerPing = Courier_Test_V1_Ping()
  innerPing.depth = 2
  pong.ping = innerPing
  ping.pong = pong
  add("mutual-recursion", ping)

  var choice = Courier_Test_V1_Choice()
  choice.label = "both oneofs"
  choice.value = .scalars(scalars)
  choice.middle = 15
  choice.other = .last("field 20")
  add("message-and-string", choice)
  var ratio = Courier_Test_V1_Choice()
  ratio.value = .ratio(.nan)
  ratio.other = .first(.max)
  add("nan-ratio", ratio)
  var flag = Courier_Test_V1_Choice()
  flag.value = .flag(false)
  add("false-flag", flag)

  var outer = Courier_Test_V1_Outer()
  var inner = Courier_Test_V1_Outer.Middle.Inner()
  inner.value = 7
  inner.mood = .happy
  var middle = Courier_Test_V1_Outer.Middle()
  middle.inner = inner
  middle.inners = [inner, Courier_Test_V1_Outer.Middle.Inner()]
  outer.middle = middle
  outer.shortcut = inner
  outer.mood = Courier_Test_V1_Outer.Mood(rawValue: 5)
  add("nested-types", outer)
  add("empty", Courier_Test_V1_Nothing())

  var large = Courier_Test_V1_Large()
  large.f1 = 1
  large.f2 = -2
  large.f3 = "three"
  large.f4 = [4]
  large.f5 = true
  large.f6 = 6.5
  large.f7 = -7.25
  large.f8 = .blue
  large.f9 = scalars
  large.f10 = 0
  large.f11 = [11, -11]
  large.f12 = ["twelve"]
  large.f13 = ["thirteen": 13]
  large.f14 = [true: scalars]
  large.choice = .f17(17)
  large.f18 = -18
  large.f19 = 19
  large.f20 = [Courier_Test_V1_Scalars(), scalars]
  add("every-field", large)
  var usesRetired = Courier_Test_V1_UsesRetired()
  var retired = Courier_Test_V1_Retired()
  retired.value = 1
  usesRetired.retired = retired
  usesRetired.retireds = [retired, retired]
  add("repeated", usesRetired)

  var simpleRequest = Courier_Test_V1_SimpleRequest()
  simpleRequest.responseSize = 314_159
  var payload = Courier_Test_V1_Payload()
  payload.body = [UInt8](repeating: 0, count: 271_828 % 1_000)
  simpleRequest.payload = payload
  simpleRequest.fillUsername = true
  var status = Courier_Test_V1_EchoStatus()
  status.code = 2
  status.message = "test status message"
  simpleRequest.responseStatus = status
  var compressed = Courier_Test_V1_BoolValue()
  compressed.value = true
  simpleRequest.expectCompressed = compressed
  add("large-unary", simpleRequest)
  var simpleResponse = Courier_Test_V1_SimpleResponse()
  simpleResponse.payload = payload
  simpleResponse.username = "user"
  simpleResponse.serverID = "server-1"
  add("filled", simpleResponse)
  var outputRequest = Courier_Test_V1_StreamingOutputCallRequest()
  outputRequest.responseParameters = [31_415, 9, 2_653, 58_979].map { size in
    var parameters = Courier_Test_V1_ResponseParameters()
    parameters.size = Swift.Int32(size)
    parameters.intervalUs = 100
    return parameters
  }
  add("server-streaming", outputRequest)
  var inputRequest = Courier_Test_V1_StreamingInputCallRequest()
  inputRequest.payload = payload
  add("client-streaming", inputRequest)
  var inputResponse = Courier_Test_V1_StreamingInputCallResponse()
  inputResponse.aggregatedPayloadSize = 74_922
  add("aggregate", inputResponse)

  var amount = Bench_V1_Amount()
  amount.units = 1_000
  amount.currency = "EUR"
  var transfer = Bench_V1_TransferRequest()
  transfer.idempotencyKey = "idem-0001"
  transfer.fromAccount = "acct-a"
  transfer.toAccount = "acct-b"
  transfer.amount = amount
  transfer.tags = ["priority", "batch-7"]
  transfer.metadata = ["region": "eu-west", "channel": "api"]
  transfer.createdAtUnixNanos = 1_717_171_717_000_000_000
  add("peer-workload", transfer)
  var reply = Bench_V1_TransferReply()
  reply.transferID = "tr-0001"
  reply.balanceAfter = -200
  reply.status = 1
  add("ok", reply)

  // Unknown fields of every wire type (a group included), kept and written back unchanged.
  let unknowns: [UInt8] =
    [0xA8, 0x1F, 0x96, 0x01]  // field 501, varint 150
    + [0xB1, 0x1F, 1, 2, 3, 4, 5, 6, 7, 8]  // field 502, fixed64
    + [0xBA, 0x1F, 0x03, 0x61, 0x62, 0x63]  // field 503, length-delimited "abc"
    + [0xC3, 0x1F, 0x08, 0x01, 0xC4, 0x1F]  // field 504, a group holding field 1 = 1
    + [0xCD, 0x1F, 9, 8, 7, 6]  // field 505, fixed32
  seeds.append(Seed("courier.test.v1.Empty-unknown-fields", [0] + unknowns))
  return seeds
}

// MARK: - The deprecated test messages

/// Reaches the messages scalars.proto marks deprecated (`Legacy`, `Legacy.Nested`) without a
/// deprecation warning at every use: the implementations are deprecated, the requirements are
/// not, so only code inside them names the deprecated types.
protocol DeprecatedMessageSource {
  static func kinds() -> [MessageKind]
  static func seeds() -> [Seed]
}

func deprecatedKinds<Source: DeprecatedMessageSource>(_ source: Source.Type) -> [MessageKind] { source.kinds() }
func deprecatedSeeds<Source: DeprecatedMessageSource>(_ source: Source.Type) -> [Seed] { source.seeds() }

enum DeprecatedTestMessages: DeprecatedMessageSource {
  @available(*, deprecated, message: "fuzzes the deprecated test messages on purpose")
  static func kinds() -> [MessageKind] {
    [MessageKind(Courier_Test_V1_Legacy.self), MessageKind(Courier_Test_V1_Legacy.Nested.self)]
  }

  @available(*, deprecated, message: "fuzzes the deprecated test messages on purpose")
  static func seeds() -> [Seed] {
    var legacy = Courier_Test_V1_Legacy()
    legacy.oldNumber = 2
    legacy.oldNames = ["old"]
    legacy.oldScalars = maximumScalars()
    var nested = Courier_Test_V1_Legacy.Nested()
    var back = Courier_Test_V1_Legacy()
    back.currentNumber = 5
    nested.back = back
    legacy.nested = nested
    return [interopSeed("cycle", legacy), interopSeed("back", nested)]
  }
}

func maximumScalars() -> Courier_Test_V1_Scalars {
  var message = Courier_Test_V1_Scalars()
  message.doubleValue = .greatestFiniteMagnitude
  message.floatValue = .greatestFiniteMagnitude
  message.int64Value = .max
  message.uint64Value = .max
  message.int32Value = .max
  message.fixed64Value = .max
  message.fixed32Value = .max
  message.boolValue = true
  message.stringValue = "max ✓"
  message.bytesValue = [0xFF, 0x00]
  message.uint32Value = .max
  message.sfixed32Value = .max
  message.sfixed64Value = .max
  message.sint32Value = .max
  message.sint64Value = .max
  message.color = .blue
  return message
}

func minimumScalars() -> Courier_Test_V1_Scalars {
  var message = Courier_Test_V1_Scalars()
  message.doubleValue = -1e-300
  message.floatValue = -1.5
  message.int64Value = .min
  message.int32Value = .min
  message.sfixed32Value = .min
  message.sfixed64Value = .min
  message.sint32Value = .min
  message.sint64Value = .min
  message.color = Courier_Test_V1_Color(rawValue: 77)
  return message
}
