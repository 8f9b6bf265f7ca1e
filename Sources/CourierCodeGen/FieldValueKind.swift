// What generated code writes for one value of a field, by its type: the Swift type, the
// runtime codec, the wire type, and the expressions that read, size and write it.

import CourierSchema

/// The type of one value (a singular field, an element of a repeated field, a map key or
/// value), with everything the renderers need to emit code for it.
enum FieldValueKind {
  case scalar(ScalarType)
  /// An enum: its Swift path and the name of its zero case.
  case enumeration(path: String, zeroCase: String)
  /// A message: its Swift path.
  case message(path: String)

  /// The Swift type of a value.
  var swiftType: String {
    switch self {
    case .scalar(let scalar): return Self.scalarSwiftType(scalar)
    case .enumeration(let path, _), .message(let path): return path
    }
  }

  /// The `CourierWire` codec type.
  var codec: String {
    switch self {
    case .scalar(let scalar): return "CourierWire." + Self.scalarCodecName(scalar)
    case .enumeration(let path, _): return "CourierWire.EnumCodec<\(path)>"
    case .message(let path): return "CourierWire.MessageCodec<\(path)>"
    }
  }

  /// The wire type of one value on its own (not packed).
  var wireType: UInt32 {
    switch self {
    case .scalar(let scalar):
      switch scalar {
      case .double, .fixed64, .sfixed64: return 1
      case .float, .fixed32, .sfixed32: return 5
      case .string, .bytes: return 2
      default: return 0
      }
    case .enumeration: return 0
    case .message: return 2
    }
  }

  /// Whether `repeated` fields of this type may be packed.
  var isPackable: Bool {
    switch self {
    case .scalar(let scalar): return scalar.isPackable
    case .enumeration: return true
    case .message: return false
    }
  }

  /// The encoded size of every value, for fixed-width types.
  var fixedWidth: Int? {
    switch self {
    case .scalar(let scalar):
      switch scalar {
      case .double, .fixed64, .sfixed64: return 8
      case .float, .fixed32, .sfixed32: return 4
      case .bool: return 1
      default: return nil
      }
    case .enumeration, .message: return nil
    }
  }

  /// proto3's default value, as a Swift expression of `swiftType`.
  var defaultValue: String {
    switch self {
    case .scalar(let scalar):
      switch scalar {
      case .bool: return "false"
      case .string: return "\"\""
      case .bytes: return "[]"
      default: return "0"
      }
    case .enumeration(_, let zeroCase): return "." + zeroCase
    case .message(let path): return path + "()"
    }
  }

  /// A condition that is true when `value` must be written (it differs from the default).
  /// Floating-point values compare bit patterns, so `-0.0` is written.
  func isNotDefault(_ value: String) -> String {
    switch self {
    case .scalar(let scalar):
      switch scalar {
      case .bool: return value
      case .string, .bytes: return "!\(value).isEmpty"
      case .float, .double: return "\(value).bitPattern != 0"
      default: return "\(value) != 0"
      }
    case .enumeration: return "\(value).rawValue != 0"
    case .message: return "true"
    }
  }

  /// An expression that reads one value (the key has been read).
  func readExpression(fieldNumber: Int) -> String {
    switch self {
    case .scalar(.string): return "try reader.readString(fieldNumber: \(fieldNumber))"
    case .scalar(let scalar): return "try reader.read\(Self.scalarMethodSuffix(scalar))()"
    case .enumeration(let path, _): return "\(path)(rawValue: try reader.readEnum())"
    case .message(let path): return "try reader.readMessage(\(path).self)"
    }
  }

  /// A statement that writes `value` (after its key).
  func writeStatement(_ value: String) -> String {
    switch self {
    case .scalar(let scalar): return "writer.write\(Self.scalarMethodSuffix(scalar))(\(value))"
    case .enumeration: return "writer.writeEnum(\(value).rawValue)"
    case .message: return "writer.writeMessage(\(value))"
    }
  }

  /// An expression for the size of a field holding `value`, key included.
  func sizeExpression(_ value: String, tagSize: Int) -> String {
    if let width = fixedWidth { return "\(tagSize + width)" }
    return "\(tagSize) &+ \(codec).size(of: \(value), cache: &cache)"
  }

  static func scalarSwiftType(_ scalar: ScalarType) -> String {
    switch scalar {
    case .double: return "Swift.Double"
    case .float: return "Swift.Float"
    case .int64, .sint64, .sfixed64: return "Swift.Int64"
    case .uint64, .fixed64: return "Swift.UInt64"
    case .int32, .sint32, .sfixed32: return "Swift.Int32"
    case .uint32, .fixed32: return "Swift.UInt32"
    case .bool: return "Swift.Bool"
    case .string: return "Swift.String"
    case .bytes: return "[Swift.UInt8]"
    }
  }

  static func scalarCodecName(_ scalar: ScalarType) -> String {
    scalarMethodSuffix(scalar) + "Codec"
  }

  /// The part of `readX`/`writeX`/`XCodec` that names the scalar type.
  static func scalarMethodSuffix(_ scalar: ScalarType) -> String {
    switch scalar {
    case .double: return "Double"
    case .float: return "Float"
    case .int64: return "Int64"
    case .uint64: return "UInt64"
    case .int32: return "Int32"
    case .fixed64: return "Fixed64"
    case .fixed32: return "Fixed32"
    case .bool: return "Bool"
    case .string: return "String"
    case .bytes: return "Bytes"
    case .uint32: return "UInt32"
    case .sfixed32: return "SFixed32"
    case .sfixed64: return "SFixed64"
    case .sint32: return "SInt32"
    case .sint64: return "SInt64"
    }
  }
}

/// The wire encoding of field keys, computed by the generator so generated code holds
/// literals.
enum WireKey {
  /// The key as written: `fieldNumber << 3 | wireType`.
  static func rawTag(fieldNumber: Int, wireType: UInt32) -> UInt32 {
    UInt32(truncatingIfNeeded: fieldNumber) << 3 | wireType
  }

  /// The number of bytes the key of `fieldNumber` takes.
  static func tagSize(fieldNumber: Int) -> Int {
    var value = UInt64(truncatingIfNeeded: fieldNumber) << 3
    var size = 1
    while value >= 0x80 {
      value >>= 7
      size += 1
    }
    return size
  }
}
