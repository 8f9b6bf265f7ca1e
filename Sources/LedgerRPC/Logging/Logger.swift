#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// How much a log line matters, from least to most.
public enum LogLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
  /// Detail for whoever debugs the service.
  case debug
  /// Normal operation: a call served, the server listening.
  case info
  /// Something unusual that the service handled.
  case warning
  /// Something failed that an operator should look at.
  case error

  /// Parses `debug`, `info`, `warning` (or `warn`) and `error`, in any case.
  public init?(name: String) {
    switch name.lowercased() {
    case "debug": self = .debug
    case "info": self = .info
    case "warning", "warn": self = .warning
    case "error": self = .error
    default: return nil
    }
  }

  public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The lowercase name written in the `level` field.
  public var description: String {
    switch self {
    case .debug: "debug"
    case .info: "info"
    case .warning: "warning"
    case .error: "error"
    }
  }
}

/// Where finished log lines go (one JSON object per line, without the newline).
///
/// A port: the composition root chooses stderr; tests capture lines in memory. An
/// implementation must not block its caller for long (handlers log on their own threads).
public protocol LogSink: Sendable {
  /// Takes one complete line.
  func write(line: String)
}

/// A structured logger: writes one JSON object per line with `time`, `level`, `msg` and the
/// caller's fields, for the lines at or above ``minimumLevel``.
///
/// A value, passed to whoever logs: no global logger.
public struct Logger: Sendable {
  /// Lines below this level are dropped before they are formatted.
  public let minimumLevel: LogLevel
  private let sink: any LogSink

  /// A logger writing lines at or above `minimumLevel` to `sink`.
  public init(minimumLevel: LogLevel, sink: any LogSink) {
    self.minimumLevel = minimumLevel
    self.sink = sink
  }

  /// Whether a line at `level` would be written; check it before building costly fields.
  public func isEnabled(_ level: LogLevel) -> Bool { level >= minimumLevel }

  /// Writes `{"time":…,"level":…,"msg":message, fields…}` if `level` is enabled. Field names
  /// should be snake_case and must not repeat `time`, `level` or `msg`.
  public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
    guard isEnabled(level) else { return }
    var line = JSONLine()
    line.append("time", .string(Self.utcNow()))
    line.append("level", .string(level.description))
    line.append("msg", .string(message))
    for (key, value) in fields { line.append(key, value) }
    sink.write(line: line.finished())
  }

  /// Now as RFC 3339 UTC with microseconds, e.g. `2025-01-31T09:05:07.123456Z`.
  static func utcNow() -> String {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    var seconds = time_t(time.tv_sec)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func padded(_ value: Int, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    let date = "\(padded(Int(parts.tm_year) + 1900, 4))-\(padded(Int(parts.tm_mon) + 1, 2))-\(padded(Int(parts.tm_mday), 2))"
    let clock = "\(padded(Int(parts.tm_hour), 2)):\(padded(Int(parts.tm_min), 2)):\(padded(Int(parts.tm_sec), 2))"
    return "\(date)T\(clock).\(padded(Int(time.tv_nsec) / 1_000, 6))Z"
  }
}

/// A field value of a log line.
public enum LogValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
  /// A JSON string.
  case string(String)
  /// A JSON number.
  case integer(Int64)
  /// A JSON boolean.
  case boolean(Bool)

  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int64) { self = .integer(value) }
}

/// Builds one JSON object, escaping strings as RFC 8259 requires.
struct JSONLine {
  private var text = "{"

  mutating func append(_ key: String, _ value: LogValue) {
    if text.utf8.count > 1 { text += "," }
    Self.appendString(key, to: &text)
    text += ":"
    switch value {
    case .string(let string): Self.appendString(string, to: &text)
    case .integer(let integer): text += String(integer)
    case .boolean(let boolean): text += boolean ? "true" : "false"
    }
  }

  func finished() -> String { text + "}" }

  private static func appendString(_ string: String, to text: inout String) {
    text += "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: text.unicodeScalars.append(scalar)
      }
    }
    text += "\""
  }
}
