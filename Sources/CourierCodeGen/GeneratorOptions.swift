/// What `CodeGenerator` emits, and with which access level.
public struct GeneratorOptions: Sendable, Hashable {
  /// The parts of a generated file.
  public struct Parts: OptionSet, Sendable, Hashable {
    /// One bit per part.
    public let rawValue: Int
    /// The parts whose bits are set in `rawValue`.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Message structs and enums (need only `CourierWire`).
    public static let messages = Parts(rawValue: 1 << 0)
    /// The service namespace's descriptors, `ServiceProtocol` and `registerMethods(with:)`.
    public static let server = Parts(rawValue: 1 << 1)
    /// The service namespace's descriptors and `Client`.
    public static let client = Parts(rawValue: 1 << 2)
    /// Everything.
    public static let all: Parts = [.messages, .server, .client]

    /// The names accepted by `--emit`, in canonical order.
    public static let namesByPart: [(name: String, part: Parts)] = [
      ("messages", .messages), ("server", .server), ("client", .client),
    ]
  }

  /// The access level of generated declarations.
  public enum Visibility: String, Sendable, Hashable, CaseIterable {
    /// `public` declarations and `public import`s: the generated code is a library's API.
    case `public`
    /// Declarations without an access modifier (internal) and plain `import`s.
    case `internal`
  }

  /// The parts to emit (`--emit`).
  public var parts: Parts
  /// The access level of generated declarations (`--visibility`).
  public var visibility: Visibility

  /// Everything, public: what the committed generated files use.
  public init(parts: Parts = .all, visibility: Visibility = .public) {
    self.parts = parts
    self.visibility = visibility
  }
}
