import CourierBenchAPI
import CourierWire

/// `courier-bench codec`: ns per encode and per decode of the peer workload's message.
enum CodecBenchmark {
  /// `bench.v1.TransferRequest` filled as ../shared/peers/README.md gives it.
  static func sampleRequest() -> Bench_V1_TransferRequest {
    var request = Bench_V1_TransferRequest()
    request.idempotencyKey = "idem-7f3a9c2e-0001"
    request.fromAccount = "acct-000123456"
    request.toAccount = "acct-000654321"
    var amount = Bench_V1_Amount()
    amount.units = 125_000
    amount.currency = "USD"
    request.amount = amount
    request.tags = ["retail", "p2p", "priority"]
    request.metadata = ["channel": "mobile", "region": "eu-west-1"]
    request.createdAtUnixNanos = 1_700_000_000_123_456_789
    return request
  }

  /// The expected encoding (swift-protobuf's, checked with protoc both ways).
  static let expectedHex =
    "0a126964656d2d37663361396332652d30303031120e616363742d3030303132333435361a0e616363742d303030363534333231220908c8d00712035553442a0672657461696c2a037032702a087072696f7269747932110a076368616e6e656c12066d6f62696c6532130a06726567696f6e120965752d776573742d3138959a97ece39fe7cb17"

  struct Figures {
    var encodeNanoseconds: Double
    var decodeNanoseconds: Double
  }

  static func run(arguments: BenchArguments) throws {
    let request = sampleRequest()
    let bytes = request.serializedBytes()
    let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    guard hex == expectedHex else {
      throw BenchError.mismatch("encoding differs from the peer's 136 bytes:\n  got      \(hex)\n  expected \(expectedHex)")
    }
    guard try Bench_V1_TransferRequest(serializedBytes: bytes) == request else {
      throw BenchError.mismatch("decoding the encoding does not give the original message back")
    }
    print("message: bench.v1.TransferRequest, \(bytes.count) bytes (matches the peer's bytes)")
    var runs: [Figures] = []
    for run in 1...arguments.runs {
      let figures = measure(
        request: request, bytes: bytes, iterations: arguments.iterations, only: arguments.only)
      runs.append(figures)
      print(
        "run \(run): encode \(format(figures.encodeNanoseconds)) ns/op   decode \(format(figures.decodeNanoseconds)) ns/op")
    }
    let encode = median(runs.map(\.encodeNanoseconds))
    let decode = median(runs.map(\.decodeNanoseconds))
    print("median of \(arguments.runs) runs × \(arguments.iterations) iterations: encode \(format(encode)) ns, decode \(format(decode)) ns, \(bytes.count) bytes/message")
    if arguments.json {
      print("{\"benchmark\":\"codec\",\"bytes\":\(bytes.count),\"encode_ns\":\(format(encode)),\"decode_ns\":\(format(decode))}")
    }
  }

  static func measure(
    request: Bench_V1_TransferRequest, bytes: [UInt8], iterations: Int, only: String?
  ) -> Figures {
    let clock = ContinuousClock()
    var figures = Figures(encodeNanoseconds: 0, decodeNanoseconds: 0)
    if only != "decode" {
      // Warm up caches and the allocator.
      blackHole(encodeLoop(request, iterations: iterations / 10))
      let start = clock.now
      blackHole(encodeLoop(request, iterations: iterations))
      figures.encodeNanoseconds = nanoseconds(clock.now - start) / Double(iterations)
    }
    if only != "encode" {
      blackHole(decodeLoop(bytes, iterations: iterations / 10))
      let start = clock.now
      blackHole(decodeLoop(bytes, iterations: iterations))
      figures.decodeNanoseconds = nanoseconds(clock.now - start) / Double(iterations)
    }
    return figures
  }

  /// Encodes `iterations` times. Every encoding's bytes feed the returned checksum (a byte
  /// that moves with the iteration), so the optimizer can neither drop the writes nor hoist the
  /// encode out of the loop. Kept out of line so profilers can attribute costs to it.
  @inline(never)
  static func encodeLoop(_ request: Bench_V1_TransferRequest, iterations: Int) -> Int {
    var sink = 0
    for iteration in 0..<iterations {
      let encoded = request.serializedBytes()
      sink &+= encoded.count &+ Int(encoded[iteration % encoded.count])
    }
    return sink
  }

  /// Decodes `iterations` times; several fields of each decoded value feed the checksum, so the
  /// decode (strings, the repeated field, the map) cannot be optimized away.
  @inline(never)
  static func decodeLoop(_ bytes: [UInt8], iterations: Int) -> Int {
    var sink = 0
    for _ in 0..<iterations {
      do {
        let decoded = try Bench_V1_TransferRequest(serializedBytes: bytes)
        sink &+= Int(truncatingIfNeeded: decoded.createdAtUnixNanos) &+ decoded.tags.count
          &+ decoded.metadata.count &+ decoded.idempotencyKey.utf8.count
          &+ Int(truncatingIfNeeded: decoded.amount.units)
      } catch {
        // The bytes were checked to decode before the runs; a failure here is a bug.
        fatalError("decode failed during the benchmark: \(error)")
      }
    }
    return sink
  }
}

@inline(never)
func blackHole(_ value: Int) {
  if value == 42 { print("") }
}

func nanoseconds(_ duration: Duration) -> Double {
  let (seconds, attoseconds) = duration.components
  return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func format(_ value: Double) -> String {
  String(Int((value * 10).rounded())).insertingDecimalPoint()
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }

  /// "1234" (tenths) -> "123.4"
  func insertingDecimalPoint() -> String {
    let digits = self.leftPadded(to: 2)
    return digits.dropLast() + "." + digits.suffix(1)
  }
}
