import CourierTestAPI
import CourierWire

/// Oracle cases over the test schemas (Tests/Schemas): every scalar at its limits, presence,
/// packed and unpacked repeated fields, maps of every key type, oneofs, recursion, nesting.
enum TestSchemaOracleCorpus {
  static func make<M: Message>(_ name: String, _ text: String, file: String = "courier/test/v1/scalars.proto", _ build: (inout M) -> Void) -> OracleCase {
    var message = M()
    build(&message)
    return OracleCase(name, message, root: PackagePaths.testSchemas, file: file, text: text)
  }

  static let cases: [OracleCase] = [
    make("Scalars at their maximums",
      """
      double_value: 1.7976931348623157e308 float_value: 3.4028235e38 int64_value: 9223372036854775807
      uint64_value: 18446744073709551615 int32_value: 2147483647 fixed64_value: 18446744073709551615
      fixed32_value: 4294967295 bool_value: true string_value: "max" bytes_value: "\\377\\000"
      uint32_value: 4294967295 sfixed32_value: 2147483647 sfixed64_value: 9223372036854775807
      sint32_value: 2147483647 sint64_value: 9223372036854775807 color: COLOR_BLUE
      """
    ) { (message: inout Courier_Test_V1_Scalars) in
      message.doubleValue = .greatestFiniteMagnitude
      message.floatValue = .greatestFiniteMagnitude
      message.int64Value = .max
      message.uint64Value = .max
      message.int32Value = .max
      message.fixed64Value = .max
      message.fixed32Value = .max
      message.boolValue = true
      message.stringValue = "max"
      message.bytesValue = [0xFF, 0x00]
      message.uint32Value = .max
      message.sfixed32Value = .max
      message.sfixed64Value = .max
      message.sint32Value = .max
      message.sint64Value = .max
      message.color = .blue
    },
    make("Scalars at their minimums",
      """
      double_value: -1e-300 float_value: -1.5 int64_value: -9223372036854775808 int32_value: -2147483648
      sfixed32_value: -2147483648 sfixed64_value: -9223372036854775808 sint32_value: -2147483648
      sint64_value: -9223372036854775808 color: 77
      """
    ) { (message: inout Courier_Test_V1_Scalars) in
      message.doubleValue = -1e-300
      message.floatValue = -1.5
      message.int64Value = .min
      message.int32Value = .min
      message.sfixed32Value = .min
      message.sfixed64Value = .min
      message.sint32Value = .min
      message.sint64Value = .min
      message.color = Courier_Test_V1_Color(rawValue: 77)
    },
    make("optional fields present at their defaults",
      #"int64_value: 0 int32_value: 0 bool_value: false string_value: "" bytes_value: "" color: COLOR_UNSPECIFIED"#
    ) { (message: inout Courier_Test_V1_OptionalScalars) in
      message.int64Value = 0
      message.int32Value = 0
      message.boolValue = false
      message.stringValue = ""
      message.bytesValue = []
      message.color = .unspecified
    },
    make("packed repeated scalars",
      """
      double_values: [1.5, -2.25] float_values: [0.5] int64_values: [-1, 0, 300] uint64_values: [18446744073709551615]
      int32_values: [3, 270, 86942, -1] fixed64_values: [1, 2] fixed32_values: [7] bool_values: [true, false, true]
      uint32_values: [4294967295, 0] sfixed32_values: [-5] sfixed64_values: [-6] sint32_values: [-1, -2, 2147483647]
      sint64_values: [-9223372036854775808] colors: [COLOR_RED, COLOR_GREEN, 42]
      """
    ) { (message: inout Courier_Test_V1_PackedScalars) in
      message.doubleValues = [1.5, -2.25]
      message.floatValues = [0.5]
      message.int64Values = [-1, 0, 300]
      message.uint64Values = [.max]
      message.int32Values = [3, 270, 86942, -1]
      message.fixed64Values = [1, 2]
      message.fixed32Values = [7]
      message.boolValues = [true, false, true]
      message.uint32Values = [.max, 0]
      message.sfixed32Values = [-5]
      message.sfixed64Values = [-6]
      message.sint32Values = [-1, -2, .max]
      message.sint64Values = [.min]
      message.colors = [.red, .green, Courier_Test_V1_Color(rawValue: 42)]
    },
    make("unpacked repeated scalars",
      """
      double_values: [1.5] float_values: [0.5, 0.25] int64_values: [-1, 300] uint64_values: [1]
      int32_values: [3, 270] fixed64_values: [9] fixed32_values: [7, 8] bool_values: [false]
      uint32_values: [5] sfixed32_values: [-5] sfixed64_values: [-6] sint32_values: [-1] sint64_values: [1]
      colors: [COLOR_BLUE]
      """
    ) { (message: inout Courier_Test_V1_UnpackedScalars) in
      message.doubleValues = [1.5]
      message.floatValues = [0.5, 0.25]
      message.int64Values = [-1, 300]
      message.uint64Values = [1]
      message.int32Values = [3, 270]
      message.fixed64Values = [9]
      message.fixed32Values = [7, 8]
      message.boolValues = [false]
      message.uint32Values = [5]
      message.sfixed32Values = [-5]
      message.sfixed64Values = [-6]
      message.sint32Values = [-1]
      message.sint64Values = [1]
      message.colors = [.blue]
    },
    make("repeated strings, bytes, messages and a two-byte field key",
      #"strings: ["a", "", "ünïcödé"] blobs: ["\001\002", ""] messages { int32_value: 1 } messages { } far_away: "far""#
    ) { (message: inout Courier_Test_V1_RepeatedLengthDelimited) in
      message.strings = ["a", "", "ünïcödé"]
      message.blobs = [[1, 2], []]
      var first = Courier_Test_V1_Scalars()
      first.int32Value = 1
      message.messages = [first, Courier_Test_V1_Scalars()]
      message.farAway = ["far"]
    },
    make("maps with scalar values, keys in ascending order",
      """
      string_to_string { key: "a" value: "1" } string_to_string { key: "b" value: "" }
      int32_to_int64 { key: -5 value: -1 } int32_to_int64 { key: 0 value: 0 } int32_to_int64 { key: 7 value: 9000000000 }
      int64_to_string { key: -9223372036854775808 value: "min" } uint32_to_bytes { key: 4294967295 value: "\\001" }
      uint64_to_double { key: 18446744073709551615 value: 2.5 } sint32_to_float { key: -3 value: 1.5 }
      sint64_to_bool { key: -1 value: true } sint64_to_bool { key: 1 value: false }
      fixed32_to_color { key: 1 value: COLOR_GREEN }
      """
    ) { (message: inout Courier_Test_V1_Maps) in
      message.stringToString = ["b": "", "a": "1"]
      message.int32ToInt64 = [7: 9_000_000_000, -5: -1, 0: 0]
      message.int64ToString = [.min: "min"]
      message.uint32ToBytes = [.max: [1]]
      message.uint64ToDouble = [.max: 2.5]
      message.sint32ToFloat = [-3: 1.5]
      message.sint64ToBool = [1: false, -1: true]
      message.fixed32ToColor = [1: .green]
    },
    make("maps with message, enum and bool-keyed values",
      """
      fixed64_to_scalars { key: 2 value { string_value: "two" } } fixed64_to_scalars { key: 10 value { } }
      sfixed32_to_sint64 { key: -1 value: -2 } sfixed64_to_uint32 { key: 3 value: 4 }
      bool_to_string { key: false value: "no" } bool_to_string { key: true value: "yes" }
      bool_to_scalars { key: true value { bool_value: true } } bool_to_fixed32 { key: false value: 8 }
      string_to_color { key: "c" value: COLOR_RED }
      string_to_tree { key: "x" value { name: "leaf" children { name: "kid" } } } string_to_tree { key: "y" value { } }
      """
    ) { (message: inout Courier_Test_V1_Maps) in
      var two = Courier_Test_V1_Scalars()
      two.stringValue = "two"
      message.fixed64ToScalars = [10: Courier_Test_V1_Scalars(), 2: two]
      message.sfixed32ToSint64 = [-1: -2]
      message.sfixed64ToUint32 = [3: 4]
      message.boolToString = [true: "yes", false: "no"]
      var flagged = Courier_Test_V1_Scalars()
      flagged.boolValue = true
      message.boolToScalars = [true: flagged]
      message.boolToFixed32 = [false: 8]
      message.stringToColor = ["c": .red]
      var leaf = Courier_Test_V1_TreeNode()
      leaf.name = "leaf"
      var kid = Courier_Test_V1_TreeNode()
      kid.name = "kid"
      leaf.children = [kid]
      message.stringToTree = ["y": Courier_Test_V1_TreeNode(), "x": leaf]
    },
    make("a recursive tree with a subtree in a oneof",
      """
      name: "root" children { name: "a" children { name: "a1" } } children { name: "b" }
      origin { name: "origin" } by_name { key: "a" value { name: "a" } } subtree { name: "sub" number: 5 }
      """
    ) { (message: inout Courier_Test_V1_TreeNode) in
      message.name = "root"
      var a = Courier_Test_V1_TreeNode()
      a.name = "a"
      var a1 = Courier_Test_V1_TreeNode()
      a1.name = "a1"
      a.children = [a1]
      var b = Courier_Test_V1_TreeNode()
      b.name = "b"
      message.children = [a, b]
      var origin = Courier_Test_V1_TreeNode()
      origin.name = "origin"
      message.origin = origin
      var named = Courier_Test_V1_TreeNode()
      named.name = "a"
      message.byName = ["a": named]
      var sub = Courier_Test_V1_TreeNode()
      sub.name = "sub"
      sub.number = 5
      message.subtree = sub
    },
    make("a leaf in a oneof and an optional enum at its default",
      #"name: "file" leaf { data: "\001" kind: KIND_FILE } kind: KIND_UNSPECIFIED"#
    ) { (message: inout Courier_Test_V1_TreeNode) in
      message.name = "file"
      var leaf = Courier_Test_V1_TreeNode.Leaf()
      leaf.data = [1]
      leaf.kind = .file
      message.leaf = leaf
      message.kind = .unspecified
    },
    make("mutual recursion", "pong { ping { pong { ping { depth: 3 } } depth: 2 } } depth: 1") {
      (message: inout Courier_Test_V1_Ping) in
      var innermost = Courier_Test_V1_Ping()
      innermost.depth = 3
      var pongInner = Courier_Test_V1_Pong()
      pongInner.ping = innermost
      var middle = Courier_Test_V1_Ping()
      middle.pong = pongInner
      middle.depth = 2
      var pongOuter = Courier_Test_V1_Pong()
      pongOuter.ping = middle
      message.pong = pongOuter
      message.depth = 1
    },
    make("oneof members present at their defaults", #"label: "zero" number: 0 middle: 7 last: """#) {
      (message: inout Courier_Test_V1_Choice) in
      message.label = "zero"
      message.number = 0
      message.middle = 7
      message.last = ""
    },
    make("oneof message member and a oneof around another field", #"scalars { } first: 9 middle: 1"#) {
      (message: inout Courier_Test_V1_Choice) in
      message.scalars = Courier_Test_V1_Scalars()
      message.first = 9
      message.middle = 1
    },
    make("nested types referenced relatively",
      "middle { inner { value: 1 mood: MOOD_HAPPY } inners { value: 2 } inners { } } shortcut { value: 3 } mood: MOOD_HAPPY"
    ) { (message: inout Courier_Test_V1_Outer) in
      var inner = Courier_Test_V1_Outer.Middle.Inner()
      inner.value = 1
      inner.mood = .happy
      var second = Courier_Test_V1_Outer.Middle.Inner()
      second.value = 2
      var middle = Courier_Test_V1_Outer.Middle()
      middle.inner = inner
      middle.inners = [second, Courier_Test_V1_Outer.Middle.Inner()]
      message.middle = middle
      var shortcut = Courier_Test_V1_Outer.Middle.Inner()
      shortcut.value = 3
      message.shortcut = shortcut
      message.mood = .happy
    },
    make("a large message with copy-on-write storage",
      """
      f1: 1 f2: 2 f3: "three" f4: "\\004" f5: true f6: 6.5 f7: 7.5 f8: COLOR_RED f9 { int32_value: 9 } f10: 0
      f11: [1, 2] f12: ["x"] f13 { key: "k" value: 13 } f14 { key: true value { } } f16 { sint32_value: -16 }
      f18: -18 f19: 19 f20 { } f20 { bool_value: true }
      """
    ) { (message: inout Courier_Test_V1_Large) in
      message.f1 = 1
      message.f2 = 2
      message.f3 = "three"
      message.f4 = [4]
      message.f5 = true
      message.f6 = 6.5
      message.f7 = 7.5
      message.f8 = .red
      var nine = Courier_Test_V1_Scalars()
      nine.int32Value = 9
      message.f9 = nine
      message.f10 = 0
      message.f11 = [1, 2]
      message.f12 = ["x"]
      message.f13 = ["k": 13]
      message.f14 = [true: Courier_Test_V1_Scalars()]
      var sixteen = Courier_Test_V1_Scalars()
      sixteen.sint32Value = -16
      message.f16 = sixteen
      message.f18 = -18
      message.f19 = 19
      var flagged = Courier_Test_V1_Scalars()
      flagged.boolValue = true
      message.f20 = [Courier_Test_V1_Scalars(), flagged]
    },
    make("an empty message", "") { (_: inout Courier_Test_V1_Nothing) in },
    make("interop SimpleRequest", #"response_size: 314159 payload { body: "\000\001" } response_status { code: 2 message: "é" }"#,
      file: "courier/test/v1/messages.proto"
    ) { (message: inout Courier_Test_V1_SimpleRequest) in
      message.responseSize = 314_159
      message.payload.body = [0, 1]
      message.responseStatus.code = 2
      message.responseStatus.message = "é"
    },
  ]
}
