import Testing

@testable import LedgerLoadKit

/// The histogram against a sorted-array oracle: the percentile it reports is within the stated
/// bound (1/128 of the true value) of the value at the same rank.
@Suite struct LatencyHistogramTests {
  /// The value of rank ceil(p/100 * n) (at least 1) of the sorted samples.
  static func oracle(_ sorted: [UInt64], _ percent: Double) -> UInt64 {
    if percent == 0 { return sorted[0] }
    let rank = max(1, Int((percent / 100 * Double(sorted.count)).rounded(.up)))
    return sorted[rank - 1]
  }

  static let percents: [Double] = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100]

  static func checkAgainstOracle(_ samples: [UInt64]) {
    var histogram = LatencyHistogram()
    for sample in samples { histogram.record(microseconds: sample) }
    let sorted = samples.sorted()
    #expect(histogram.count == UInt64(samples.count))
    #expect(histogram.max == sorted.last)
    #expect(histogram.min == sorted.first)
    for percent in percents {
      let expected = oracle(sorted, percent)
      let reported = histogram.percentile(percent)
      let error = reported > expected ? reported - expected : expected - reported
      // The documented bound: |reported - true| <= true / 128 (and within 1 %).
      #expect(error * 128 <= expected, "p\(percent): reported \(reported), true \(expected)")
      #expect(Double(error) <= Double(expected) * 0.01)
    }
  }

  @Test func uniformDistribution() {
    var generator = SplitMix64(seed: 1)
    Self.checkAgainstOracle((0..<20_000).map { _ in UInt64.random(in: 1...60_000_000, using: &generator) })
  }

  @Test func logNormalLikeDistribution() {
    var generator = SplitMix64(seed: 2)
    let samples = (0..<20_000).map { _ -> UInt64 in
      // 2^(U * 25): spread evenly over every power of two from 1 µs to ~33 s.
      UInt64(pow2(Double.random(in: 0..<25, using: &generator)))
    }
    Self.checkAgainstOracle(samples)
  }

  @Test func bimodalWithRareStalls() {
    var generator = SplitMix64(seed: 3)
    let samples = (0..<10_000).map { index -> UInt64 in
      index % 1_000 == 0 ? UInt64.random(in: 1_000_000...2_000_000, using: &generator) : UInt64.random(in: 200...400, using: &generator)
    }
    Self.checkAgainstOracle(samples)
  }

  @Test func edgeValues() {
    Self.checkAgainstOracle([0])
    Self.checkAgainstOracle([1, 1, 1])
    Self.checkAgainstOracle([127, 128, 129, 255, 256, 257])
    Self.checkAgainstOracle([LatencyHistogram.highestTrackableMicroseconds, 1])
    Self.checkAgainstOracle((0..<300).map(UInt64.init))
  }

  @Test func valuesBeyondTheRangeAreCountedAndMaxIsExact() {
    var histogram = LatencyHistogram()
    histogram.record(microseconds: 100)
    histogram.record(microseconds: 500_000_000)
    #expect(histogram.count == 2)
    #expect(histogram.max == 500_000_000)
    #expect(histogram.percentile(100) == 500_000_000)
    #expect(histogram.percentile(99) == 500_000_000)
  }

  @Test func emptyHistogramReportsZero() {
    let histogram = LatencyHistogram()
    #expect(histogram.count == 0)
    #expect(histogram.percentile(50) == 0)
    #expect(histogram.max == 0)
  }

  @Test func mergeEqualsRecordingEverything() {
    var generator = SplitMix64(seed: 4)
    let samples = (0..<5_000).map { _ in UInt64.random(in: 1...5_000_000, using: &generator) }
    var whole = LatencyHistogram()
    var left = LatencyHistogram()
    var right = LatencyHistogram()
    for (index, sample) in samples.enumerated() {
      whole.record(microseconds: sample)
      if index % 3 == 0 { left.record(microseconds: sample) } else { right.record(microseconds: sample) }
    }
    left.merge(right)
    #expect(left == whole)
  }

  @Test func bucketsAreContiguousAndBounded() {
    // Every value maps to a bucket whose range holds it, and widths stay within 1/64 of it.
    for value in [UInt64(0), 1, 127, 128, 129, 1_000, 65_535, 65_536, 1_000_000, 59_999_999, 60_000_000] {
      let index = LatencyHistogram.index(of: value)
      let (lowest, width) = LatencyHistogram.range(of: index)
      #expect(lowest <= value && value < lowest + width, "value \(value) bucket \(index)")
      #expect(value < 128 || width * 64 <= value)
    }
    #expect(LatencyHistogram.bucketCount == 1_331)
  }

  @Test func durationsRoundDownToMicroseconds() {
    #expect(LatencyHistogram.microseconds(.nanoseconds(1_999)) == 1)
    #expect(LatencyHistogram.microseconds(.seconds(2)) == 2_000_000)
    #expect(LatencyHistogram.microseconds(.nanoseconds(-5)) == 0)
  }
}

func pow2(_ exponent: Double) -> Double {
  var result = 1.0
  var remaining = exponent
  while remaining >= 1 {
    result *= 2
    remaining -= 1
  }
  // 2^f for f in [0, 1) by a short series: accuracy does not matter, only spread.
  return result * (1 + remaining * 0.693_147 + remaining * remaining * 0.240_227)
}

/// A seeded generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1330_11EB
    return z ^ (z >> 31)
  }
}
