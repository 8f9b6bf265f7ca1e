// Conveniences over the checked model for its consumers (the code generator, tools).

extension FieldDecl {
  /// The JSON name protobuf derives from the field name: underscores removed, each letter after
  /// one uppercased (`closed_at` -> `closedAt`).
  public var defaultJSONName: String {
    var result = ""
    var uppercaseNext = false
    for character in name {
      if character == "_" {
        uppercaseNext = true
      } else if uppercaseNext {
        result += character.uppercased()
        uppercaseNext = false
      } else {
        result.append(character)
      }
    }
    return result
  }

  /// The `json_name` option when set, else `defaultJSONName`.
  public var jsonName: String {
    for option in options.reversed() where option.name == "json_name" {
      if case .string(let value) = option.value { return value }
    }
    return defaultJSONName
  }

  /// Whether the field is encoded packed on the wire: a `repeated` scalar (other than `string`
  /// and `bytes`) or enum, unless `[packed = false]`.
  public var isPacked: Bool {
    guard label == .repeated, packed != false else { return false }
    switch type {
    case .scalar(let scalar): return scalar.isPackable
    case .enumeration: return true
    case .message, .map: return false
    }
  }
}

extension SchemaSet {
  /// The message with the fully qualified name `fullName` (no leading dot), in any file.
  public func message(named fullName: String) -> MessageDecl? {
    for file in files {
      var pending = file.messages
      while let message = pending.popLast() {
        if message.fullName == fullName { return message }
        pending += message.messages
      }
    }
    return nil
  }

  /// The enum with the fully qualified name `fullName` (no leading dot), in any file.
  public func enumeration(named fullName: String) -> EnumDecl? {
    for file in files {
      if let found = file.enums.first(where: { $0.fullName == fullName }) { return found }
      var pending = file.messages
      while let message = pending.popLast() {
        if let found = message.enums.first(where: { $0.fullName == fullName }) { return found }
        pending += message.messages
      }
    }
    return nil
  }
}
