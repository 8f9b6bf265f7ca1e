// Stage 3 (enums): an enum of the checked model → an open Swift enum conforming to
// `CourierWire.ProtoEnum`, with `.unrecognized` for numbers the schema does not name.

import CourierSchema

/// Renders one enum.
struct EnumRenderer {
  let decl: EnumDecl
  let names: EnumNames
  let isMarkedDeprecated: Bool
  let access: String

  /// The values that are cases (the first name of each number), and the aliases (later
  /// names of a number already named, which become static properties).
  private var cases: [(value: EnumValueDecl, name: SwiftIdentifier)] {
    var seen = Set<Int32>()
    return zip(decl.values, names.values).filter { seen.insert($0.0.number).inserted }
  }

  private var aliases: [(value: EnumValueDecl, name: SwiftIdentifier, target: SwiftIdentifier)] {
    var firstName: [Int32: SwiftIdentifier] = [:]
    var aliases: [(EnumValueDecl, SwiftIdentifier, SwiftIdentifier)] = []
    for (value, name) in zip(decl.values, names.values) {
      if let target = firstName[value.number] {
        aliases.append((value, name, target))
      } else {
        firstName[value.number] = name
      }
    }
    return aliases
  }

  func render(into writer: inout SourceWriter) {
    let cases = self.cases
    let path = names.path
    writer.documentation(decl.documentation)
    if isMarkedDeprecated { writer.line("@available(*, deprecated)") }
    writer.block("\(access)enum \(names.typeName): CourierWire.ProtoEnum, Swift.CaseIterable {") {
      body in
      for (value, name) in cases {
        body.documentation(value.documentation)
        body.line("case \(name.quoted)")
      }
      body.line(
        "/// A number this version of the schema does not name; kept so it survives a round trip.")
      body.line("case unrecognized(Swift.Int32)")
      let aliases = self.aliases
      if !aliases.isEmpty { body.blankLine() }
      for (value, name, target) in aliases {
        body.documentation(value.documentation ?? "An alias of `\(target.name)`.")
        if value.isDeprecated { body.line("@available(*, deprecated)") }
        body.line("\(access)static let \(name.quoted): \(path) = .\(target.quoted)")
      }
      body.blankLine()
      body.line("/// The named values, in declaration order.")
      body.block("\(access)static let allCases: [\(path)] = [", closer: "]") { list in
        for (_, name) in cases { list.line(".\(name.quoted),") }
      }
      body.blankLine()
      if let zero = cases.first {
        body.line("/// `\(zero.value.name)`, the default.")
        body.line("\(access)init() { self = .\(zero.name.quoted) }")
      }
      body.blankLine()
      body.block("\(access)init(rawValue: Swift.Int32) {") { initializer in
        initializer.line("switch rawValue {")
        for (value, name) in cases {
          initializer.line("case \(value.number): self = .\(name.quoted)")
        }
        initializer.line("default: self = .unrecognized(rawValue)")
        initializer.line("}")
      }
      body.blankLine()
      body.block("\(access)var rawValue: Swift.Int32 {") { property in
        property.line("switch self {")
        for (value, name) in cases { property.line("case .\(name.quoted): return \(value.number)") }
        property.line("case .unrecognized(let value): return value")
        property.line("}")
      }
    }
  }
}
