// Copy-on-write storage for recursive and large messages: the fields live in a final class
// shared between copies of the struct until one of them is mutated. Equality and hashing are
// written out, since the struct's only stored field is the reference.

/// Renders `==`, `hash(into:)`, the storage class and `_uniqueStorage()` of one message.
struct MessageStorageRenderer {
  let plan: MessagePlan
  let access: String

  /// The stored members: every field outside oneofs, then every oneof.
  private var members: [(name: String, type: String, initial: String)] {
    var members: [(String, String, String)] = []
    for field in plan.fields where field.oneofIndex == nil {
      members.append((field.names.storage, field.storedType, field.storedDefault))
    }
    for oneof in plan.oneofs {
      members.append((oneof.names.storage, oneof.names.enumType + "?", "nil"))
    }
    return members
  }

  func renderEquality(into writer: inout SourceWriter) {
    let members = self.members
    writer.block("\(access)static func == (lhs: Self, rhs: Self) -> Swift.Bool {") { body in
      body.block("if lhs._storage !== rhs._storage {") { compare in
        compare.line("let left = lhs._storage")
        compare.line("let right = rhs._storage")
        compare.line("guard")
        compare.indented { conditions in
          for (index, member) in members.enumerated() {
            let separator = index == members.count - 1 ? "" : ","
            conditions.line("left.\(member.name) == right.\(member.name)\(separator)")
          }
        }
        compare.line("else { return false }")
      }
      body.line("return lhs.unknownFields == rhs.unknownFields")
    }
    writer.blankLine()
    writer.block("\(access)func hash(into hasher: inout Swift.Hasher) {") { body in
      body.line("let storage = self._storage")
      for member in members { body.line("hasher.combine(storage.\(member.name))") }
      body.line("hasher.combine(self.unknownFields)")
    }
  }

  func renderStorage(into writer: inout SourceWriter) {
    let members = self.members
    writer.line("/// The fields, shared by copies of the message until one of them is mutated.")
    writer.line("///")
    writer.line(
      "/// `@unchecked Sendable` is sound: every stored property is a `Sendable` value, and an")
    writer.line(
      "/// instance is mutated only through `_uniqueStorage()`, that is while exactly one message")
    writer.line(
      "/// value refers to it; an instance that is shared (`defaultInstance` always is) is never")
    writer.line(
      "/// mutated, so no two threads can see a write and another access of one instance.")
    writer.block("private final class _Storage: @unchecked Swift.Sendable {") { body in
      body.line("static let defaultInstance = _Storage()")
      body.blankLine()
      for member in members { body.line("var \(member.name): \(member.type) = \(member.initial)") }
      body.blankLine()
      body.line("init() {}")
      body.blankLine()
      body.block("init(copying source: _Storage) {") { copy in
        for member in members { copy.line("self.\(member.name) = source.\(member.name)") }
      }
    }
    writer.blankLine()
    writer.line("private var _storage = _Storage.defaultInstance")
    writer.blankLine()
    writer.line("/// The storage, copied first if another message value shares it.")
    writer.block("private mutating func _uniqueStorage() -> _Storage {") { body in
      body.block("if !Swift.isKnownUniquelyReferenced(&self._storage) {") { copy in
        copy.line("self._storage = _Storage(copying: self._storage)")
      }
      body.line("return self._storage")
    }
  }
}
