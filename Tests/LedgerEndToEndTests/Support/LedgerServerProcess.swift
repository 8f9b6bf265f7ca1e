import CourierTransport
import Foundation
import Testing

/// The built `ledger-server` binary run as a child process, its stderr (the JSON log) going to
/// a file, so a test can kill it for real and start it again on the same database.
final class LedgerServerProcess: @unchecked Sendable {
  // @unchecked Sendable: `process` is a Foundation `Process`, which is thread-safe for the
  // calls made here (isRunning, processIdentifier, terminationStatus); the other stored
  // properties are immutable.

  /// The binary in the products directory of this build (the parent of the test bundle), or
  /// in the package's default debug build directory.
  static let executable: URL? = {
    var candidates: [URL] = []
    let testBinary = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
    // Linux: .../debug/<Package>PackageTests.xctest is the test binary itself.
    candidates.append(testBinary.deletingLastPathComponent().appendingPathComponent("ledger-server"))
    // macOS: the bundle is .../debug/<Package>PackageTests.xctest/Contents/MacOS/...
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("ledger-server"))
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/ledger-server"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }()

  let process: Process
  let logPath: String
  /// The port from the `listening` log line.
  let port: Int

  private init(process: Process, logPath: String, port: Int) {
    self.process = process
    self.logPath = logPath
    self.port = port
  }

  /// Starts `ledger-server --port 0 --database <database>` and waits for its `listening` line;
  /// without authentication (`--insecure-no-auth`) unless `arguments` give `--auth-keys`.
  static func start(database: String, logPath: String, arguments: [String] = []) async throws -> LedgerServerProcess {
    let executable = try #require(executable, "ledger-server is not built next to the tests; run `swift build`")
    _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    let logFile = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    let process = Process()
    process.executableURL = executable
    let authentication = arguments.contains { $0.hasPrefix("--auth-keys") } ? [] : ["--insecure-no-auth"]
    process.arguments =
      ["--port", "0", "--database", database, "--shutdown-grace-seconds", "2"] + authentication + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = logFile
    try process.run()
    try logFile.close()
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
      if let port = listeningPort(in: logPath) {
        return LedgerServerProcess(process: process, logPath: logPath, port: port)
      }
      guard process.isRunning else { break }
      try await Task.sleep(for: .milliseconds(20))
    }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    throw ProcessFailure(message: "ledger-server did not report listening; log:\n\(log)")
  }

  /// Sends `signal` to the process.
  func send(_ signal: Int32) {
    kill(process.processIdentifier, signal)
  }

  /// Waits (polling, so no thread blocks) for the process to end; returns its status and
  /// whether it ended by a signal.
  func waitForExit(timeout: Duration = .seconds(30)) async throws -> (status: Int32, signaled: Bool) {
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
      guard ContinuousClock.now < deadline else {
        send(SIGKILL)
        throw ProcessFailure(message: "ledger-server did not exit within \(timeout)")
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
  }

  /// The log's lines so far.
  var logLines: [String] {
    ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  private static func listeningPort(in logPath: String) -> Int? {
    guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.contains("\"msg\":\"listening\"") {
      let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
      if let port = object?["port"] as? Int { return port }
    }
    return nil
  }
}

/// A child process did not behave.
struct ProcessFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

extension LedgerServerProcess {
  /// Another executable of the package, built next to `ledger-server`.
  static func sibling(_ name: String) -> URL? {
    executable.map { $0.deletingLastPathComponent().appendingPathComponent(name) }
      .flatMap { FileManager.default.isExecutableFile(atPath: $0.path) ? $0 : nil }
  }
}

/// Runs the binary to completion with `arguments` and returns its exit status and output.
func runLedgerServer(_ arguments: [String], environment: [String: String] = [:]) async throws
  -> (status: Int32, standardOutput: String, standardError: String)
{
  let executable = try #require(
    LedgerServerProcess.executable, "ledger-server is not built next to the tests; run `swift build`")
  return try await runTool(executable, arguments, environment: environment)
}

/// Runs `executable` to completion (at most 30 s) in a temporary directory with `arguments`
/// and returns its exit status and output.
func runTool(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) async throws
  -> (status: Int32, standardOutput: String, standardError: String)
{
  let directory = try TemporaryDirectory()
  let outputPath = directory.file("stdout")
  let errorPath = directory.file("stderr")
  _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
  _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
  process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
  process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
  process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
  try process.run()
  let deadline = ContinuousClock.now + .seconds(30)
  while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
  if process.isRunning {
    kill(process.processIdentifier, SIGKILL)
    throw ProcessFailure(message: "\(executable.lastPathComponent) \(arguments) did not exit")
  }
  return (
    process.terminationStatus, try String(contentsOfFile: outputPath, encoding: .utf8),
    try String(contentsOfFile: errorPath, encoding: .utf8)
  )
}
