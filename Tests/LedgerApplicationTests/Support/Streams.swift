@testable import LedgerApplication

/// The first `count` elements of `stream`, or `TimedOut` after `timeoutMilliseconds`.
func collect<Element: Sendable>(
  _ count: Int, from stream: AsyncStream<Element>, timeoutMilliseconds: Int = 5_000
) async throws -> [Element] {
  try await withThrowingTaskGroup(of: [Element]?.self) { group in
    group.addTask {
      var items: [Element] = []
      guard count > 0 else { return items }
      for await item in stream {
        items.append(item)
        if items.count == count { break }
      }
      return items
    }
    group.addTask {
      try await Task.sleep(for: .milliseconds(timeoutMilliseconds))
      return nil
    }
    defer { group.cancelAll() }
    guard let first = try await group.next(), let items = first else {
      throw TimedOut(what: "\(count) elements")
    }
    guard items.count == count else { throw TimedOut(what: "\(count) elements; the stream ended after \(items.count)") }
    return items
  }
}

/// A one-way door for async code: `wait()` suspends until `open()`.
final class Latch: Sendable {
  private let state = Locked<(isOpen: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

  func open() {
    let waiting = state.withLock { state in
      state.isOpen = true
      defer { state.waiting = [] }
      return state.waiting
    }
    for continuation in waiting { continuation.resume() }
  }

  func wait() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let passNow = state.withLock { state in
        if state.isOpen { return true }
        state.waiting.append(continuation)
        return false
      }
      if passNow { continuation.resume() }
    }
  }
}
