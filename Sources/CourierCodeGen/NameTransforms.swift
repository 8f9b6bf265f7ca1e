// Pure functions from proto identifiers to Swift identifiers. They know nothing of scopes or
// collisions (that is `SwiftNaming`'s job); each takes a name and returns a name.

/// The case conversions of the naming rules, as pure functions over ASCII identifiers.
public enum NameTransforms {
  /// Words that are upper-cased whole when they are not the first word: `transfer_id` →
  /// `transferID`, `callback_url` → `callbackURL` (swift-protobuf's rule, kept small on purpose).
  public static let initialisms: Set<String> = ["id", "url", "http", "https"]

  /// `snake_case`, `SCREAMING_CASE` or `camelCase` → `lowerCamelCase`.
  ///
  /// Underscores separate words and disappear; a word written in capitals alone is lowered
  /// (`NOT_FOUND` → `notFound`); the first word's leading capitals are lowered (`HTTPServer` →
  /// `httpServer`); later words start with a capital, and later initialisms are capitals
  /// whole (`user_id` → `userID`). Returns "" when the name has no letters or digits.
  public static func lowerCamelCase(_ name: String) -> String {
    var result = ""
    for (index, rawWord) in name.split(separator: "_").enumerated() {
      var word = String(rawWord)
      if !word.contains(where: { $0.isLowercase }) { word = word.lowercased() }
      if index == 0 {
        result += lowercasingLeadingCapitals(word)
      } else if initialisms.contains(word.lowercased()) {
        result += word.uppercased()
      } else {
        result += uppercasingFirst(word)
      }
    }
    return result
  }

  /// `some_name` → `SomeName`: each `_`-separated word starts with a capital, the rest of it is
  /// kept (`v1` → `V1`, `fooBar` → `FooBar`).
  public static func upperCamelCase(_ name: String) -> String {
    name.split(separator: "_").map { uppercasingFirst(String($0)) }.joined()
  }

  /// A proto type name as a Swift type name: leading underscores dropped, first letter
  /// capitalized, everything else kept (`foo_bar` → `Foo_bar`, `_Thing` → `Thing`). Returns ""
  /// for a name made of underscores only.
  public static func typeName(_ name: String) -> String {
    uppercasingFirst(String(name.drop(while: { $0 == "_" })))
  }

  /// The type-name prefix of a package: `bench.v1` → `Bench_V1_`, `my_pkg.api` →
  /// `MyPkg_Api_`, "" → "".
  public static func packagePrefix(_ package: String) -> String {
    let components = package.split(separator: ".").map { upperCamelCase(String($0)) }
    return components.isEmpty ? "" : components.joined(separator: "_") + "_"
  }

  /// A `swift_prefix` file option made into a valid start of an identifier: characters other
  /// than ASCII letters, digits and `_` become `_`, and a leading digit gets a `_` in front.
  public static func sanitizedPrefix(_ prefix: String) -> String {
    var result = String(prefix.map { isIdentifierCharacter($0) ? $0 : "_" })
    if let first = result.first, first.isNumber { result = "_" + result }
    return result
  }

  /// The value name without the enum's name in front, when it starts with it.
  ///
  /// The enum name is compared ignoring case and underscores (`Status` matches `STATUS_`,
  /// `HttpMethod` matches `HTTP_METHOD_`); the match must be followed by `_`, and what remains
  /// must be non-empty and start with a letter. Otherwise `nil`: the value keeps its full name.
  public static func strippingEnumPrefix(_ valueName: String, enumName: String) -> String? {
    let target = Array(enumName.lowercased().filter { $0 != "_" })
    guard !target.isEmpty else { return nil }
    var index = valueName.startIndex
    var matched = 0
    while matched < target.count, index < valueName.endIndex {
      let character = valueName[index]
      if character != "_" {
        guard Character(character.lowercased()) == target[matched] else { return nil }
        matched += 1
      }
      index = valueName.index(after: index)
    }
    guard matched == target.count, index < valueName.endIndex, valueName[index] == "_" else {
      return nil
    }
    let rest = valueName[index...].drop(while: { $0 == "_" })
    guard let first = rest.first, first.isLetter else { return nil }
    return String(rest)
  }

  /// `word` with its first character capitalized.
  public static func uppercasingFirst(_ word: String) -> String {
    guard let first = word.first else { return word }
    return first.uppercased() + word.dropFirst()
  }

  /// `word` with its leading run of capitals lowered, keeping the last capital of the run
  /// when a lowercase letter follows it: `Foo` → `foo`, `URL` → `url`, `HTTPServer` →
  /// `httpServer`.
  static func lowercasingLeadingCapitals(_ word: String) -> String {
    let characters = Array(word)
    var end = 0
    while end < characters.count, characters[end].isUppercase { end += 1 }
    if end > 1, end < characters.count, characters[end].isLowercase { end -= 1 }
    guard end > 0 else { return word }
    return characters[..<end].map { $0.lowercased() }.joined() + String(characters[end...])
  }

  static func isIdentifierCharacter(_ character: Character) -> Bool {
    character == "_" || (character.isASCII && (character.isLetter || character.isNumber))
  }
}
