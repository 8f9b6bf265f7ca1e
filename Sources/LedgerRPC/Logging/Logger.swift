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

  /// Orders by severity: `debug < info < warning < error`.
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
    write(level, message, fields, extra: nil)
  }

  /// Formats and writes one line, with `extra` after the caller's fields.
  func write(
    _ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, LogValue>, extra: (String, LogValue)?
  ) {
    var line = JSONLine()
    line.appendTime(key: "time")
    line.append("level", .string(level.description))
    line.append("msg", .string(message))
    for (key, value) in fields { line.append(key, value) }
    if let (key, value) = extra { line.append(key, value) }
    sink.write(line: line.finished())
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

  /// A string field from a literal.
  public init(stringLiteral value: String) { self = .string(value) }
  /// An integer field from a literal.
  public init(integerLiteral value: Int64) { self = .integer(value) }
}

/// Builds one JSON object as UTF-8 bytes, escaping strings as RFC 8259 requires.
///
/// Byte-level on purpose: a line is built for every call the server handles, and building it
/// with per-character `String` appends showed up as 8% of the process's CPU under load.
struct JSONLine {
  private var bytes: [UInt8] = []

  init() {
    bytes.reserveCapacity(320)
    bytes.append(UInt8(ascii: "{"))
  }

  mutating func append(_ key: String, _ value: LogValue) {
    appendKey(key)
    switch value {
    case .string(let string): appendString(string)
    case .integer(let integer): appendInteger(integer)
    case .boolean(let boolean): bytes.append(contentsOf: boolean ? Self.trueBytes : Self.falseBytes)
    }
  }

  /// Appends the current UTC time as RFC 3339 with microseconds, e.g.
  /// `"2025-01-31T09:05:07.123456Z"`.
  mutating func appendTime(key: String) {
    appendKey(key)
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    var seconds = time_t(time.tv_sec)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    bytes.append(UInt8(ascii: "\""))
    appendDigits(Int(parts.tm_year) + 1_900, count: 4)
    bytes.append(UInt8(ascii: "-"))
    appendDigits(Int(parts.tm_mon) + 1, count: 2)
    bytes.append(UInt8(ascii: "-"))
    appendDigits(Int(parts.tm_mday), count: 2)
    bytes.append(UInt8(ascii: "T"))
    appendDigits(Int(parts.tm_hour), count: 2)
    bytes.append(UInt8(ascii: ":"))
    appendDigits(Int(parts.tm_min), count: 2)
    bytes.append(UInt8(ascii: ":"))
    appendDigits(Int(parts.tm_sec), count: 2)
    bytes.append(UInt8(ascii: "."))
    appendDigits(Int(time.tv_nsec) / 1_000, count: 6)
    bytes.append(UInt8(ascii: "Z"))
    bytes.append(UInt8(ascii: "\""))
  }

  /// Closes the object and returns the line. Mutating so the bytes are not copied first.
  mutating func finished() -> String {
    bytes.append(UInt8(ascii: "}"))
    // Valid UTF-8 by construction: string bytes are copied whole, escapes are ASCII.
    return String(decoding: bytes, as: UTF8.self)
  }

  private mutating func appendKey(_ key: String) {
    if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
    appendString(key)
    bytes.append(UInt8(ascii: ":"))
  }

  private mutating func appendString(_ string: String) {
    bytes.append(UInt8(ascii: "\""))
    var string = string
    string.withUTF8 { utf8 in
      // Most values (ids, method paths, statuses) need no escape: copy them whole.
      if utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
        bytes.append(contentsOf: utf8)
        return
      }
      for byte in utf8 {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
          bytes.append(UInt8(ascii: "\\"))
          bytes.append(byte)
        case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x00..<0x20:
          bytes.append(contentsOf: Array("\\u00".utf8))
          bytes.append(Self.hexDigits[Int(byte >> 4)])
          bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        default:
          // Multi-byte UTF-8 sequences pass through unchanged, as JSON allows.
          bytes.append(byte)
        }
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private mutating func appendInteger(_ value: Int64) {
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    // Most significant digit first, without a temporary array of digits.
    var magnitude = value.magnitude
    var divisor: UInt64 = 1
    while magnitude / divisor >= 10 { divisor *= 10 }
    repeat {
      bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor))
      magnitude %= divisor
      divisor /= 10
    } while divisor > 0
  }

  private mutating func appendDigits(_ value: Int, count: Int) {
    var divisor = 1
    for _ in 1..<count { divisor *= 10 }
    var remainder = value
    while divisor > 0 {
      bytes.append(UInt8(ascii: "0") + UInt8((remainder / divisor) % 10))
      remainder %= divisor
      divisor /= 10
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)
  private static let trueBytes = Array("true".utf8)
  private static let falseBytes = Array("false".utf8)
}
