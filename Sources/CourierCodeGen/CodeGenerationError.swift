public import CourierSchema

/// Why a schema set could not be turned into Swift. The checker rules these out; the
/// generator still refuses a model it cannot render instead of trapping.
public struct CodeGenerationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, naming the declaration.
  public var message: String
  /// Where the offending declaration is, when known.
  public var location: SourceLocation?

  /// An error about the declaration at `location`.
  public init(_ message: String, at location: SourceLocation? = nil) {
    self.message = message
    self.location = location
  }

  /// `file:line:col: error: message`, like a schema diagnostic.
  public var description: String {
    guard let location else { return "error: \(message)" }
    return "\(location): error: \(message)"
  }
}
