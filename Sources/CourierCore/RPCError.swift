/// A call that ended with a status other than OK.
///
/// Handlers throw it to choose the status the caller sees; clients receive it when a call
/// fails. Any other error thrown by a handler reaches the caller as `UNKNOWN` with a fixed
/// message, so internal details never leave the process by accident.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The status code; never `.ok`.
  public var code: StatusCode
  /// A message for the developer who reads it (UTF-8, any characters).
  public var message: String
  /// Trailing metadata sent with the status (for example a machine-readable error code).
  public var metadata: Metadata

  /// Creates an error; `code` must not be `.ok`.
  public init(code: StatusCode, message: String, metadata: Metadata = [:]) {
    precondition(code != .ok, "an RPCError cannot carry status OK (message: \(message))")
    self.code = code
    self.message = message
    self.metadata = metadata
  }

  public var description: String {
    message.isEmpty ? code.name : "\(code.name): \(message)"
  }
}
