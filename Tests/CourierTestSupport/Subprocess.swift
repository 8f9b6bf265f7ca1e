import Dispatch
import Foundation

/// Runs a command to completion without blocking Swift's cooperative thread pool.
///
/// `Process.waitUntilExit()` and `readDataToEndOfFile()` block their thread. The pool has only
/// as many threads as cores (two here), so a test that blocks one stalls every other test running
/// in parallel — and timing-sensitive transport tests then fail. The blocking part runs on a
/// Dispatch queue and the test awaits it.
public enum Subprocess {
  /// What a finished command left behind.
  public struct Result: Sendable {
    public var status: Int32
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]

    public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
    public var errorText: String { String(decoding: standardError, as: UTF8.self) }
  }

  /// Runs `executable` with `arguments`, feeding `input` on standard input.
  public static func run(_ executable: String, _ arguments: [String], input: [UInt8] = [], currentDirectory: String? = nil) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Swift.Result { try runBlocking(executable, arguments, input: input, currentDirectory: currentDirectory) })
      }
    }
  }

  private static func runBlocking(_ executable: String, _ arguments: [String], input: [UInt8], currentDirectory: String?) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let standardInput = Pipe()
    let standardOutput = Pipe()
    let standardError = Pipe()
    process.standardInput = standardInput
    process.standardOutput = standardOutput
    process.standardError = standardError
    try process.run()
    // Drain stderr concurrently so a chatty command cannot fill its pipe and deadlock.
    let errorData = LockedData()
    let errorReader = DispatchGroup()
    errorReader.enter()
    DispatchQueue.global().async {
      errorData.set(standardError.fileHandleForReading.readDataToEndOfFile())
      errorReader.leave()
    }
    if !input.isEmpty { standardInput.fileHandleForWriting.write(Data(input)) }
    try standardInput.fileHandleForWriting.close()
    let output = standardOutput.fileHandleForReading.readDataToEndOfFile()
    errorReader.wait()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, standardOutput: [UInt8](output), standardError: [UInt8](errorData.get()))
  }
}

/// `Data` handed from the stderr reader thread to the waiting one.
///
/// `@unchecked Sendable` is sound: the value is written once before `errorReader.leave()` and
/// read once after `errorReader.wait()`, and the lock makes both accesses exclusive.
private final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
  func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}
