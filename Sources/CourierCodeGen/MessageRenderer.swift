// Stage 3 (messages): a `MessagePlan` → the Swift struct: its properties, oneofs and, for
// copy-on-write messages, its storage; the codec methods come from MessageCodecRenderer.

import CourierSchema

/// Renders message structs.
struct MessageRenderer {
  let plan: MessagePlan
  let access: String

  /// Writes the struct (without nested types, which `FileRenderer` puts in an extension).
  func render(into writer: inout SourceWriter) {
    writer.documentation(plan.decl.documentation)
    if plan.isMarkedDeprecated { writer.line("@available(*, deprecated)") }
    writer.block("\(access)struct \(plan.names.typeName): CourierWire.Message {") { body in
      body.line(
        "\(access)static let protoMessageName: Swift.String = \(Self.stringLiteral(plan.decl.fullName))"
      )
      var renderedOneofs = Set<Int>()
      for field in plan.fields {
        body.blankLine()
        if let oneofIndex = field.oneofIndex {
          guard renderedOneofs.insert(oneofIndex).inserted else { continue }
          renderOneof(plan.oneofs[oneofIndex], into: &body)
        } else {
          renderField(field, into: &body)
        }
      }
      body.blankLine()
      body.line("\(access)var unknownFields = CourierWire.UnknownFields()")
      body.blankLine()
      body.line("\(access)init() {}")
      let codec = MessageCodecRenderer(plan: plan, access: access)
      body.blankLine()
      codec.renderDecode(into: &body)
      body.blankLine()
      codec.renderSize(into: &body)
      body.blankLine()
      codec.renderEncode(into: &body)
      if plan.isCopyOnWrite {
        let storage = MessageStorageRenderer(plan: plan, access: access)
        body.blankLine()
        storage.renderEquality(into: &body)
        body.blankLine()
        storage.renderStorage(into: &body)
      }
    }
  }

  // MARK: - Fields

  /// The expressions that read and write a field's stored value from inside the struct.
  private func storedAccess(_ field: FieldPlan) -> (get: String, set: String) {
    if plan.isCopyOnWrite {
      return (
        "self._storage.\(field.names.storage)", "self._uniqueStorage().\(field.names.storage)"
      )
    }
    let stored = "self.\(field.names.storage)"
    return (stored, stored)
  }

  private func renderField(_ field: FieldPlan, into writer: inout SourceWriter) {
    let deprecation = field.decl.isDeprecated ? "@available(*, deprecated)" : nil
    let name = field.names.property.quoted
    writer.documentation(field.decl.documentation)
    if let deprecation { writer.line(deprecation) }
    if !plan.isCopyOnWrite && !field.hasPrivateStorage {
      writer.line("\(access)var \(name): \(field.swiftType) = \(field.defaultValue)")
      return
    }
    let (get, set) = storedAccess(field)
    let getter = field.hasPresence ? "\(get) ?? \(field.defaultValue)" : get
    writer.block("\(access)var \(name): \(field.swiftType) {") { accessors in
      accessors.line("get { \(getter) }")
      accessors.line("set { \(set) = newValue }")
    }
    if field.hasPresence {
      writer.line("/// Whether `\(field.names.property.name)` is set.")
      if let deprecation { writer.line(deprecation) }
      writer.line("\(access)var \(field.names.has): Swift.Bool { \(get) != nil }")
      writer.line("/// Unsets `\(field.names.property.name)`.")
      if let deprecation { writer.line(deprecation) }
      writer.line("\(access)mutating func \(field.names.clear)() { \(set) = nil }")
    }
    if !plan.isCopyOnWrite {
      writer.line(
        "private var \(field.names.storage): \(field.storedType) = \(field.storedDefault)")
    }
  }

  // MARK: - Oneofs

  private func renderOneof(_ oneof: OneofPlan, into writer: inout SourceWriter) {
    let property = oneof.names.property.quoted
    let enumType = oneof.names.enumType
    writer.documentation(oneof.decl.documentation)
    if plan.isCopyOnWrite {
      writer.block("\(access)var \(property): \(enumType)? {") { accessors in
        accessors.line("get { self._storage.\(oneof.names.storage) }")
        accessors.line("set { self._uniqueStorage().\(oneof.names.storage) = newValue }")
      }
    } else {
      writer.line("\(access)var \(property): \(enumType)? = nil")
    }
    for index in oneof.fieldIndices {
      let field = plan.fields[index]
      let name = field.names.property.quoted
      writer.blankLine()
      writer.documentation(field.decl.documentation)
      if field.decl.isDeprecated { writer.line("@available(*, deprecated)") }
      writer.block("\(access)var \(name): \(field.swiftType) {") { accessors in
        accessors.block("get {") { getter in
          getter.line("if case .\(name)(let value)? = self.\(property) { return value }")
          getter.line("return \(field.defaultValue)")
        }
        accessors.line("set { self.\(property) = .\(name)(newValue) }")
      }
    }
    writer.blankLine()
    writer.line("/// The members of oneof `\(oneof.decl.name)`; at most one is set.")
    writer.block("\(access)enum \(enumType): Swift.Sendable, Swift.Hashable {") { cases in
      for index in oneof.fieldIndices {
        let field = plan.fields[index]
        cases.documentation(field.decl.documentation)
        cases.line("case \(field.names.property.quoted)(\(field.swiftType))")
      }
    }
  }

  /// `text` as a Swift string literal.
  static func stringLiteral(_ text: String) -> String {
    var literal = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": literal += "\\\\"
      case "\"": literal += "\\\""
      case "\n": literal += "\\n"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          literal += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          literal.unicodeScalars.append(scalar)
        }
      }
    }
    return literal + "\""
  }
}
