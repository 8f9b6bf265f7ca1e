import CourierCore
import Foundation
import LedgerAPI
import LedgerApplication
import LedgerRPC
import Testing

/// The operational surface: health, correlation ids, the call log, and what an unexpected
/// failure shows (nothing internal on the wire, the detail in the log).
@Suite("Health and logging over the network", .timeLimit(.minutes(1)))
struct HealthAndLoggingEndToEndTests {
  @Test func healthIsServingUntilShutdownStarts() async throws {
    try await LedgerFixture.with { ledger in
      for service in ["", "ledger.v1.Accounts", "ledger.v1.Transfers", "grpc.health.v1.Health"] {
        var request = Grpc_Health_V1_HealthCheckRequest()
        request.service = service
        #expect(try await ledger.health.check(request).status == .serving, "\(service)")
      }
      var unknown = Grpc_Health_V1_HealthCheckRequest()
      unknown.service = "nope.v1.Nothing"
      let error = await #expect(throws: RPCError.self) { _ = try await ledger.health.check(unknown) }
      #expect(error?.code == .notFound)

      // A watcher sees SERVING, then NOT_SERVING as shutdown starts, then the call ends OK.
      let client = ledger.health
      let (statuses, sink) = AsyncStream.makeStream(of: Grpc_Health_V1_HealthCheckResponse.ServingStatus.self)
      let watch = Task {
        try await client.watch(Grpc_Health_V1_HealthCheckRequest()) { response in
          for try await message in response.messages { sink.yield(message.status) }
          sink.finish()
        }
      }
      var iterator = statuses.makeAsyncIterator()
      #expect(await iterator.next() == .serving)
      ledger.stack.health.beginShutdown()
      #expect(await iterator.next() == .notServing)
      #expect(await iterator.next() == nil)
      try await watch.value
      #expect(try await ledger.health.check(Grpc_Health_V1_HealthCheckRequest()).status == .notServing)
    }
  }

  @Test func everyCallIsLoggedOnceWithTheCallersCorrelationID() async throws {
    try await LedgerFixture.with { ledger in
      try await ledger.openAccount("a")
      var request = Ledger_V1_GetAccountRequest()
      request.accountID = "a"
      let response = try await ledger.accounts.getAccount(
        ClientRequest(message: request, metadata: ["x-correlation-id": "req-42.a_b"]))
      #expect(response.trailingMetadata.firstString(forKey: "x-correlation-id") == "req-42.a_b")

      // A failed call carries it too, generated when the caller's is unusable.
      request.accountID = "ghost"
      let error = await #expect(throws: RPCError.self) {
        _ = try await ledger.accounts.getAccount(
          ClientRequest(message: request, metadata: ["x-correlation-id": "has spaces"]))
      }
      let generated = try #require(error?.metadata.firstString(forKey: "x-correlation-id"))
      #expect(generated != "has spaces" && CorrelationID.isValid(generated))

      let calls = ledger.logs.records.filter { $0["msg"] as? String == "call" }
      let success = try #require(calls.first { $0["correlation_id"] as? String == "req-42.a_b" })
      #expect(success["method"] as? String == "/ledger.v1.Accounts/GetAccount")
      #expect(success["status"] as? String == "OK")
      #expect(success["level"] as? String == "info")
      #expect((success["duration_us"] as? Int).map { $0 >= 0 } == true)
      #expect((success["peer"] as? String)?.hasPrefix("127.0.0.1:") == true)
      #expect((success["time"] as? String)?.hasSuffix("Z") == true)
      let failure = try #require(calls.first { $0["correlation_id"] as? String == generated })
      #expect(failure["status"] as? String == "NOT_FOUND")
      #expect(failure["error_code"] as? String == "ACCOUNT_NOT_FOUND")
      #expect(calls.filter { $0["correlation_id"] as? String == generated }.count == 1)
    }
  }

  @Test func unexpectedErrorsBecomeInternalWithOnlyACorrelationIDOnTheWire() async throws {
    let secret = "disk I/O error in /var/lib/ledger/secret.sqlite (SQLITE_IOERR 10)"
    try await LedgerFixture.with(unitOfWork: FailingUnitOfWork(message: secret)) { ledger in
      let error = await #expect(throws: RPCError.self) { _ = try await ledger.account("a") }
      let correlationID = try #require(error?.metadata.firstString(forKey: "x-correlation-id"))
      #expect(error?.code == .internal)
      #expect(error?.message == "internal error (correlation id \(correlationID))")
      #expect(error?.metadata.firstString(forKey: ErrorMapping.errorCodeKey) == nil)
      #expect(error.map { !"\($0)".contains("secret") } == true)

      // The log keeps the detail under the same id.
      let detail = try #require(
        ledger.logs.records.first { $0["msg"] as? String == "unexpected error" })
      #expect(detail["correlation_id"] as? String == correlationID)
      #expect(detail["level"] as? String == "error")
      #expect((detail["error"] as? String)?.contains(secret) == true)
      let call = try #require(ledger.logs.records.first { $0["msg"] as? String == "call" })
      #expect(call["status"] as? String == "INTERNAL" && call["level"] as? String == "error")
    }
  }
}

/// A store whose every transaction fails, as a broken disk would make SQLite's.
struct FailingUnitOfWork: UnitOfWork {
  let message: String

  func write<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result {
    throw StorageError(message)
  }

  func read<Result: Sendable>(
    _ work: @escaping @Sendable (any RepositoryContext) throws -> Result
  ) async throws -> Result {
    throw StorageError(message)
  }
}
