#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import CourierCore
import Dispatch
public import LedgerRPC

/// Writes log lines to standard error from its own serial queue, never from the caller's
/// thread: a slow or full stderr pipe must not stall call handlers (and the write is a
/// blocking system call, which does not belong on Swift's cooperative pool).
///
/// Lines are appended to a buffer under a lock; the first line into an empty buffer schedules
/// one flush on the queue, and every line added meanwhile leaves with it in one `write`. The
/// buffer is bounded by ``pendingBytesMax``: past it, lines are dropped and counted, and the
/// count is logged with the next flush, so memory stays bounded when stderr stops draining.
public final class StandardErrorLogSink: LogSink {
  private struct State {
    var pending: [UInt8] = []
    var isFlushScheduled = false
    var droppedLines = 0
  }

  /// The most bytes waiting to be written.
  public let pendingBytesMax: Int
  private let state = LockedValue(State())
  private let queue = DispatchQueue(label: "ledger.log.stderr")

  /// A sink holding at most `pendingBytesMax` bytes of unwritten lines. Default 4 MiB.
  public init(pendingBytesMax: Int = 4 * 1_024 * 1_024) {
    precondition(pendingBytesMax >= 1_024, "pendingBytesMax \(pendingBytesMax) < 1024")
    self.pendingBytesMax = pendingBytesMax
  }

  /// Queues `line` and a newline.
  public func write(line: String) {
    let scheduleFlush = state.withLock { state -> Bool in
      guard state.pending.count + line.utf8.count + 1 <= pendingBytesMax else {
        state.droppedLines += 1
        return false
      }
      state.pending.append(contentsOf: line.utf8)
      state.pending.append(UInt8(ascii: "\n"))
      defer { state.isFlushScheduled = true }
      return !state.isFlushScheduled
    }
    if scheduleFlush { queue.async { self.flushPending() } }
  }

  /// Returns once every line queued before the call has been written.
  public func flush() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      queue.async {
        self.flushPending()
        continuation.resume()
      }
    }
  }

  /// Runs on `queue` only.
  private func flushPending() {
    let (bytes, dropped) = state.withLock { state -> ([UInt8], Int) in
      defer {
        state.pending.removeAll(keepingCapacity: true)
        state.droppedLines = 0
        state.isFlushScheduled = false
      }
      return (state.pending, state.droppedLines)
    }
    if dropped > 0 {
      Self.writeAll(Array("{\"level\":\"warning\",\"msg\":\"log lines dropped\",\"count\":\(dropped)}\n".utf8))
    }
    Self.writeAll(bytes)
  }

  /// Writes every byte, retrying after EINTR and partial writes; gives up on other errors
  /// (there is nowhere left to report a failing stderr).
  private static func writeAll(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = Glibc.write(2, base + offset, buffer.count - offset)
        if written > 0 {
          offset += written
        } else if written < 0 && errno == EINTR {
          continue
        } else {
          return
        }
      }
    }
  }
}
