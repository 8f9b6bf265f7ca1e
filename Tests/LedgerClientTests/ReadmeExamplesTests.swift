import Foundation
import LedgerClient
import Testing

/// Every snippet of Clients/README.md, verbatim between the `README` markers, run against the
/// production stack so the README cannot drift from what compiles and works.
@Suite("Clients/README.md examples")
struct ReadmeExamplesTests {
  // README: connecting
  static func connect() throws -> (LedgerClient, LedgerClient) {
    let client = try LedgerClient(targets: ["127.0.0.1:7070"])   // connects on the first call
    defer { client.close() }

    // Several replicas: calls go round-robin; one in reconnect backoff is skipped.
    let replicated = LedgerClient(
      endpoints: [Endpoint(host: "10.0.0.1", port: 7070), Endpoint(host: "10.0.0.2", port: 7070)],
      configuration: LedgerClient.Configuration(defaultTimeout: .seconds(2)))
    defer { replicated.close() }
    return (client, replicated)
  }
  // README end

  // README: unary
  static func unary(_ client: LedgerClient) async throws {
    _ = try await client.accounts.createAccount(id: "bank", currency: "USD")
    _ = try await client.accounts.createAccount(id: "alice", currency: "USD", noOverdraft: true)

    let transfer = try await client.transfers.createTransfer(
      id: "invoice-1042", debit: "bank", credit: "alice", amount: 1_250, currency: "USD")   // $12.50
    print(transfer.sequence)   // returned once the transfer is on disk

    let alice = try await client.accounts.getAccount(id: "alice")
    print(alice.balance)       // 1250

    // The generated form takes the request message; every field of ledger.proto is there.
    var request = Ledger_V1_ListAccountsRequest()
    request.currency = "USD"
    request.pageSize = 100
    let page = try await client.accounts.listAccounts(request)
    print(page.accounts.map(\.accountID), page.nextPageToken)
  }
  // README end

  // README: transfer ids
  static func transferIDs(_ client: LedgerClient) async throws {
    // Make the id once, keep it with the payment, and send the same id on every retry.
    let id = LedgerClient.newTransferID()   // a ULID, e.g. "01JDZ8G2W3Q4R5S6T7V8W9XYZA"
    _ = try await client.transfers.createTransfer(
      id: id, debit: "bank", credit: "alice", amount: 2, currency: "USD")
  }
  // README end

  // README: watch
  static func watch(_ client: LedgerClient) async throws {
    // Every transfer of "alice" from the beginning, then live ones as they commit.
    try await client.transfers.watchAccount(id: "alice", afterSequence: 0) { transfer in
      // `sequence` is the cursor: pass the last one seen as afterSequence to resume.
      print("\(transfer.transferID): \(transfer.amount) at \(transfer.sequence)")
      return transfer.transferID != "invoice-1042"   // false: stop watching (the call is cancelled)
    }
  }
  // README end

  // README: watch (generated)
  static func watchGenerated(_ client: LedgerClient) async throws {
    var request = Ledger_V1_WatchAccountRequest()
    request.accountID = "alice"
    let watcher = Task {
      try await client.transfers.watchAccount(request) { response in
        for try await message in response.messages { print(message.transfer.transferID) }
      }
    }
    // ... later: cancelling the task cancels the call on the server.
    watcher.cancel()
    _ = await watcher.result
  }
  // README end

  // README: session
  static func session(_ client: LedgerClient) async throws {
    let results = try await client.transfers.transferSession { writer in
      for index in 1...100 {
        try await writer.write(
          Ledger_V1_CreateTransferRequest(id: "payout-\(index)", debit: "bank", credit: "alice", amount: 10, currency: "USD"))
      }
      // Returning half-closes the stream; results keep coming until every transfer is answered.
    } onResponse: { response in
      var failed = 0
      for try await result in response.messages where result.errorCode != .unspecified {
        print("\(result.transferID): \(result.errorCode.protoName) \(result.errorMessage)")
        failed += 1
      }
      return failed
    }
    print("\(results) of 100 failed")
  }
  // README end

  // README: deadlines
  static func deadlines(_ client: LedgerClient) async throws {
    let account = try await client.accounts.getAccount(id: "alice", options: CallOptions(timeout: .milliseconds(250)))
    print(account.version)

    // A watch has no default deadline; give it one to bound it.
    try await client.transfers.watchAccount(id: "alice", options: CallOptions(timeout: .seconds(30))) { _ in false }

    // The defaults for calls that set none (10 s and none unless configured).
    let impatient = LedgerClient(
      endpoints: client.endpoints,
      configuration: LedgerClient.Configuration(defaultTimeout: .seconds(2), defaultStreamingTimeout: .seconds(60)))
    print(try await impatient.accounts.getAccount(id: "alice").balance)
    impatient.close()
  }
  // README end

  // README: metadata
  static func metadata(_ client: LedgerClient, fetchToken: @escaping @Sendable () async throws -> String?) async throws {
    // Your own correlation id (else the client makes one up); the server returns it either way.
    var request = Ledger_V1_GetAccountRequest()
    request.accountID = "alice"
    let response = try await client.accounts.getAccount(
      ClientRequest(message: request, metadata: ["x-correlation-id": "order-7781"]))
    print(response.trailingMetadata.firstString(forKey: LedgerMetadataKeys.correlationID) ?? "")   // order-7781

    // A bearer token on every call, and fixed metadata.
    let authenticated = try LedgerClient(
      targets: ["127.0.0.1:7070"],
      configuration: LedgerClient.Configuration(
        authorizationTokenProvider: { try await fetchToken() },   // nil: send no authorization
        defaultMetadata: ["user-agent": "billing-service/1.4"]))
    // ... and when the process stops:
    authenticated.close()
  }
  // README end

  // README: errors
  static func errors(_ client: LedgerClient) async throws {
    do {
      _ = try await client.transfers.createTransfer(
        id: "refund-9", debit: "alice", credit: "bank", amount: 1_000_000, currency: "USD")
    } catch let error as RPCError {
      switch error.ledgerErrorCode {
      case .insufficientFunds?:
        print("alice cannot pay that much")            // FAILED_PRECONDITION: retry only after a top-up
      case .accountNotFound?, .accountClosed?:
        print("no such open account")
      case .transferIDConflict?:
        print("refund-9 was already used for another transfer")
      case nil where error.code == .unavailable || error.code == .deadlineExceeded:
        print("not answered: resend with the same id, it is safe")
      default:
        print("failed: \(LedgerServiceError(error))")   // e.g. INTERNAL (correlation id c-…)
      }
    }
  }
  // README end

  // README: retries
  static func retries(_ client: LedgerClient) async throws {
    // ImportTransfers and TransferSession have no idempotency level: never retried unless the
    // call opts in. A stream is retried only if it could not start; once it has, resending
    // is up to you (safe here: every transfer id is an idempotency key).
    let summary = try await client.transfers.importTransfers(options: CallOptions(retryable: true)) { writer in
      try await writer.write(.init(id: "import-1", debit: "bank", credit: "alice", amount: 1, currency: "USD"))
    }
    print(summary.created, summary.alreadyExisted)

    // Tune the automatic retries of UNAVAILABLE (attemptsMax: 1 turns them off)...
    let persistent = LedgerClient(
      endpoints: client.endpoints,
      configuration: LedgerClient.Configuration(
        retry: RetryPolicy(attemptsMax: 5, backoff: Backoff(initial: .milliseconds(20), maximum: .seconds(2)))))
    defer { persistent.close() }
    // ...or refuse them for one call.
    _ = try await client.accounts.getAccount(id: "alice", options: CallOptions(retryable: false))
  }
  // README end

  @Test func theReadmeShowsEverySnippetAsWrittenHere() throws {
    let testFile = #filePath
    let root = URL(fileURLWithPath: testFile).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let readme = try String(contentsOf: root.appendingPathComponent("Clients/README.md"), encoding: .utf8)
    let snippets = try Self.snippets(in: String(contentsOfFile: testFile, encoding: .utf8))
    #expect(snippets.count == 10)
    for (name, code) in snippets {
      #expect(readme.contains("```swift\n" + code + "\n```"), "README.md lacks the \(name) snippet as written here")
    }
  }

  /// The code between each `README: name` marker and `README end`, without the enclosing
  /// function's first and last line, unindented.
  static func snippets(in source: String) throws -> [(String, String)] {
    var result: [(String, String)] = []
    var current: (name: String, lines: [Substring])?
    for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.drop(while: { $0 == " " })
      if trimmed.hasPrefix("// README: ") {
        current = (String(trimmed.dropFirst("// README: ".count)), [])
      } else if trimmed == "// README end", var snippet = current {
        if snippet.lines.first?.drop(while: { $0 == " " }).hasPrefix("static func") == true { snippet.lines.removeFirst() }
        while snippet.lines.last?.allSatisfy({ $0 == " " }) == true { snippet.lines.removeLast() }
        if snippet.lines.last == "  }" { snippet.lines.removeLast() }
        snippet.lines.removeAll { $0.contains("return (client, replicated)") }
        let indent = snippet.lines.filter { !$0.isEmpty }.map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        result.append((snippet.name, snippet.lines.map { $0.dropFirst(min(indent, $0.count)) }.joined(separator: "\n")))
        current = nil
      } else if current != nil {
        current?.lines.append(line)
      }
    }
    return result
  }

  @Test func everySnippetRunsAgainstTheStack() async throws {
    let (unconnected, replicated) = try Self.connect()
    #expect(unconnected.endpoints == [Endpoint(host: "127.0.0.1", port: 7070)])
    #expect(replicated.endpoints.count == 2)

    try await LedgerServer.with { client, _ in
      try await Self.unary(client)
      try await Self.transferIDs(client)
      try await Self.watch(client)
      try await Self.watchGenerated(client)
      try await Self.session(client)
      try await Self.deadlines(client)
      try await Self.metadata(client, fetchToken: { "token" })
      try await Self.errors(client)
      try await Self.retries(client)
      #expect(try await client.accounts.getAccount(id: "alice").balance == 1_250 + 2 + 100 * 10 + 1)
    }
  }
}
