import CourierCore
import Foundation
import LedgerRPC

/// A log sink that keeps every line, so tests can read what the service logged.
final class CapturedLogs: LogSink {
  private let lines = LockedValue<[String]>([])

  func write(line: String) {
    lines.withLock { $0.append(line) }
  }

  /// Every line so far, parsed as JSON objects.
  var records: [[String: Any]] {
    lines.withLock { $0 }.compactMap { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
  }

  /// Every line so far, as written.
  var rawLines: [String] { lines.withLock { $0 } }
}
