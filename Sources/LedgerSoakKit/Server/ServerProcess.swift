import Dispatch
import LedgerClient

#if canImport(Glibc)
  import Glibc
#endif

/// The `ledger-server` binary running as a child process, its log (stderr) going to a file, so
/// the soak measures the real thing from the outside: its memory and descriptors in /proc, its
/// survival, its exit status.
final class ServerProcess: Sendable {
  /// How a process ended.
  struct ExitStatus: Sendable, Hashable, CustomStringConvertible {
    /// The exit code, when it exited.
    var code: Int32?
    /// The signal that killed it, when one did.
    var signal: Int32?

    var description: String {
      if let code { return "exit \(code)" }
      return "killed by signal \(signal ?? 0)"
    }
  }

  let pid: pid_t
  /// The loopback port it serves on.
  let port: Int
  let logPath: String
  private let exit = LockedValue<ExitStatus?>(nil)

  private init(pid: pid_t, port: Int, logPath: String) {
    self.pid = pid
    self.port = port
    self.logPath = logPath
  }

  /// Starts `executable` with `arguments` plus `--port P` for a free loopback port, and waits
  /// until it answers a health check.
  ///
  /// The port is chosen here rather than with `--port 0` because the soak runs the server at
  /// `--log-level warning` (a line per call would make the log the biggest thing on disk), and
  /// the `listening` line is at `info`. The port is free when chosen; if another process takes
  /// it first, the server exits at once and the start is retried with a new port.
  /// - Throws: `SoakError` when it cannot be spawned, exits, or does not answer in time.
  /// - Parameter environment: variables set (over this process's environment) for the server.
  static func start(
    executable: String, arguments: [String], environment: [String: String], logPath: String, readyTimeout: Duration
  ) async throws -> ServerProcess {
    var lastFailure = ""
    for _ in 0..<3 {
      let port = try freePort()
      let server = ServerProcess(
        pid: try spawn(executable, arguments + ["--port", String(port)], environment: environment, logPath: logPath),
        port: port,
        logPath: logPath)
      let deadline = ContinuousClock.now + readyTimeout
      let probe = ConnectionProbe(endpoint: Endpoint(host: "127.0.0.1", port: port), interval: .zero)
      while ContinuousClock.now < deadline, server.isRunning {
        if await probe.probeOnce() == nil { return server }
        try await Task.sleep(for: .milliseconds(50))
      }
      if let status = server.exitStatus() {
        lastFailure = "ledger-server ended before serving (\(status)); its log:\n\(tail(ofFileAt: logPath))"
        continue
      }
      server.kill()
      throw SoakError("ledger-server was not serving after \(readyTimeout); its log:\n\(tail(ofFileAt: logPath))")
    }
    throw SoakError(lastFailure)
  }

  /// A loopback port nothing listens on right now.
  private static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SoakError("socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw SoakError("cannot find a free port: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], logPath: String)
    throws -> pid_t
  {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // Nothing else of this process (a test runner's pipes, say) leaks into the server's
    // descriptor count. glibc 2.34 has it; Swift's Glibc module does not declare it.
    if let closeFrom = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
      typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
      _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
    }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var inherited: [String] = []
    var entry = environ
    while let variable = entry.pointee {
      let text = String(cString: variable)
      let name = text.prefix { $0 != "=" }
      if environment[String(name)] == nil { inherited.append(text) }
      entry += 1
    }
    let envp = (inherited + environment.map { "\($0.key)=\($0.value)" }).map { strdup($0) } + [nil]
    defer { for variable in envp { free(variable) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard status == 0 else {
      throw SoakError("cannot start \(executable): \(String(cString: strerror(status)))")
    }
    return pid
  }

  /// The process's exit status once it has ended (reaping it), nil while it runs.
  func exitStatus() -> ExitStatus? {
    exit.withLock { exit in
      if let exit { return exit }
      var status: Int32 = 0
      guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
      let signal = status & 0x7f
      exit = signal == 0 ? ExitStatus(code: (status >> 8) & 0xff, signal: nil) : ExitStatus(code: nil, signal: signal)
      return exit
    }
  }

  /// Whether the process is still running.
  var isRunning: Bool { exitStatus() == nil }

  /// Sends SIGTERM and waits up to `timeout` for the process to end (then SIGKILL); returns
  /// how it ended and how long that took.
  func terminate(timeout: Duration) async -> (status: ExitStatus, duration: Duration) {
    let start = ContinuousClock.now
    if isRunning { Glibc.kill(pid, SIGTERM) }
    while ContinuousClock.now - start < timeout {
      if let status = exitStatus() { return (status, .now - start) }
      try? await Task.sleep(for: .milliseconds(20))
    }
    kill()
    return (exitStatus() ?? ExitStatus(code: nil, signal: SIGKILL), .now - start)
  }

  /// SIGKILL, then reaps it; safe to call whatever state it is in (for cleanup paths).
  func kill() {
    guard isRunning else { return }
    Glibc.kill(pid, SIGKILL)
    for _ in 0..<500 where isRunning { usleep(10_000) }
  }

  /// The last lines of a log, for error messages.
  static func tail(ofFileAt path: String, lines: Int = 20) -> String {
    readFile(path).split(separator: "\n").suffix(lines).joined(separator: "\n")
  }
}

/// The soak could not run (as opposed to: it ran and a criterion failed).
public struct SoakError: Error, Sendable, Hashable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// The whole file as text ("" when it cannot be read).
func readFile(_ path: String) -> String {
  let fd = open(path, O_RDONLY | O_CLOEXEC)
  guard fd >= 0 else { return "" }
  defer { close(fd) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 64 * 1024)
  while true {
    let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if count < 0 && errno == EINTR { continue }
    guard count > 0 else { break }
    bytes += chunk[0..<count]
  }
  return String(decoding: bytes, as: UTF8.self)
}
