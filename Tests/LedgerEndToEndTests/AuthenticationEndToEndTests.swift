import CourierAuth
import CourierCore
import CourierTransport
import Foundation
import LedgerAPI
import LedgerServerKit
import Testing

/// Bearer-token authentication and per-method scopes, over TCP against the real stack: every
/// outcome a caller can meet, and that a rejected call never reaches the ledger.
@Suite("Authentication over the network", .timeLimit(.minutes(2)))
struct AuthenticationEndToEndTests {
  static let previousKey = try! TokenKey.generate(id: "2026-10")
  static let currentKey = try! TokenKey.generate(id: "2026-11")
  static let ring = try! TokenKeyRing([previousKey, currentKey])

  static func token(_ scopes: [String], key: TokenKey = currentKey, lifetime: Duration = .seconds(600)) -> String {
    try! TokenSigner(key: key).mint(subject: "e2e-tests", scopes: scopes, lifetime: lifetime)
  }

  /// The fixture's own channel carries a read-and-write token, for setting up and checking.
  func withLedger(_ body: (LedgerFixture) async throws -> Void) async throws {
    try await LedgerFixture.with(
      authentication: .keys(Self.ring),
      channelInterceptors: [BearerTokenInterceptor(token: Self.token(["ledger.read", "ledger.write"]))], body)
  }

  @Test func everyLedgerMethodDeclaresItsScope() {
    let reads = Ledger_V1_Accounts.Method.descriptors.filter { $0.idempotency == .noSideEffects }
      + Ledger_V1_Transfers.Method.descriptors.filter { $0.idempotency == .noSideEffects || $0.kind == .serverStreaming }
    for descriptor in Ledger_V1_Accounts.Method.descriptors + Ledger_V1_Transfers.Method.descriptors {
      let expected = reads.contains(descriptor) ? "ledger.read" : "ledger.write"
      #expect(descriptor.requiredScope == expected, "\(descriptor)")
    }
  }

  @Test func withoutATokenEveryMethodIsUnauthenticatedAndNothingChanges() async throws {
    try await withLedger { ledger in
      try await ledger.openAccount("a")
      try await ledger.openAccount("b")
      try await Callers.with(port: ledger.stack.port, token: nil) { anonymous in
        try await anonymous.expectEveryMethod(toFailWith: .unauthenticated)
      }
      #expect(try await ledger.allTransfers(of: "a").isEmpty)
      #expect(try await ledger.account("a").balance == 0)
      #expect(ledger.logs.rawLines.contains { $0.contains("call rejected") && $0.contains("no authorization metadata") })
    }
  }

  @Test func badTokensAreUnauthenticatedWithOneFixedMessage() async throws {
    let stranger = try TokenKey(id: "2026-11", secret: [UInt8](repeating: 3, count: 32))
    let unknown = try TokenKey.generate(id: "2027-01")
    let expired = try TokenSigner(key: Self.currentKey).mint(
      subject: "e2e", scopes: ["ledger.read"], lifetime: .seconds(60), now: WallClock.seconds() - 3_600)
    let tokens = [
      "garbage", Self.token(["ledger.read"], key: stranger), Self.token(["ledger.read"], key: unknown), expired,
      String(Self.token(["ledger.read"]).dropLast(2)),
    ]
    try await withLedger { ledger in
      try await ledger.openAccount("a")
      for token in tokens {
        try await Callers.with(port: ledger.stack.port, token: token) { caller in
          let error = try await caller.expect(.unauthenticated) { _ = try await caller.getAccount("a") }
          #expect(error?.message == AuthenticationInterceptor.unauthenticatedMessage)
        }
      }
      for reason in ["token signature does not match", "unknown key id", "token expired", "malformed token"] {
        #expect(ledger.logs.rawLines.contains { $0.contains(reason) }, "no log line with \(reason)")
      }
    }
  }

  @Test func aReadOnlyTokenReadsButCannotWrite() async throws {
    try await withLedger { ledger in
      try await ledger.openAccount("a")
      try await ledger.openAccount("b")
      try await ledger.move("t1", from: "a", to: "b", amount: 5)
      try await Callers.with(port: ledger.stack.port, token: Self.token(["ledger.read"])) { reader in
        #expect(try await reader.getAccount("a").balance == -5)
        let denied = try await reader.expect(.permissionDenied) { try await reader.createTransfer("t2", from: "a", to: "b") }
        #expect(denied?.message == AuthenticationInterceptor.permissionDeniedMessage)
        try await reader.expectWrites(toFailWith: .permissionDenied)
      }
      #expect(try await ledger.allTransfers(of: "a").map(\.transferID) == ["t1"])
      #expect(ledger.logs.rawLines.contains { $0.contains("token lacks the scope 'ledger.write'") })
    }
  }

  @Test func aWriteOnlyTokenCannotRead() async throws {
    try await withLedger { ledger in
      try await ledger.openAccount("a")
      try await ledger.openAccount("b")
      try await Callers.with(port: ledger.stack.port, token: Self.token(["ledger.write"])) { writer in
        try await writer.createTransfer("t1", from: "a", to: "b")
        try await writer.expectReads(toFailWith: .permissionDenied)
      }
      #expect(try await ledger.allTransfers(of: "a").map(\.transferID) == ["t1"])
    }
  }

  @Test func tokensOfEveryKeyInTheRingAreAccepted() async throws {
    try await withLedger { ledger in
      try await ledger.openAccount("a")
      for key in [Self.previousKey, Self.currentKey] {
        try await Callers.with(port: ledger.stack.port, token: Self.token(["ledger.read"], key: key)) { caller in
          let account = try await caller.getAccount("a")
          #expect(account.accountID == "a")
        }
      }
    }
  }

  @Test func theHealthCheckNeedsNoToken() async throws {
    try await withLedger { ledger in
      try await Callers.with(port: ledger.stack.port, token: nil) { anonymous in
        let health = try await anonymous.health.check(Grpc_Health_V1_HealthCheckRequest())
        #expect(health.status == .serving)
      }
    }
  }

  @Test func theServerBinaryAuthenticatesWithAKeyFileAndCourierTokenMints() async throws {
    let directory = try TemporaryDirectory()
    let keys = directory.file("keys")
    let tool = try #require(LedgerServerProcess.sibling("courier-token"), "courier-token is not built")
    let keyLine = try await runTool(tool, ["keygen", "--id", "k1"])
    try (keyLine.standardOutput).write(toFile: keys, atomically: true, encoding: .utf8)
    let minted = try await runTool(
      tool, ["mint", "--keys", keys, "--subject", "ci", "--scope", "ledger.read", "--scope", "ledger.write", "--ttl", "5m"])
    #expect(minted.status == 0)
    let token = minted.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    let verified = try await runTool(tool, ["verify", "--keys", keys, token])
    #expect(verified.standardOutput.hasPrefix("valid: subject ci, scopes ledger.read ledger.write, key k1"))

    let server = try await LedgerServerProcess.start(
      database: directory.file("ledger.sqlite"), logPath: directory.file("log"), arguments: ["--auth-keys", keys])
    defer { server.send(SIGKILL) }
    try await Callers.with(port: server.port, token: token) { caller in
      _ = try await caller.accounts.createAccount(.make("a"))
      let account = try await caller.getAccount("a")
      #expect(account.accountID == "a")
    }
    try await Callers.with(port: server.port, token: nil) { anonymous in
      _ = try await anonymous.expect(.unauthenticated) { _ = try await anonymous.getAccount("a") }
    }
  }

  @Test func theServerBinaryRefusesAnUnusableKeyFile() async throws {
    let directory = try TemporaryDirectory()
    let keys = directory.file("keys")
    try "k1 short\n".write(toFile: keys, atomically: true, encoding: .utf8)
    let result = try await runLedgerServer(["--port", "0", "--database", directory.file("db"), "--auth-keys", keys])
    #expect(result.status == 1)
    #expect(result.standardError.contains("key"), "stderr: \(result.standardError)")
    #expect(!FileManager.default.fileExists(atPath: directory.file("db")), "the database was created anyway")
  }
}

/// Clients over their own channel, sending `token` (or none) with every call.
struct Callers {
  let accounts: Ledger_V1_Accounts.Client
  let transfers: Ledger_V1_Transfers.Client
  let health: Grpc_Health_V1_Health.Client

  static func with(port: Int, token: String?, _ body: (Callers) async throws -> Void) async throws {
    let channel = CourierChannel(
      configuration: .init(
        endpoints: [Endpoint(host: "127.0.0.1", port: port)],
        interceptors: token.map { [BearerTokenInterceptor(token: $0)] } ?? []))
    defer { channel.close() }
    try await body(
      Callers(
        accounts: .init(wrapping: channel), transfers: .init(wrapping: channel), health: .init(wrapping: channel)))
  }

  func getAccount(_ id: String) async throws -> Ledger_V1_Account {
    var request = Ledger_V1_GetAccountRequest()
    request.accountID = id
    return try await accounts.getAccount(request).account
  }

  func createTransfer(_ id: String, from debit: String, to credit: String) async throws {
    _ = try await transfers.createTransfer(.make(id, from: debit, to: credit, amount: 1))
  }

  /// Fails unless `body` fails with `status`; returns the error.
  @discardableResult
  func expect(_ status: StatusCode, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void)
    async throws -> RPCError?
  {
    do {
      try await body()
    } catch let error as RPCError {
      #expect(error.code == status, "\(error)", sourceLocation: sourceLocation)
      return error
    }
    Issue.record("expected \(status), but the call succeeded", sourceLocation: sourceLocation)
    return nil
  }

  func expectEveryMethod(toFailWith status: StatusCode) async throws {
    try await expectReads(toFailWith: status)
    try await expectWrites(toFailWith: status)
  }

  /// GetAccount, ListAccounts, GetTransfer, ListTransfers, WatchAccount.
  func expectReads(toFailWith status: StatusCode) async throws {
    try await expect(status) { _ = try await getAccount("a") }
    try await expect(status) { _ = try await accounts.listAccounts(Ledger_V1_ListAccountsRequest()) }
    try await expect(status) {
      var request = Ledger_V1_GetTransferRequest()
      request.transferID = "t1"
      _ = try await transfers.getTransfer(request)
    }
    try await expect(status) {
      var request = Ledger_V1_ListTransfersRequest()
      request.accountID = "a"
      _ = try await transfers.listTransfers(request)
    }
    try await expect(status) {
      var request = Ledger_V1_WatchAccountRequest()
      request.accountID = "a"
      try await transfers.watchAccount(request) { response in
        for try await _ in response.messages {}
      }
    }
  }

  /// CreateAccount, CloseAccount, CreateTransfer, CreateTransfers, ImportTransfers, TransferSession.
  func expectWrites(toFailWith status: StatusCode) async throws {
    try await expect(status) { _ = try await accounts.createAccount(.make("new")) }
    try await expect(status) {
      var request = Ledger_V1_CloseAccountRequest()
      request.accountID = "b"
      _ = try await accounts.closeAccount(request)
    }
    try await expect(status) { try await createTransfer("x1", from: "a", to: "b") }
    try await expect(status) {
      var request = Ledger_V1_CreateTransfersRequest()
      request.transfers = [.make("x2", from: "a", to: "b", amount: 1)]
      _ = try await transfers.createTransfers(request)
    }
    try await expect(status) {
      _ = try await transfers.importTransfers { writer in
        try await writer.write(.make("x3", from: "a", to: "b", amount: 1))
      }
    }
    try await expect(status) {
      try await transfers.transferSession { writer in
        try await writer.write(.make("x4", from: "a", to: "b", amount: 1))
      } onResponse: { response in
        for try await _ in response.messages {}
      }
    }
  }
}
