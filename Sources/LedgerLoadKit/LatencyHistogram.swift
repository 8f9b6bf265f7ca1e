/// Latencies in whole microseconds, counted in log-linear buckets (the HdrHistogram layout):
/// bounded memory and bounded relative error, mergeable, O(1) to record.
///
/// Layout: values below `2 * subBucketHalf` (128 µs) each have their own bucket, so they are
/// exact. Above that, every power-of-two range `[2^e, 2^(e+1))` is cut into 64 equal
/// sub-buckets of width `2^(e-6)`. A bucket's width is therefore at most 1/64 of any value in
/// it, and ``percentile(_:)`` answers with the bucket's midpoint:
///
/// **Error bound:** for a recorded value `v` with `v <= highestTrackableMicroseconds`, the value
/// reported for its rank differs from `v` by at most `v / 128` (< 0.79 %, within 1 %).
///
/// Values above ``highestTrackableMicroseconds`` (60 s) are counted in the top bucket; ``max``
/// still reports them exactly. The counters are one fixed array of 1,331 `UInt64`s (~10.4 KiB).
public struct LatencyHistogram: Sendable, Hashable {
  /// The largest value recorded with the stated error bound: 60 seconds.
  public static let highestTrackableMicroseconds: UInt64 = 60_000_000
  /// Half the number of sub-buckets per power of two; 64 gives the 1/128 bound.
  static let subBucketHalf: UInt64 = 64
  static let subBucketHalfBits = 6
  /// Buckets needed to reach ``highestTrackableMicroseconds`` (2^25 < 6e7 < 2^26).
  static let bucketCount: Int = index(of: highestTrackableMicroseconds) + 1

  private var counts: [UInt64]
  /// The number of values recorded.
  public private(set) var count: UInt64 = 0
  /// The largest value recorded (exact), 0 when empty.
  public private(set) var max: UInt64 = 0
  /// The smallest value recorded (exact), 0 when empty.
  public private(set) var min: UInt64 = 0
  private var sum: UInt64 = 0

  /// An empty histogram.
  public init() {
    counts = Array(repeating: 0, count: Self.bucketCount)
  }

  /// The mean of the recorded values (exact, from their sum), 0 when empty.
  public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

  /// Counts one value.
  public mutating func record(microseconds value: UInt64) {
    counts[Swift.min(Self.index(of: value), counts.count - 1)] += 1
    if count == 0 || value < min { min = value }
    if value > max { max = value }
    count += 1
    sum &+= value
  }

  /// Counts one duration, rounded down to whole microseconds (negative durations count as 0).
  public mutating func record(_ duration: Duration) {
    record(microseconds: Self.microseconds(duration))
  }

  /// Adds every count of `other` to this one.
  public mutating func merge(_ other: LatencyHistogram) {
    guard other.count > 0 else { return }
    for index in counts.indices { counts[index] += other.counts[index] }
    if count == 0 || other.min < min { min = other.min }
    if other.max > max { max = other.max }
    count += other.count
    sum &+= other.sum
  }

  /// The value at percentile `percent` (0...100): that of the recorded value of rank
  /// `ceil(percent / 100 * count)` (at least 1) in ascending order, within the error bound.
  /// 0 reports ``min``, 100 reports ``max``; an empty histogram reports 0.
  public func percentile(_ percent: Double) -> UInt64 {
    precondition(percent >= 0 && percent <= 100, "percentile \(percent) is outside 0...100")
    guard count > 0 else { return 0 }
    if percent == 0 { return min }
    if percent == 100 { return max }
    let rank = Swift.max(1, UInt64((percent / 100 * Double(count)).rounded(.up)))
    var seen: UInt64 = 0
    for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
      seen += bucketCount
      if seen >= rank {
        if index == counts.count - 1 { return max }
        return Swift.min(max, Swift.max(min, Self.midpoint(of: index)))
      }
    }
    return max
  }

  // MARK: - Bucket arithmetic

  /// The bucket holding `value` (not clamped to the array).
  static func index(of value: UInt64) -> Int {
    if value < 2 * subBucketHalf { return Int(value) }
    let exponent = 63 - value.leadingZeroBitCount  // >= 7
    let shift = exponent - subBucketHalfBits
    let subBucket = (value >> UInt64(shift)) - subBucketHalf  // 0..<64
    return Int(2 * subBucketHalf) + (exponent - 7) * Int(subBucketHalf) + Int(subBucket)
  }

  /// The lowest value of bucket `index` and its width.
  static func range(of index: Int) -> (lowest: UInt64, width: UInt64) {
    if index < Int(2 * subBucketHalf) { return (UInt64(index), 1) }
    let offset = index - Int(2 * subBucketHalf)
    let exponent = offset / Int(subBucketHalf) + 7
    let subBucket = UInt64(offset % Int(subBucketHalf)) + subBucketHalf
    let shift = UInt64(exponent - subBucketHalfBits)
    return (subBucket << shift, 1 << shift)
  }

  /// The value reported for bucket `index`: its lowest value for exact buckets, else its middle.
  static func midpoint(of index: Int) -> UInt64 {
    let (lowest, width) = range(of: index)
    return lowest + width / 2
  }

  /// Whole microseconds in `duration`, 0 for negative durations.
  public static func microseconds(_ duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
    let total = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    return total < 0 ? 0 : UInt64(total)
  }
}
