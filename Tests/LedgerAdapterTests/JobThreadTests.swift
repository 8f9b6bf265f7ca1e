import Dispatch
import LedgerApplication
import Testing

@testable import LedgerSQLite

#if canImport(Glibc)
  import Glibc
#endif

/// The writer's own thread runs jobs one at a time in submission order, answers jobs submitted
/// after it finished, and ends when finished, so a closed store leaves no thread behind.
@Suite struct JobThreadTests {
  /// The names of this process's threads, from /proc/self/task/*/comm.
  private func threadNames() -> [String] {
    guard let tasks = opendir("/proc/self/task") else { return [] }
    defer { closedir(tasks) }
    var names: [String] = []
    while let entry = readdir(tasks) {
      let task = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      guard task.first?.isNumber == true, let file = fopen("/proc/self/task/\(task)/comm", "r") else { continue }
      var buffer = [CChar](repeating: 0, count: 64)
      if fgets(&buffer, 64, file) != nil {
        var name = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if name.last == "\n" { name.removeLast() }
        names.append(name)
      }
      fclose(file)
    }
    return names
  }

  /// Waits up to 5 s for no thread to be named `name`; whether none is.
  private func threadEnds(_ name: String) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(5)
    while threadNames().contains(name) {
      guard ContinuousClock.now < deadline else { return false }
      try await Task.sleep(for: .milliseconds(10))
    }
    return true
  }

  /// Jobs submitted from many threads at once each run exactly once, one at a time, and the
  /// jobs of any one submitter run in the order it submitted them.
  @Test func runsJobsOneAtATimeInSubmissionOrder() {
    let thread = JobThread(name: "jt-order")
    defer { thread.finish() }
    let log = LockedLog()
    DispatchQueue.concurrentPerform(iterations: 4) { submitter in
      for index in 0..<500 {
        thread.async {
          log.enter()
          log.append(submitter: submitter, index: index)
          log.leave()
        }
      }
    }
    thread.sync()
    let entries = log.entries
    #expect(entries.count == 2_000)
    #expect(log.maximumRunning == 1)
    for submitter in 0..<4 {
      #expect(entries.filter { $0.submitter == submitter }.map(\.index) == Array(0..<500))
    }
  }

  /// After `finish`, the jobs already submitted still run on the thread, the thread ends, and
  /// a job submitted later still runs, after them.
  @Test func finishingRunsWhatWasQueuedThenEndsTheThread() async throws {
    let name = "jt-finish"
    let thread = JobThread(name: name)
    let log = LockedLog()
    let gate = DispatchSemaphore(value: 0)
    let namedWhileRunning = Locked(false)
    thread.async {
      namedWhileRunning.withLock { $0 = self.threadNames().contains(name) }
      gate.wait()
    }
    for index in 0..<10 { thread.async { log.append(submitter: 0, index: index) } }
    thread.finish()
    gate.signal()
    thread.sync()
    thread.async { log.append(submitter: 0, index: 10) }
    thread.sync()
    #expect(log.entries.map(\.index) == Array(0...10))
    #expect(namedWhileRunning.withLock { $0 })
    #expect(try await threadEnds(name))
  }

  /// A connection host on a thread of its own runs its connection's jobs there, and the
  /// thread ends when the host closes, so a closed store leaves no thread behind.
  @Test func aClosedHostLeavesNoThread() async throws {
    let name = "jt-host"
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let host = ConnectionHost(label: "test.host", threadName: name)
    let path = directory.file("ledger.sqlite")
    try await host.open { try SQLiteConnection(path: path, readOnly: false, create: true) }
    let names = try await host.run { _ in self.threadNames() }
    #expect(names.contains(name))
    await host.close()
    #expect(try await threadEnds(name))
    await #expect(throws: SQLiteError.self) { try await host.run { _ in 1 } }
  }
}

/// What the jobs of a test did, and how many ran at once.
private final class LockedLog: Sendable {
  struct Entry: Sendable {
    let submitter: Int
    let index: Int
  }
  private struct State {
    var entries: [Entry] = []
    var running = 0
    var maximumRunning = 0
  }
  private let state = Locked(State())

  var entries: [Entry] { state.withLock { $0.entries } }
  var maximumRunning: Int { state.withLock { $0.maximumRunning } }

  func enter() {
    state.withLock { state in
      state.running += 1
      state.maximumRunning = max(state.maximumRunning, state.running)
    }
  }

  func leave() { state.withLock { $0.running -= 1 } }

  func append(submitter: Int, index: Int) {
    state.withLock { $0.entries.append(Entry(submitter: submitter, index: index)) }
  }
}
