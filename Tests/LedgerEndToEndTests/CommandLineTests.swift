import Foundation
import Testing

/// The `ledger-server` binary: help, usage errors, start-up failures, graceful stop.
@Suite("ledger-server command line", .timeLimit(.minutes(2)))
struct CommandLineTests {
  @Test(arguments: ["-h", "--help"])
  func helpPrintsUsageAndSucceeds(_ flag: String) async throws {
    let result = try await runLedgerServer([flag])
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("USAGE: ledger-server [<options>]"))
    for option in ["--host", "--port", "--database", "--max-connections", "--max-message-bytes",
      "--shutdown-grace-seconds", "--log-level", "--auth-keys", "--insecure-no-auth", "LEDGER_PORT"]
    {
      #expect(result.standardOutput.contains(option), "help lacks \(option)")
    }
    #expect(result.standardError.isEmpty)
  }

  @Test(arguments: [
    (["--bogus"], [:], "Unknown option '--bogus'"),
    (["--port"], [:], "Missing value for '--port <port>'"),
    (["--port", "70000"], [:], "invalid for '--port <port>'"),
    (["--log-level=chatty"], [:], "invalid for '--log-level <level>'"),
    (["extra"], [:], "Unexpected argument 'extra'"),
    ([], ["LEDGER_MAX_CONNECTIONS": "0"], "LEDGER_MAX_CONNECTIONS"),
    ([], [:], "No authentication configured"),
    (["--auth-keys", "k", "--insecure-no-auth"], [:], "contradict"),
  ] as [([String], [String: String], String)])
  func usageErrorsExitWith64(_ arguments: [String], _ environment: [String: String], _ message: String) async throws {
    let result = try await runLedgerServer(arguments, environment: environment)
    #expect(result.status == 64)
    #expect(result.standardError.hasPrefix("Error: "), "stderr: \(result.standardError)")
    #expect(result.standardError.contains(message), "stderr: \(result.standardError)")
    #expect(result.standardError.contains("Usage: ledger-server"))
    #expect(result.standardOutput.isEmpty)
  }

  @Test func anUnusableDatabaseExitsWithOneAndSaysWhy() async throws {
    let result = try await runLedgerServer([
      "--port", "0", "--database", "/nonexistent-dir/ledger.sqlite", "--insecure-no-auth",
    ])
    #expect(result.status == 1)
    #expect(result.standardError.contains("Error: cannot start the ledger"), "stderr: \(result.standardError)")
    #expect(result.standardError.contains("/nonexistent-dir/ledger.sqlite"))
  }

  @Test func sigintStopsGracefullyWithStatusZero() async throws {
    let directory = try TemporaryDirectory()
    let server = try await LedgerServerProcess.start(
      database: directory.file("ledger.sqlite"), logPath: directory.file("log"))
    server.send(SIGINT)
    let exit = try await server.waitForExit()
    #expect(exit.status == 0 && !exit.signaled)
    let messages = server.logLines.compactMap { line in
      ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["msg"] as? String
    }
    #expect(messages == ["listening", "shutdown requested", "shutting down", "stopped"])
  }
}
