#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension LedgerClient {
  /// A new transfer id that sorts after the ids made in earlier milliseconds: a ULID, 26 characters of
  /// Crockford base32 (`0-9 A-Z` without `I L O U`), the first 10 the milliseconds since the Unix
  /// epoch and the last 16 eighty random bits.
  ///
  /// Transfer ids are the idempotency key, so the ledger keeps a unique index on them, and where
  /// a new id falls in that index matters. Time-ordered ids land at its end: the pages each
  /// commit rewrites stay few and hot. Random ids (a UUIDv4) land anywhere, so every transfer
  /// rewrites a page of its own, and the rate at concurrency 64 falls by a quarter to a third
  /// (`ledger-bench --ids random` against `--ids ordered`, docs/ARCHITECTURE.md).
  ///
  /// Make the id once per transfer and keep it with the transfer: a retry must send the same
  /// id, which is what makes it safe.
  ///
  /// ```swift
  /// let id = LedgerClient.newTransferID()   // e.g. "01JDZ8G2W3Q4R5S6T7V8W9XYZA"
  /// _ = try await client.transfers.createTransfer(
  ///   id: id, debit: "bank", credit: "alice", amount: 500, currency: "USD")
  /// ```
  public static func newTransferID() -> String {
    var generator = SystemRandomNumberGenerator()
    return newTransferID(using: &generator)
  }

  /// The id ``newTransferID()`` makes, with random bits from `generator` (a load generator's
  /// own fast generator, say, instead of a system call per id).
  public static func newTransferID(using generator: inout some RandomNumberGenerator) -> String {
    newTransferID(milliseconds: millisecondsSinceEpoch(), using: &generator)
  }

  /// The id ``newTransferID()`` makes at `milliseconds` since the epoch with random bits from
  /// `generator` (for tests and for callers with their own clock or generator).
  public static func newTransferID<Generator: RandomNumberGenerator>(
    milliseconds: UInt64, using generator: inout Generator
  ) -> String {
    var characters: [UInt8] = []
    characters.reserveCapacity(26)
    // 48 bits of time in 10 characters (the top 2 bits of the first are 0 until the year 10889).
    for index in stride(from: 9, through: 0, by: -1) {
      characters.append(crockford[Int((milliseconds >> UInt64(index * 5)) & 31)])
    }
    // 80 random bits in 16 characters.
    let high = generator.next() & 0xFF_FFFF_FFFF  // 40 bits
    let low = generator.next() & 0xFF_FFFF_FFFF  // 40 bits
    for bits in [high, low] {
      for index in stride(from: 7, through: 0, by: -1) {
        characters.append(crockford[Int((bits >> UInt64(index * 5)) & 31)])
      }
    }
    return String(decoding: characters, as: UTF8.self)
  }

  private static func millisecondsSinceEpoch() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return UInt64(max(0, now.tv_sec)) * 1_000 + UInt64(max(0, now.tv_nsec)) / 1_000_000
  }
}

/// Crockford's base32 digits, in ASCII order, so ids compare as their values do.
private let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
