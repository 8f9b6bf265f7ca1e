import LedgerRPC
import LedgerSQLite
@testable import LedgerServerKit
import Testing

/// `ledger-server`'s flags and environment variables.
@Suite("ledger-server arguments")
struct ServerArgumentsTests {
  @Test func defaultsNeedOnlyAnAuthenticationChoice() throws {
    var expected = LedgerServerConfiguration()
    expected.authentication = .disabled
    #expect(try LedgerServerArguments.parse(["--insecure-no-auth"], environment: [:]) == .serve(expected))
    #expect(try LedgerServerArguments.parse([], environment: ["LEDGER_INSECURE_NO_AUTH": "1"]) == .serve(expected))
    expected.authentication = .keyFile("keys.txt")
    #expect(try LedgerServerArguments.parse(["--auth-keys", "keys.txt"], environment: [:]) == .serve(expected))
    #expect(try LedgerServerArguments.parse([], environment: ["LEDGER_AUTH_KEYS": "keys.txt"]) == .serve(expected))
    let defaults = LedgerServerConfiguration()
    #expect(defaults.host == "127.0.0.1" && defaults.port == 7070 && defaults.databasePath == "ledger.sqlite")
    #expect(defaults.authentication == nil)
  }

  @Test func withoutAnAuthenticationChoiceTheServerDoesNotStart() {
    let error = #expect(throws: UsageError.self) { try LedgerServerArguments.parse([], environment: [:]) }
    #expect(error?.message.contains("--auth-keys <file>") == true)
    #expect(error?.message.contains("--insecure-no-auth") == true)
    #expect(throws: UsageError.self) {
      try LedgerServerArguments.parse([], environment: ["LEDGER_INSECURE_NO_AUTH": "0"])
    }
  }

  @Test func contradictoryAuthenticationChoicesAreUsageErrors() {
    #expect(throws: UsageError.self) {
      try LedgerServerArguments.parse(["--auth-keys", "k", "--insecure-no-auth"], environment: [:])
    }
    #expect(throws: UsageError.self) {
      try LedgerServerArguments.parse([], environment: ["LEDGER_AUTH_KEYS": "k", "LEDGER_INSECURE_NO_AUTH": "1"])
    }
    #expect(throws: UsageError.self) {
      try LedgerServerArguments.parse(["--insecure-no-auth"], environment: ["LEDGER_INSECURE_NO_AUTH": "yes"])
    }
  }

  @Test func anAuthenticationFlagOverridesTheEnvironment() throws {
    var expected = LedgerServerConfiguration()
    expected.authentication = .disabled
    #expect(
      try LedgerServerArguments.parse(["--insecure-no-auth"], environment: ["LEDGER_AUTH_KEYS": "k"]) == .serve(expected))
    expected.authentication = .keyFile("mine")
    #expect(
      try LedgerServerArguments.parse(["--auth-keys=mine"], environment: ["LEDGER_INSECURE_NO_AUTH": "1"])
        == .serve(expected))
  }

  @Test func flagsOverrideTheEnvironment() throws {
    let invocation = try LedgerServerArguments.parse(
      ["--port", "9000", "--log-level=error", "--max-message-bytes", "1024", "--insecure-no-auth"],
      environment: ["LEDGER_PORT": "8000", "LEDGER_HOST": "0.0.0.0", "LEDGER_DATABASE": "/data/l.sqlite"])
    guard case .serve(let configuration) = invocation else {
      Issue.record("expected a configuration, got \(invocation)")
      return
    }
    #expect(configuration.port == 9000)
    #expect(configuration.host == "0.0.0.0")
    #expect(configuration.databasePath == "/data/l.sqlite")
    #expect(configuration.logLevel == .error)
    #expect(configuration.messageBytesMax == 1024)
  }

  @Test func everySettingHasAFlag() throws {
    let invocation = try LedgerServerArguments.parse(
      [
        "--host", "::1", "--port", "0", "--database", "x.sqlite", "--max-connections", "7",
        "--max-message-bytes", "2048", "--shutdown-grace-seconds", "0.5", "--log-level", "debug",
        "--auth-keys", "keys", "--writer-cache-mib", "8", "--reader-cache-mib", "4",
      ], environment: [:])
    var expected = LedgerServerConfiguration()
    expected.host = "::1"
    expected.port = 0
    expected.databasePath = "x.sqlite"
    expected.connectionsMax = 7
    expected.messageBytesMax = 2048
    expected.shutdownGraceSeconds = 0.5
    expected.logLevel = .debug
    expected.authentication = .keyFile("keys")
    expected.writerCacheMebibytes = 8
    expected.readerCacheMebibytes = 4
    #expect(invocation == .serve(expected))
    #expect(expected.shutdownGracePeriod == .milliseconds(500))
  }

  @Test func cacheSizesReachTheStoreInKibibytes() {
    var configuration = LedgerServerConfiguration()
    // The server's defaults are the store's own.
    #expect(configuration.storeConfiguration == SQLiteLedgerStore.Configuration())
    configuration.writerCacheMebibytes = 2
    configuration.readerCacheMebibytes = 1
    #expect(
      configuration.storeConfiguration
        == SQLiteLedgerStore.Configuration(writerCacheKibibytes: 2_048, readerCacheKibibytes: 1_024))
  }

  @Test func helpWinsWhereverItIs() throws {
    #expect(try LedgerServerArguments.parse(["--port", "1", "-h"], environment: [:]) == .help)
    #expect(try LedgerServerArguments.parse(["--help"], environment: ["LEDGER_PORT": "1"]) == .help)
  }

  @Test(arguments: [
    ["--nope"], ["--port"], ["--port", "-1"], ["--port", "65536"], ["--max-message-bytes", "16777217"],
    ["--shutdown-grace-seconds", "-1"], ["--log-level", "loud"], ["--host", ""], ["stray"], ["--auth-keys", ""],
    ["--auth-keys"], ["--insecure-no-auth=1"], ["--writer-cache-mib", "0"], ["--reader-cache-mib", "1025"],
    ["--writer-cache-mib", "64k"],
  ])
  func badCommandLinesAreUsageErrors(_ arguments: [String]) {
    #expect(throws: UsageError.self) { try LedgerServerArguments.parse(arguments, environment: [:]) }
  }

  @Test func badEnvironmentValuesNameTheVariable() {
    let error = #expect(throws: UsageError.self) {
      try LedgerServerArguments.parse(["--insecure-no-auth"], environment: ["LEDGER_SHUTDOWN_GRACE_SECONDS": "soon"])
    }
    #expect(error?.message.contains("LEDGER_SHUTDOWN_GRACE_SECONDS") == true)
  }

  @Test func handshakeAndFrameTimeoutsHaveFlagsAndVariables() throws {
    let invocation = try LedgerServerArguments.parse(
      ["--handshake-timeout-seconds", "0.5", "--frame-timeout-seconds=2", "--insecure-no-auth"],
      environment: ["LEDGER_FRAME_TIMEOUT_SECONDS": "7", "LEDGER_HANDSHAKE_TIMEOUT_SECONDS": "3"])
    var expected = LedgerServerConfiguration()
    expected.authentication = .disabled
    expected.handshakeTimeoutSeconds = 0.5
    expected.frameTimeoutSeconds = 2
    #expect(invocation == .serve(expected))
    #expect(expected.handshakeTimeout == .milliseconds(500))
    #expect(expected.frameTimeout == .seconds(2))
    let defaults = LedgerServerConfiguration()
    #expect(defaults.handshakeTimeout == .seconds(10) && defaults.frameTimeout == .seconds(10))
    let fromEnvironment = try LedgerServerArguments.parse(
      [], environment: ["LEDGER_FRAME_TIMEOUT_SECONDS": "7", "LEDGER_INSECURE_NO_AUTH": "1"])
    guard case .serve(let configuration) = fromEnvironment else {
      Issue.record("expected a configuration, got \(fromEnvironment)")
      return
    }
    #expect(configuration.frameTimeoutSeconds == 7)
  }

  @Test(arguments: [
    ["--handshake-timeout-seconds", "0"], ["--handshake-timeout-seconds", "-1"], ["--frame-timeout-seconds", "soon"],
    ["--frame-timeout-seconds", "3601"], ["--frame-timeout-seconds"],
  ])
  func badTimeoutsAreUsageErrors(_ arguments: [String]) {
    #expect(throws: UsageError.self) { try LedgerServerArguments.parse(arguments, environment: [:]) }
  }
}
