import LedgerClient
import Testing

/// What `LedgerClient.Configuration` adds to each call, as the server receives it.
@Suite("LedgerClient call defaults")
struct LedgerClientDefaultsTests {
  @Test func theDefaultTimeoutAppliesOnlyToCallsWithoutOne() async throws {
    let defaulted = try await MetadataRecordingServer.receivedByOneCall(configuration: .init(defaultTimeout: .seconds(7)))
    let remaining = try #require(defaulted.timeRemaining)
    #expect(remaining > .seconds(5) && remaining <= .seconds(7))

    let own = try await MetadataRecordingServer.receivedByOneCall(
      configuration: .init(defaultTimeout: .seconds(7)), options: CallOptions(timeout: .seconds(60)))
    #expect(try #require(own.timeRemaining) > .seconds(30))

    let none = try await MetadataRecordingServer.receivedByOneCall(configuration: .init(defaultTimeout: nil))
    #expect(none.timeRemaining == nil)
  }

  @Test func streamsHaveTheirOwnDefaultTimeout() async throws {
    // No streaming default: a watch outlives the unary default and ends when the caller stops.
    try await LedgerServer.with(configuration: .init(defaultTimeout: .milliseconds(200))) { client, _ in
      _ = try await client.accounts.createAccount(id: "a", currency: "USD", options: CallOptions(timeout: .seconds(5)))
      _ = try await client.accounts.createAccount(id: "b", currency: "USD", options: CallOptions(timeout: .seconds(5)))
      async let late: Void = {
        try await Task.sleep(for: .milliseconds(500))
        _ = try await client.transfers.createTransfer(
          id: "late", debit: "a", credit: "b", amount: 1, currency: "USD", options: CallOptions(timeout: .seconds(5)))
      }()
      let seen = LockedValue<[String]>([])
      try await client.transfers.watchAccount(id: "b") { transfer in
        seen.withLock { $0.append(transfer.transferID) }
        return false
      }
      try await late
      #expect(seen.withLock { $0 } == ["late"])
    }

    // With one, a watch that would run forever ends with DEADLINE_EXCEEDED.
    try await LedgerServer.with(configuration: .init(defaultStreamingTimeout: .milliseconds(300))) { client, _ in
      _ = try await client.accounts.createAccount(id: "quiet", currency: "USD")
      var watch = Ledger_V1_WatchAccountRequest()
      watch.accountID = "quiet"
      let started = ContinuousClock.now
      let error = await #expect(throws: RPCError.self) {
        try await client.transfers.watchAccount(watch) { response in
          for try await _ in response.messages {}
        }
      }
      #expect(error?.code == .deadlineExceeded)
      #expect(ContinuousClock.now - started < .seconds(5))
    }
  }

  @Test func aCorrelationIDIsGeneratedSentAndEchoed() async throws {
    try await LedgerServer.with { client, _ in
      var request = Ledger_V1_CreateAccountRequest()
      request.accountID = "c"
      request.currency = "USD"
      let generated = try await client.accounts.createAccount(ClientRequest(message: request))
      let generatedID = try #require(generated.trailingMetadata.firstString(forKey: LedgerMetadataKeys.correlationID))
      #expect(generatedID.hasPrefix("c-"))

      let sent = try await client.accounts.createAccount(
        ClientRequest(message: request, metadata: [LedgerMetadataKeys.correlationID: "order-42"]))
      #expect(sent.trailingMetadata.firstString(forKey: LedgerMetadataKeys.correlationID) == "order-42")

      // Failures carry it too.
      let error = try #require(
        await #expect(throws: RPCError.self) {
          _ = try await client.accounts.getAccount(id: "missing", metadata: [LedgerMetadataKeys.correlationID: "lookup-7"])
        })
      #expect(error.correlationID == "lookup-7")
      #expect(LedgerServiceError(error)?.correlationID == "lookup-7")
    }
  }

  @Test func correlationIDsAreOptional() async throws {
    let received = try await MetadataRecordingServer.receivedByOneCall(configuration: .init(generatesCorrelationIDs: false))
    #expect(received.metadata[LedgerMetadataKeys.correlationID].isEmpty)
  }

  @Test func theTokenProviderAddsABearerToken() async throws {
    let withToken = try await MetadataRecordingServer.receivedByOneCall(
      configuration: .init(authorizationTokenProvider: { "s3cret" }, defaultMetadata: ["user-agent": "billing/1.2"]))
    #expect(withToken.metadata.firstString(forKey: "authorization") == "Bearer s3cret")
    #expect(withToken.metadata.firstString(forKey: "user-agent") == "billing/1.2")
    #expect(withToken.metadata.firstString(forKey: LedgerMetadataKeys.correlationID)?.hasPrefix("c-") == true)

    let withoutToken = try await MetadataRecordingServer.receivedByOneCall(
      configuration: .init(authorizationTokenProvider: { nil }))
    #expect(withoutToken.metadata["authorization"].isEmpty)

    // Metadata the call sets itself wins over the defaults.
    let own = try await MetadataRecordingServer.receivedByOneCall(
      configuration: .init(authorizationTokenProvider: { "s3cret" }, defaultMetadata: ["user-agent": "billing/1.2"]),
      metadata: ["authorization": "Bearer mine", "user-agent": "cli/0.1"])
    #expect(own.metadata["authorization"] == ["Bearer mine"])
    #expect(own.metadata["user-agent"] == ["cli/0.1"])
  }

  @Test func aFailingTokenProviderFailsTheCallBeforeItIsSent() async throws {
    struct VaultDown: Error {}
    let server = try MetadataRecordingServer()
    let client = LedgerClient(
      endpoints: [server.endpoint], configuration: .init(authorizationTokenProvider: { throw VaultDown() }))
    let error = await #expect(throws: RPCError.self) {
      _ = try await client.health.check(Grpc_Health_V1_HealthCheckRequest())
    }
    #expect(error?.code == .unauthenticated)
    client.close()
    await server.stop()
    #expect(server.received.isEmpty)
  }
}
