// Reserved numbers and names, for messages and enums.

/// What a reserved statement reserves: field numbers or enum values.
enum ReservedKind: Sendable {
  case field, enumValue

  var nameNoun: String { self == .field ? "field name" : "enum value name" }
}

/// Validated reserved ranges and names, with a fast membership test.
struct CheckedReserved: Sendable {
  var declaration = ReservedDecl()
  var names: Set<String> = []
  /// The valid ranges sorted by lower bound and merged, for binary search.
  private var merged: [ClosedRange<Int>] = []

  init(declaration: ReservedDecl) {
    self.declaration = declaration
    self.names = Set(declaration.names)
    for range in declaration.ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
      if let last = merged.last, range.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
  }

  /// Whether `number` falls in a reserved range.
  func contains(_ number: Int) -> Bool {
    var low = 0
    var high = merged.count
    while low < high {
      let middle = (low + high) / 2
      if merged[middle].upperBound < number {
        low = middle + 1
      } else {
        high = middle
      }
    }
    return low < merged.count && merged[low].contains(number)
  }
}

extension Checker {
  /// Validates `reserved` statements: ranges inside `bounds` (`max` means its upper bound),
  /// start not above end, no two ranges overlapping, names valid identifiers reserved once.
  mutating func checkReserved(_ statements: [SyntaxReserved], bounds: ClosedRange<Int>, of kind: ReservedKind) -> CheckedReserved {
    var ranges: [(range: ClosedRange<Int>, location: SourceLocation)] = []
    var names: [String] = []
    for statement in statements {
      for syntax in statement.ranges {
        let end = syntax.endIsMax ? bounds.upperBound : syntax.end
        guard syntax.start <= end else {
          error("reserved range end number must be greater than start number", at: syntax.location)
          continue
        }
        guard bounds.contains(syntax.start), bounds.contains(end) else {
          let what = kind == .field ? "reserved field numbers" : "reserved enum values"
          error("\(what) must be between \(bounds.lowerBound) and \(bounds.upperBound)", at: syntax.location)
          continue
        }
        ranges.append((syntax.start...end, syntax.location))
      }
      for name in statement.names {
        if !Self.isIdentifier(name.text) {
          error("reserved name \"\(name.text)\" is not a valid identifier", at: name.location)
        } else if names.contains(name.text) {
          error("\(kind.nameNoun) \"\(name.text)\" is reserved multiple times", at: name.location)
        } else {
          names.append(name.text)
        }
      }
    }
    reportOverlaps(ranges)
    return CheckedReserved(declaration: ReservedDecl(ranges: ranges.map(\.range), names: names))
  }

  /// Reports each range that overlaps one declared before it (sorting keeps this O(n log n)).
  private mutating func reportOverlaps(_ ranges: [(range: ClosedRange<Int>, location: SourceLocation)]) {
    let order = ranges.indices.sorted { ranges[$0].range.lowerBound < ranges[$1].range.lowerBound }
    var widest: Int?
    for index in order {
      if let previous = widest, ranges[index].range.lowerBound <= ranges[previous].range.upperBound {
        let (later, earlier) = index > previous ? (index, previous) : (previous, index)
        error(
          "reserved range \(Self.describe(ranges[later].range)) overlaps with already-defined range "
            + Self.describe(ranges[earlier].range), at: ranges[later].location)
      }
      if widest.map({ ranges[index].range.upperBound > ranges[$0].range.upperBound }) ?? true {
        widest = index
      }
    }
  }

  static func describe(_ range: ClosedRange<Int>) -> String {
    range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
  }

  /// `[A-Za-z_][A-Za-z0-9_]*`.
  static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.utf8.first, ASCII.isIdentifierStart(first) else { return false }
    return text.utf8.allSatisfy(ASCII.isIdentifierPart)
  }
}
