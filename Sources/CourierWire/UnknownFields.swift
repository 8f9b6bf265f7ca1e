/// Fields a decoder did not recognise, kept as their raw bytes (key and value) in arrival order.
///
/// They are written back unchanged after the known fields, so a message can pass through a
/// service built against an older schema without losing data.
public struct UnknownFields: Sendable, Hashable {
  /// The raw encoded fields.
  public var bytes: [UInt8]

  /// No unknown fields.
  @inlinable
  public init() { bytes = [] }

  /// Unknown fields holding exactly `bytes`, which must be a sequence of encoded fields.
  @inlinable
  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// Whether there are none.
  @inlinable
  public var isEmpty: Bool { bytes.isEmpty }

  /// The encoded size.
  @inlinable
  public var size: Int { bytes.count }
}
