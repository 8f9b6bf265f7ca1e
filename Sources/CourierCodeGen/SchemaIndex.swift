// Lookups over a schema set that several renderers need: declarations by fully qualified
// name, and which messages must keep their fields in copy-on-write storage.

import CourierSchema

/// The declarations of a schema set, by fully qualified name, and the storage decisions.
struct SchemaIndex: Sendable {
  private(set) var messages: [String: MessageDecl] = [:]
  private(set) var enums: [String: EnumDecl] = [:]
  /// The package of the file that declares each message and enum.
  private(set) var packages: [String: String] = [:]
  /// Messages whose fields live in a copy-on-write class (recursive or large).
  private(set) var copyOnWriteMessages: Set<String> = []
  /// Messages and enums referred to from outside their own declaration (a field of another
  /// message, an rpc); a deprecated type that is referred to stays unannotated so the
  /// generated code that uses it does not warn.
  private(set) var typesReferencedFromOutside: Set<String> = []

  /// Messages with more fields than this keep them in copy-on-write storage, so copying the
  /// struct stays cheap.
  static let inlineFieldsMax = 16

  init(_ set: SchemaSet) {
    for file in set.files {
      for message in file.messages { add(message, package: file.package) }
      for enumeration in file.enums {
        enums[enumeration.fullName] = enumeration
        packages[enumeration.fullName] = file.package
      }
      for service in file.services {
        for method in service.methods {
          typesReferencedFromOutside.insert(method.inputType)
          typesReferencedFromOutside.insert(method.outputType)
        }
      }
    }
    copyOnWriteMessages = Self.copyOnWrite(messages)
  }

  private mutating func add(_ message: MessageDecl, package: String) {
    messages[message.fullName] = message
    packages[message.fullName] = package
    for enumeration in message.enums {
      enums[enumeration.fullName] = enumeration
      packages[enumeration.fullName] = package
    }
    for field in message.fields {
      // A reference from inside the referenced type itself (its own field, or a field of a
      // type nested in it) is in a deprecated context when the type is marked.
      for referenced in Self.referencedTypes(field.type)
      where !Self.isInside(message.fullName, referenced) {
        typesReferencedFromOutside.insert(referenced)
      }
    }
    for nested in message.messages { add(nested, package: package) }
  }

  /// Whether `name` is `scope` or declared inside it.
  static func isInside(_ name: String, _ scope: String) -> Bool {
    name == scope || name.hasPrefix(scope + ".")
  }

  static func referencedTypes(_ type: FieldType) -> [String] {
    switch type {
    case .scalar: return []
    case .message(let name), .enumeration(let name): return [name]
    case .map(_, let value): return referencedTypes(value)
    }
  }

  /// Messages that are part of a cycle of singular message fields (a struct cannot contain
  /// itself, even through other structs) or that have many fields.
  static func copyOnWrite(_ messages: [String: MessageDecl]) -> Set<String> {
    var edges: [String: [String]] = [:]
    for (name, message) in messages {
      edges[name] = message.fields.compactMap { field in
        guard field.label != .repeated, case .message(let target) = field.type else { return nil }
        return target
      }
    }
    var result = Set<String>()
    for (name, message) in messages {
      if message.fields.count > inlineFieldsMax || reaches(name, from: name, edges: edges) {
        result.insert(name)
      }
    }
    return result
  }

  /// Whether a path of one or more edges leads from `start` to `target`.
  static func reaches(_ target: String, from start: String, edges: [String: [String]]) -> Bool {
    var visited = Set<String>()
    var pending = edges[start] ?? []
    while let next = pending.popLast() {
      if next == target { return true }
      guard visited.insert(next).inserted else { continue }
      pending.append(contentsOf: edges[next] ?? [])
    }
    return false
  }
}
