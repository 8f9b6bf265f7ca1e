#if canImport(Glibc)
  import Glibc
#endif

/// `ledger-load` as a function from arguments to an exit status, so the executable stays thin.
public enum LoadCommand {
  /// Exit statuses (swift-argument-parser's conventions).
  public static let exitSuccess: Int32 = 0
  public static let exitFailure: Int32 = 1
  public static let exitUsage: Int32 = 64

  /// Parses `arguments` (without the program name), runs, prints the report on standard
  /// output (and the HTML file if asked), and returns the exit status.
  public static func main(_ arguments: [String]) async -> Int32 {
    let parsed: LoadArguments
    do {
      switch try LoadArguments.parse(arguments, environment: environmentVariables(["LEDGER_TOKEN"])) {
      case .help:
        writeOut(LoadArguments.usage + "\n")
        return exitSuccess
      case .run(let arguments): parsed = arguments
      }
    } catch {
      writeError("error: \(error.message)\n\n\(LoadArguments.usage)\n")
      return exitUsage
    }
    let terminal = isatty(1) == 1
    let progress: (@Sendable (LoadProgress) -> Void)? = terminal ? { @Sendable progress in writeOut("\r\u{1B}[K" + progressLine(progress)) } : nil
    let report: LoadReport
    do {
      report = try await LoadRunner(options: parsed.options).run(progress: progress)
    } catch {
      if terminal { writeOut("\r\u{1B}[K") }
      writeError("error: \(error)\n")
      return exitFailure
    }
    if terminal { writeOut("\r\u{1B}[K") }
    switch parsed.format {
    case .text: writeOut(ReportRendering.text(report))
    case .json: writeOut(ReportRendering.json(report))
    }
    if let path = parsed.htmlPath {
      do {
        try writeFile(path, HTMLReport.render(report))
      } catch {
        writeError("error: cannot write \(path): \(error)\n")
        return exitFailure
      }
    }
    if let reason = report.abandonReason { writeError("error: the run was abandoned: \(reason)\n") }
    if let invariants = report.invariants, !invariants.passed {
      writeError("error: invariant check failed (\(invariants.violations.count) violation(s)\(invariants.checkError.map { "; \($0)" } ?? ""))\n")
    }
    return report.succeeded ? exitSuccess : exitFailure
  }

  /// `[3s] 1234 calls/s, 3702 calls, 0 errors, p99 2.345 ms`.
  public static func progressLine(_ progress: LoadProgress) -> String {
    "[\(progress.elapsedSeconds)s] \(progress.callsLastSecond) calls/s, \(progress.calls) calls, "
      + "\(progress.errors) errors, p99 \(ReportRendering.milliseconds(progress.p99Microseconds))"
  }

  struct FileError: Error, CustomStringConvertible {
    let description: String
  }

  static func writeFile(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw FileError(description: String(cString: strerror(errno))) }
    defer { close(fd) }
    guard writeAll(fd, text) else { throw FileError(description: String(cString: strerror(errno))) }
  }

  static func writeOut(_ text: String) { _ = writeAll(1, text) }
  static func writeError(_ text: String) { _ = writeAll(2, text) }

  /// Writes all of `text`, retrying short writes and EINTR.
  @discardableResult
  static func writeAll(_ fd: Int32, _ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += written
      }
      return true
    }
  }

  /// The values of the environment variables `names` that are set.
  private static func environmentVariables(_ names: [String]) -> [String: String] {
    var values: [String: String] = [:]
    for name in names {
      if let value = getenv(name) { values[name] = String(cString: value) }
    }
    return values
  }
}
