import CourierAuth
import CourierBenchAPI
import CourierCore
import CourierTransport
import Synchronization

/// `courier-bench rpc`: unary calls per second with latency percentiles at several
/// concurrencies over ONE connection, and streamed messages per second, against an echo-style
/// Bench service on loopback (the peer workload of ../shared/peers).
enum RPCBenchmark {
  struct BenchService: Bench_V1_Bench.ServiceProtocol {
    static let reply: Bench_V1_TransferReply = {
      var reply = Bench_V1_TransferReply()
      reply.transferID = "idem-7f3a9c2e-0001"
      reply.balanceAfter = 125_000
      reply.status = 1
      return reply
    }()

    func transfer(request: Bench_V1_TransferRequest, context: ServerContext) async throws -> Bench_V1_TransferReply {
      var reply = Self.reply
      reply.transferID = request.idempotencyKey
      return reply
    }

    func stream(
      request: Bench_V1_TransferRequest, response: RPCWriter<Bench_V1_TransferReply>, context: ServerContext
    ) async throws {
      let count = Int(request.metadata["stream_n"] ?? "") ?? 1000
      for _ in 0..<count { try await response.write(Self.reply) }
    }
  }

  static func run(arguments: BenchArguments) async throws {
    var serverInterceptors: [any ServerInterceptor] = []
    var clientInterceptors: [any ClientInterceptor] = []
    if arguments.authenticate {
      let key = try TokenKey.generate(id: "bench")
      serverInterceptors = [AuthenticationInterceptor(verifier: TokenVerifier(keys: try TokenKeyRing([key])))]
      let token = try TokenSigner(key: key).mint(subject: "courier-bench", scopes: ["bench"], lifetime: .seconds(3_600))
      clientInterceptors = [BearerTokenInterceptor(token: token)]
    }
    let server = CourierServer(
      configuration: .init(host: "127.0.0.1", port: arguments.port ?? 0, interceptors: serverInterceptors),
      services: [BenchService()])
    let port = try server.start()
    print(
      "echo server on 127.0.0.1:\(port)\(arguments.authenticate ? " with bearer-token authentication" : ""); "
        + "\(arguments.seconds) s per run, \(arguments.runs) runs, median reported")
    let request = CodecBenchmark.sampleRequest()
    for concurrency in arguments.concurrencies {
      var runs: [UnaryFigures] = []
      for _ in 0..<arguments.runs {
        runs.append(try await unary(
            port: port, concurrency: concurrency, seconds: arguments.seconds, request: request,
            interceptors: clientInterceptors))
      }
      let median = runs.sorted { $0.callsPerSecond < $1.callsPerSecond }[runs.count / 2]
      print("unary c=\(concurrency) 1 connection: \(Int(median.callsPerSecond)) calls/s  p50 \(median.p50) µs  p99 \(median.p99) µs  p99.9 \(median.p999) µs  (runs: \(runs.map { Int($0.callsPerSecond) }))")
      if arguments.json {
        print("{\"benchmark\":\"rpc-unary\",\"concurrency\":\(concurrency),\"calls_per_second\":\(Int(median.callsPerSecond)),\"p50_us\":\(median.p50),\"p99_us\":\(median.p99),\"p999_us\":\(median.p999)}")
      }
    }
    for concurrency in arguments.streamConcurrencies {
      var rates: [Double] = []
      for _ in 0..<arguments.runs {
        rates.append(try await streaming(
            port: port, concurrency: concurrency, seconds: arguments.seconds, request: request,
            interceptors: clientInterceptors))
      }
      rates.sort()
      print("server stream ×1000 c=\(concurrency) 1 connection: \(Int(rates[rates.count / 2])) messages/s  (runs: \(rates.map { Int($0) }))")
      if arguments.json {
        print("{\"benchmark\":\"rpc-stream\",\"concurrency\":\(concurrency),\"messages_per_second\":\(Int(rates[rates.count / 2]))}")
      }
    }
    await server.shutdown(gracePeriod: .seconds(1))
  }

  struct UnaryFigures {
    var callsPerSecond: Double
    var p50: Int
    var p99: Int
    var p999: Int
  }

  static func unary(
    port: Int, concurrency: Int, seconds: Int, request: Bench_V1_TransferRequest,
    interceptors: [any ClientInterceptor]
  ) async throws -> UnaryFigures {
    let channel = CourierChannel(
      configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)], interceptors: interceptors))
    defer { channel.close() }
    let client = Bench_V1_Bench.Client(wrapping: channel)
    _ = try await client.transfer(request)  // connect and warm up
    let clock = ContinuousClock()
    let end = clock.now + .seconds(seconds)
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Int32].self) { group in
      for _ in 0..<concurrency {
        group.addTask {
          var samples: [Int32] = []
          samples.reserveCapacity(200_000)
          while true {
            let before = clock.now
            if before >= end { break }
            _ = try await client.transfer(request)
            samples.append(Int32(clamping: microseconds(clock.now - before) * 10))
          }
          return samples
        }
      }
      var all: [Int32] = []
      for try await samples in group { all.append(contentsOf: samples) }
      return all
    }
    let elapsed = clock.now - start
    let sorted = latencies.sorted()
    func percentile(_ fraction: Double) -> Int {
      guard !sorted.isEmpty else { return 0 }
      return Int(sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]) / 10
    }
    return UnaryFigures(
      callsPerSecond: Double(sorted.count) / (Double(microseconds(elapsed)) / 1e6),
      p50: percentile(0.5), p99: percentile(0.99), p999: percentile(0.999))
  }

  static func streaming(
    port: Int, concurrency: Int, seconds: Int, request: Bench_V1_TransferRequest,
    interceptors: [any ClientInterceptor]
  ) async throws -> Double {
    let channel = CourierChannel(
      configuration: .init(endpoints: [Endpoint(host: "127.0.0.1", port: port)], interceptors: interceptors))
    defer { channel.close() }
    let client = Bench_V1_Bench.Client(wrapping: channel)
    let clock = ContinuousClock()
    let end = clock.now + .seconds(seconds)
    let start = clock.now
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<concurrency {
        group.addTask {
          var received = 0
          while clock.now < end {
            received += try await client.stream(request) { response in
              var count = 0
              for try await _ in response.messages { count += 1 }
              return count
            }
          }
          return received
        }
      }
      var sum = 0
      for try await count in group { sum += count }
      return sum
    }
    return Double(total) / (Double(microseconds(clock.now - start)) / 1e6)
  }

  static func microseconds(_ duration: Duration) -> Int {
    Int(duration.components.seconds) * 1_000_000 + Int(duration.components.attoseconds / 1_000_000_000_000)
  }
}
