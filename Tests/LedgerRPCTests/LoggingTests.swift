import CourierCore
import Foundation
import LedgerRPC
import Testing

/// The JSON lines, the levels, and correlation ids.
@Suite("Logger and correlation ids")
struct LoggingTests {
  final class Lines: LogSink {
    let lines = LockedValue<[String]>([])
    func write(line: String) { lines.withLock { $0.append(line) } }
  }

  @Test func linesAreJSONObjectsWithEscapedStrings() throws {
    let sink = Lines()
    let logger = Logger(minimumLevel: .debug, sink: sink)
    let tricky = "quote \" backslash \\ newline \n tab \t bell \u{07} é 日本 🙂"
    logger.log(.warning, "hello", ["text": .string(tricky), "count": -42, "flag": .boolean(true)])
    let line = try #require(sink.lines.withLock { $0.first })
    #expect(!line.contains("\n"))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(object["msg"] as? String == "hello")
    #expect(object["level"] as? String == "warning")
    #expect(object["text"] as? String == tricky)
    #expect(object["count"] as? Int == -42)
    #expect(object["flag"] as? Bool == true)
    let time = try #require(object["time"] as? String)
    #expect(time.count == "2025-01-31T09:05:07.123456Z".count && time.hasSuffix("Z"))
    #expect(line.hasPrefix("{\"time\":\""))
  }

  @Test func linesBelowTheMinimumLevelAreDropped() {
    let sink = Lines()
    let logger = Logger(minimumLevel: .warning, sink: sink)
    logger.log(.debug, "no")
    logger.log(.info, "no")
    logger.log(.warning, "yes")
    logger.log(.error, "yes")
    #expect(sink.lines.withLock { $0.count } == 2)
    #expect(!logger.isEnabled(.info) && logger.isEnabled(.error))
  }

  /// A hand-moved clock for the rate limiter.
  final class ManualClock: Sendable {
    private let instant = LockedValue(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(by duration: Duration) { instant.withLock { $0 += duration } }
  }

  @Test func theRateLimiterLetsABurstThroughThenTheRateAndCountsTheRest() {
    let clock = ManualClock()
    let limiter = LogRateLimiter(perSecond: 2, burst: 3, now: { clock.now })
    #expect((0..<5).map { _ in limiter.admit() } == [0, 0, 0, nil, nil])
    clock.advance(by: .milliseconds(499))
    #expect(limiter.admit() == nil)
    clock.advance(by: .milliseconds(1))
    // Half a second at 2 per second: one token, and the three dropped lines are reported.
    #expect(limiter.admit() == 3)
    #expect(limiter.admit() == nil)
    // A long quiet period refills up to the burst, not beyond.
    clock.advance(by: .seconds(60))
    #expect((0..<4).map { _ in limiter.admit() } == [1, 0, 0, nil])
  }

  @Test func limitedLinesCarryTheSuppressedCountAndDisabledLevelsTakeNoToken() throws {
    let sink = Lines()
    let logger = Logger(minimumLevel: .warning, sink: sink)
    let clock = ManualClock()
    let limiter = LogRateLimiter(perSecond: 1, burst: 1, now: { clock.now })
    for _ in 0..<10 { logger.log(.info, "below the level", limitedBy: limiter) }
    for attempt in 0..<5 { logger.log(.warning, "call rejected", ["attempt": .integer(Int64(attempt))], limitedBy: limiter) }
    clock.advance(by: .seconds(1))
    logger.log(.warning, "call rejected", ["attempt": 5], limitedBy: limiter)
    let lines = sink.lines.withLock { $0 }
    #expect(lines.count == 2)
    let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    #expect(objects[0]["attempt"] as? Int == 0 && objects[0]["suppressed"] == nil)
    #expect(objects[1]["attempt"] as? Int == 5 && objects[1]["suppressed"] as? Int == 4)
  }

  @Test(arguments: [("debug", LogLevel.debug), ("INFO", .info), ("warn", .warning), ("warning", .warning), ("error", .error)])
  func levelNamesParse(_ name: String, _ level: LogLevel) {
    #expect(LogLevel(name: name) == level)
  }

  @Test func correlationIDsAreTakenWhenValidAndGeneratedOtherwise() {
    let generator = CorrelationIDGenerator()
    #expect(generator.resolve(["x-correlation-id": "abc-123_x.y"]) == "abc-123_x.y")
    for bad in ["", "has space", String(repeating: "a", count: 65), "semi;colon"] {
      let resolved = generator.resolve(["x-correlation-id": .string(bad)])
      #expect(resolved != bad && CorrelationID.isValid(resolved))
    }
    let first = generator.next()
    let second = generator.next()
    #expect(first != second)
    #expect(CorrelationID.isValid(first))
  }
}
