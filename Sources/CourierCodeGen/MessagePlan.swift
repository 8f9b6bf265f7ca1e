// Stage 2 of generation: a message of the checked model, translated into what its Swift code
// needs (resolved types, names, storage, wire keys). Building a plan is the only step that
// can fail; rendering a plan cannot.

import CourierSchema

/// How a field holds its values.
enum FieldShape {
  case singular(FieldValueKind)
  case repeated(FieldValueKind, packed: Bool)
  /// A map; the key is always a scalar.
  case map(key: FieldValueKind, keyScalar: ScalarType, value: FieldValueKind)
}

/// One field, ready to render.
struct FieldPlan {
  var decl: FieldDecl
  var names: FieldNames
  var shape: FieldShape
  /// `hasX`/`clearX` and optional storage (proto3 `optional`, singular message fields).
  var hasPresence: Bool
  /// In a plain (not copy-on-write) message: whether the value lives in `_x` behind a
  /// computed property (presence, or deprecation so generated code never uses the
  /// deprecated property).
  var hasPrivateStorage: Bool

  var number: Int { decl.number }
  var oneofIndex: Int? { decl.oneofIndex }

  /// The Swift type of the public property.
  var swiftType: String {
    switch shape {
    case .singular(let kind): return kind.swiftType
    case .repeated(let kind, _): return "[\(kind.swiftType)]"
    case .map(let key, _, let value): return "[\(key.swiftType): \(value.swiftType)]"
    }
  }

  /// The value of an unset field.
  var defaultValue: String {
    switch shape {
    case .singular(let kind): return kind.defaultValue
    case .repeated: return "[]"
    case .map: return "[:]"
    }
  }

  /// The type and initial value of the stored value: `T? = nil` with presence.
  var storedType: String { hasPresence ? swiftType + "?" : swiftType }
  var storedDefault: String { hasPresence ? "nil" : defaultValue }
}

/// One oneof, ready to render.
struct OneofPlan {
  var decl: OneofDecl
  var names: OneofNames
  /// Indices into `MessagePlan.fields`, in declaration order.
  var fieldIndices: [Int]
}

/// A message, ready to render.
struct MessagePlan {
  var decl: MessageDecl
  var names: MessageNames
  var fields: [FieldPlan]
  var oneofs: [OneofPlan]
  /// Whether the fields live in a copy-on-write class (recursive or large messages).
  var isCopyOnWrite: Bool
  /// Whether the type carries `@available(*, deprecated)`.
  var isMarkedDeprecated: Bool

  /// Field indices in field-number order: the order of the size and write passes.
  var encodingOrder: [Int] {
    fields.indices.sorted { fields[$0].number < fields[$1].number }
  }

  init(_ message: MessageDecl, context: RenderContext) throws(CodeGenerationError) {
    guard let names = context.names.messages[message.fullName] else {
      throw CodeGenerationError(
        "no Swift name for message \(message.fullName)", at: message.location)
    }
    self.decl = message
    self.names = names
    self.isCopyOnWrite = context.index.copyOnWriteMessages.contains(message.fullName)
    self.isMarkedDeprecated = context.isMarkedDeprecated(message.fullName, message.isDeprecated)
    var fields: [FieldPlan] = []
    for (index, field) in message.fields.enumerated() {
      guard names.fields.indices.contains(index) else {
        throw CodeGenerationError("no Swift name for field \(field.name)", at: field.location)
      }
      let shape = try Self.shape(of: field, context: context)
      var hasPresence = false
      if field.oneofIndex == nil, case .singular(let kind) = shape {
        if case .message = kind {
          hasPresence = true
        } else {
          hasPresence = field.label == .optional
        }
      }
      fields.append(
        FieldPlan(
          decl: field, names: names.fields[index], shape: shape, hasPresence: hasPresence,
          hasPrivateStorage: field.oneofIndex == nil && (hasPresence || field.isDeprecated)))
    }
    self.fields = fields
    var oneofs: [OneofPlan] = []
    for (index, oneof) in message.oneofs.enumerated() {
      guard names.oneofs.indices.contains(index) else {
        throw CodeGenerationError("no Swift name for oneof \(oneof.name)", at: oneof.location)
      }
      let members = fields.indices.filter { fields[$0].oneofIndex == index }
      oneofs.append(OneofPlan(decl: oneof, names: names.oneofs[index], fieldIndices: members))
    }
    self.oneofs = oneofs
  }

  static func shape(of field: FieldDecl, context: RenderContext) throws(CodeGenerationError)
    -> FieldShape
  {
    switch field.type {
    case .map(let keyScalar, let valueType):
      guard keyScalar.isValidMapKey else {
        throw CodeGenerationError(
          "map key type \(keyScalar) of \(field.name) is not allowed", at: field.location)
      }
      if case .map = valueType {
        throw CodeGenerationError("map value of \(field.name) is a map", at: field.location)
      }
      let value = try context.valueKind(valueType, at: field.location)
      return .map(key: .scalar(keyScalar), keyScalar: keyScalar, value: value)
    default:
      let kind = try context.valueKind(field.type, at: field.location)
      guard field.label == .repeated else { return .singular(kind) }
      return .repeated(kind, packed: kind.isPackable && field.packed != false)
    }
  }
}

/// What every renderer consults: the schema set, its names, its index and the options.
struct RenderContext {
  var set: SchemaSet
  var names: SwiftNames
  var index: SchemaIndex
  var options: GeneratorOptions

  init(set: SchemaSet, options: GeneratorOptions) {
    self.set = set
    self.names = SwiftNaming.names(for: set)
    self.index = SchemaIndex(set)
    self.options = options
  }

  /// `"public "` or `""`: the access modifier of generated declarations, with its space.
  var access: String { options.visibility == .public ? "public " : "" }

  /// Whether a deprecated message or enum gets `@available(*, deprecated)`: only when no
  /// declaration outside it refers to it, so generated code never warns.
  func isMarkedDeprecated(_ fullName: String, _ isDeprecated: Bool) -> Bool {
    isDeprecated && !index.typesReferencedFromOutside.contains(fullName)
  }

  /// The Swift path of a message or enum.
  func typePath(_ fullName: String, at location: SourceLocation?) throws(CodeGenerationError)
    -> String
  {
    guard let path = names.typePath(of: fullName) else {
      throw CodeGenerationError("unknown type \(fullName)", at: location)
    }
    return path
  }

  /// How one value of `type` is declared and coded (maps are handled by the caller).
  func valueKind(_ type: FieldType, at location: SourceLocation) throws(CodeGenerationError)
    -> FieldValueKind
  {
    switch type {
    case .scalar(let scalar):
      return .scalar(scalar)
    case .message(let fullName):
      guard index.messages[fullName] != nil else {
        throw CodeGenerationError("unknown message type \(fullName)", at: location)
      }
      return .message(path: try typePath(fullName, at: location))
    case .enumeration(let fullName):
      guard let names = names.enums[fullName], let zeroCase = names.values.first else {
        throw CodeGenerationError("unknown or empty enum type \(fullName)", at: location)
      }
      return .enumeration(path: names.path, zeroCase: zeroCase.quoted)
    case .map:
      throw CodeGenerationError("a map cannot be a map's value or a repeated element", at: location)
    }
  }
}
