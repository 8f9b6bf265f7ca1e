/// A minimal JSON writer (the kit uses no Foundation): values, objects with ordered keys, and
/// string escaping per RFC 8259. `package`: the soak kit writes its report with it too.
package enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  package var rendered: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .integer(let value): return String(value)
    case .number(let value): return value.isFinite ? ReportRendering.fixed(value, 3) : "null"
    case .string(let value): return Self.quoted(value)
    case .array(let values): return "[" + values.map(\.rendered).joined(separator: ",") + "]"
    case .object(let object):
      return "{" + object.entries.map { Self.quoted($0.key) + ":" + $0.value.rendered }.joined(separator: ",") + "}"
    }
  }

  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}

/// A JSON object that keeps its keys in insertion order.
package struct JSONObject: Sendable, Hashable {
  package var entries: [(key: String, value: JSONValue)] = []

  package init() {}
  package init(_ entries: [(String, JSONValue)]) { self.entries = entries.map { (key: $0.0, value: $0.1) } }

  package mutating func add(_ key: String, _ value: JSONValue) { entries.append((key, value)) }

  package static func == (left: JSONObject, right: JSONObject) -> Bool {
    left.entries.map(\.key) == right.entries.map(\.key) && left.entries.map(\.value) == right.entries.map(\.value)
  }

  package func hash(into hasher: inout Hasher) {
    for entry in entries {
      hasher.combine(entry.key)
      hasher.combine(entry.value)
    }
  }
}
