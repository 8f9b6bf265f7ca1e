import Testing

@testable import LedgerLoadKit

/// A clock that never moves on its own: instants are plain durations from zero.
struct FakeInstant: InstantProtocol {
  var offset: Duration
  func advanced(by duration: Duration) -> FakeInstant { FakeInstant(offset: offset + duration) }
  func duration(to other: FakeInstant) -> Duration { other.offset - offset }
  static func < (left: FakeInstant, right: FakeInstant) -> Bool { left.offset < right.offset }
}

@Suite struct OpenLoopScheduleTests {
  @Test func intendedStartsAreEvenlySpacedFromTheRunStart() {
    let schedule = OpenLoopSchedule(callsPerSecond: 1_000)
    let start = FakeInstant(offset: .seconds(5))
    #expect(schedule.intendedStart(ofCall: 0, runStart: start) == start)
    #expect(schedule.intendedStart(ofCall: 1, runStart: start).offset == .seconds(5) + .milliseconds(1))
    #expect(schedule.intendedStart(ofCall: 1_000, runStart: start).offset == .seconds(6))
    #expect(schedule.offset(ofCall: 2_500) == .milliseconds(2_500))
  }

  @Test func fractionalRatesRoundToTheNanosecond() {
    let schedule = OpenLoopSchedule(callsPerSecond: 3)
    #expect(schedule.offset(ofCall: 1) == .nanoseconds(333_333_333))
    #expect(schedule.offset(ofCall: 2) == .nanoseconds(666_666_667))
    #expect(schedule.offset(ofCall: 3) == .seconds(1))
  }

  @Test func startsDoNotDependOnHowLongEarlierCallsTook() {
    // Coordinated omission: the schedule is a pure function of the index, so a stall cannot
    // push later calls back; their latency includes the stall instead.
    let schedule = OpenLoopSchedule(callsPerSecond: 100)
    let start = FakeInstant(offset: .zero)
    let stalledUntil = FakeInstant(offset: .seconds(1))  // the server froze for a second
    let intended = schedule.intendedStart(ofCall: 50, runStart: start)
    #expect(intended.offset == .milliseconds(500))
    let finished = stalledUntil.advanced(by: .milliseconds(2))
    #expect(OpenLoopSchedule.latency(intended: intended, finished: finished) == .milliseconds(502))
  }

  @Test func callsDueCountsStartsAtOrBeforeTheElapsedTime() {
    let schedule = OpenLoopSchedule(callsPerSecond: 10)
    #expect(schedule.callsDue(by: .zero) == 1)
    #expect(schedule.callsDue(by: .milliseconds(99)) == 1)
    #expect(schedule.callsDue(by: .milliseconds(100)) == 2)
    #expect(schedule.callsDue(by: .seconds(1)) == 11)
    #expect(schedule.callsDue(by: .milliseconds(-1)) == 0)
  }

  @Test func offsetsAreMonotonic() {
    let schedule = OpenLoopSchedule(callsPerSecond: 7_919)
    var previous = Duration.zero
    for index in 1..<10_000 {
      let offset = schedule.offset(ofCall: index)
      #expect(offset > previous)
      previous = offset
    }
  }
}
