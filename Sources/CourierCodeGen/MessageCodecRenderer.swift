// Stage 3 (messages): the three codec methods of a message: `decodeFields(from:)`,
// `computeSize(cache:)` and `encodeFields(to:)`.
//
// Decoding switches on the raw key (number and wire type together), so a known field number
// arriving with an unexpected wire type falls to `default` and is kept as an unknown field.
// The size and write passes visit fields in field-number order (protoc's order) and so visit
// nested messages in the same order, which the size cache requires.

import CourierSchema

/// Renders the codec methods of one message.
struct MessageCodecRenderer {
  let plan: MessagePlan
  let access: String

  /// The expression of a field's stored value inside a codec method (`storage` is the local
  /// bound to the copy-on-write storage).
  private func stored(_ field: FieldPlan) -> String {
    if plan.isCopyOnWrite { return "storage." + field.names.storage }
    return field.hasPrivateStorage
      ? "self." + field.names.storage : "self." + field.names.property.quoted
  }

  private func stored(_ oneof: OneofPlan) -> String {
    plan.isCopyOnWrite ? "storage." + oneof.names.storage : "self." + oneof.names.property.quoted
  }

  // MARK: - Decoding

  func renderDecode(into writer: inout SourceWriter) {
    let signature =
      "\(access)mutating func decodeFields(from reader: inout CourierWire.WireReader) "
      + "throws(CourierWire.WireDecodingError) {"
    writer.block(signature) { body in
      if plan.isCopyOnWrite { body.line("let storage = self._uniqueStorage()") }
      body.block("while let tag = try reader.nextTag() {") { loop in
        guard !plan.fields.isEmpty else {
          loop.line("try reader.skipField(tag, into: &self.unknownFields)")
          return
        }
        loop.line("switch tag.rawValue {")
        for index in plan.encodingOrder { renderDecodeCase(plan.fields[index], into: &loop) }
        loop.line("default: try reader.skipField(tag, into: &self.unknownFields)")
        loop.line("}")
      }
    }
  }

  private func renderDecodeCase(_ field: FieldPlan, into writer: inout SourceWriter) {
    let number = field.number
    if let oneofIndex = field.oneofIndex, case .singular(let kind) = field.shape {
      let oneof = stored(plan.oneofs[oneofIndex])
      let member = "." + field.names.property.quoted
      let tag = WireKey.rawTag(fieldNumber: number, wireType: kind.wireType)
      guard case .message(let path) = kind else {
        writer.line(
          "case \(tag): \(oneof) = \(member)(\(kind.readExpression(fieldNumber: number)))")
        return
      }
      writer.line("case \(tag):")
      writer.indented { lines in
        lines.line("var value = \(path)()")
        lines.line("if case \(member)(let existing)? = \(oneof) { value = existing }")
        lines.line("try reader.readMessage(into: &value)")
        lines.line("\(oneof) = \(member)(value)")
      }
      return
    }
    let target = stored(field)
    switch field.shape {
    case .singular(.message):
      // Decodes into the optional storage in place (merging into a value already present).
      writer.line(
        "case \(WireKey.rawTag(fieldNumber: number, wireType: 2)): try reader.readMessage(into: &\(target))")
    case .singular(let kind):
      let tag = WireKey.rawTag(fieldNumber: number, wireType: kind.wireType)
      writer.line("case \(tag): \(target) = \(kind.readExpression(fieldNumber: number))")
    case .repeated(let kind, _) where kind.isPackable:
      let tags = [
        WireKey.rawTag(fieldNumber: number, wireType: kind.wireType),
        WireKey.rawTag(fieldNumber: number, wireType: 2),
      ]
      let labels = tags.sorted().map(String.init).joined(separator: ", ")
      writer.line(
        "case \(labels): try reader.readRepeated(\(kind.codec).self, tag: tag, into: &\(target))")
    case .repeated(let kind, _):
      // The reader counts the run of equal keys that follows and reserves room once.
      let tag = WireKey.rawTag(fieldNumber: number, wireType: kind.wireType)
      writer.line("case \(tag): try reader.readRepeated(\(kind.codec).self, tag: tag, into: &\(target))")
    case .map(let key, _, let value):
      let tag = WireKey.rawTag(fieldNumber: number, wireType: 2)
      writer.line(
        "case \(tag): try reader.readMapEntry(\(key.codec).self, \(value.codec).self, into: &\(target))"
      )
    }
  }

  // MARK: - Size and write passes

  /// A run of fields that the passes handle together: one field, or consecutive (in number
  /// order) members of one oneof, handled by one `switch`.
  private enum Step {
    case field(FieldPlan)
    case oneof(OneofPlan, members: [FieldPlan])
  }

  private var steps: [Step] {
    var steps: [Step] = []
    for index in plan.encodingOrder {
      let field = plan.fields[index]
      guard let oneofIndex = field.oneofIndex else {
        steps.append(.field(field))
        continue
      }
      if case .oneof(let oneof, let members)? = steps.last, members.last?.oneofIndex == oneofIndex {
        steps[steps.count - 1] = .oneof(oneof, members: members + [field])
      } else {
        steps.append(.oneof(plan.oneofs[oneofIndex], members: [field]))
      }
    }
    return steps
  }

  func renderSize(into writer: inout SourceWriter) {
    writer.block("\(access)func computeSize(cache: inout CourierWire.SizeCache) -> Swift.Int {") {
      body in
      guard !plan.fields.isEmpty else {
        body.line("self.unknownFields.size")
        return
      }
      if plan.isCopyOnWrite { body.line("let storage = self._storage") }
      body.line("var size = 0")
      for step in steps {
        switch step {
        case .field(let field): renderSize(field, into: &body)
        case .oneof(let oneof, let members):
          renderOneofSwitch(oneof, members: members, into: &body) { field, kind, _ in
            let tagSize = WireKey.tagSize(fieldNumber: field.number)
            return (
              "size &+= " + kind.sizeExpression("value", tagSize: tagSize), kind.fixedWidth == nil
            )
          }
        }
      }
      body.line("size &+= self.unknownFields.size")
      body.line("return size")
    }
  }

  private func renderSize(_ field: FieldPlan, into writer: inout SourceWriter) {
    let value = stored(field)
    let tagSize = WireKey.tagSize(fieldNumber: field.number)
    switch field.shape {
    case .singular(let kind) where field.hasPresence:
      let binding = kind.fixedWidth == nil ? "let value = \(value)" : "\(value) != nil"
      writer.line("if \(binding) { size &+= \(kind.sizeExpression("value", tagSize: tagSize)) }")
    case .singular(let kind):
      writer.line(
        "if \(kind.isNotDefault(value)) { size &+= \(kind.sizeExpression(value, tagSize: tagSize)) }"
      )
    case .repeated(let kind, let packed):
      let function = packed ? "packed" : "unpacked"
      writer.line(
        "size &+= CourierWire.FieldSize.\(function)(\(kind.codec).self, \(value), tagSize: \(tagSize), cache: &cache)"
      )
    case .map(let key, _, let valueKind):
      writer.line(
        "size &+= CourierWire.FieldSize.map(\(key.codec).self, \(valueKind.codec).self, \(value), "
          + "tagSize: \(tagSize), cache: &cache)")
    }
  }

  func renderEncode(into writer: inout SourceWriter) {
    writer.block("\(access)func encodeFields(to writer: inout CourierWire.WireWriter) {") { body in
      if plan.isCopyOnWrite { body.line("let storage = self._storage") }
      for step in steps {
        switch step {
        case .field(let field): renderEncode(field, into: &body)
        case .oneof(let oneof, let members):
          renderOneofSwitch(oneof, members: members, into: &body) { field, kind, tag in
            ("writer.writeTag(\(tag)); \(kind.writeStatement("value"))", true)
          }
        }
      }
      body.line("writer.writeUnknownFields(self.unknownFields)")
    }
  }

  private func renderEncode(_ field: FieldPlan, into writer: inout SourceWriter) {
    let value = stored(field)
    switch field.shape {
    case .singular(let kind):
      let tag = WireKey.rawTag(fieldNumber: field.number, wireType: kind.wireType)
      if field.hasPresence {
        writer.line(
          "if let value = \(value) { writer.writeTag(\(tag)); \(kind.writeStatement("value")) }")
      } else {
        writer.line(
          "if \(kind.isNotDefault(value)) { writer.writeTag(\(tag)); \(kind.writeStatement(value)) }"
        )
      }
    case .repeated(let kind, let packed):
      let tag = WireKey.rawTag(fieldNumber: field.number, wireType: packed ? 2 : kind.wireType)
      let function = packed ? "writePacked" : "writeUnpacked"
      writer.line("writer.\(function)(\(kind.codec).self, tag: \(tag), \(value))")
    case .map(let key, _, let valueKind):
      let tag = WireKey.rawTag(fieldNumber: field.number, wireType: 2)
      writer.line(
        "writer.writeMap(\(key.codec).self, \(valueKind.codec).self, tag: \(tag), \(value))")
    }
  }

  /// A `switch` over a oneof for `members`; `statement` gives each member's code and
  /// whether that code uses the member's value (bound as `value`).
  private func renderOneofSwitch(
    _ oneof: OneofPlan, members: [FieldPlan], into writer: inout SourceWriter,
    statement: (FieldPlan, FieldValueKind, UInt32) -> (code: String, usesValue: Bool)
  ) {
    writer.line("switch \(stored(oneof)) {")
    for field in members {
      guard case .singular(let kind) = field.shape else { continue }
      let tag = WireKey.rawTag(fieldNumber: field.number, wireType: kind.wireType)
      let (code, usesValue) = statement(field, kind, tag)
      let binding = usesValue ? "(let value)" : ""
      writer.line("case .\(field.names.property.quoted)\(binding)?: \(code)")
    }
    writer.line(members.count == oneof.fieldIndices.count ? "case nil: break" : "default: break")
    writer.line("}")
  }
}
