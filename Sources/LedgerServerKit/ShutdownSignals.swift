#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
import Dispatch

/// SIGINT and SIGTERM as an async sequence: the bridge from Dispatch signal sources to async
/// code, in this one small place.
///
/// Creating it replaces the signals' default action (terminate at once) with "ignore", so
/// from then on they only arrive here; create it before starting anything that must be
/// stopped gracefully, so a signal during startup is not lost either.
public final class ShutdownSignals: Sendable {
  /// The signals, by number, in arrival order.
  public let signals: AsyncStream<Int32>
  private let sources: [SignalSourceHandle]

  /// Starts listening for `numbers` (default SIGINT and SIGTERM).
  public init(_ numbers: [Int32] = [SIGINT, SIGTERM]) {
    let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
    let queue = DispatchQueue(label: "ledger.signals")
    self.signals = signals
    sources = numbers.map { number in
      // Ignore first, then watch: Dispatch sees a signal whose action is "ignore", and the
      // process no longer dies of it.
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { continuation.yield(number) }
      source.resume()
      return SignalSourceHandle(source: source)
    }
  }

  /// Waits for the next signal; nil once ``cancel()`` has been called.
  public func next() async -> Int32? {
    var iterator = signals.makeAsyncIterator()
    return await iterator.next()
  }

  /// Stops listening (the default actions stay replaced by "ignore").
  public func cancel() {
    for handle in sources { handle.source.cancel() }
  }

  /// A name for logs, e.g. `SIGTERM`.
  public static func name(of number: Int32) -> String {
    switch number {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    default: "signal \(number)"
    }
  }
}

/// A Dispatch signal source that can be stored in a `Sendable` class.
///
/// `@unchecked Sendable` is sound: Dispatch sources are thread-safe objects whose methods
/// (`cancel`, `resume`) may be called from any thread; the handle adds no state of its own.
private struct SignalSourceHandle: @unchecked Sendable {
  let source: any DispatchSourceSignal
}
