/// Writes messages to the other side of a call; `write` suspends while flow control says the
/// peer cannot take more.
public struct RPCWriter<Element: Sendable>: Sendable {
  @usableFromInline let writeElement: @Sendable (Element) async throws -> Void

  /// Creates a writer that hands each element to `write`.
  public init(_ write: @escaping @Sendable (Element) async throws -> Void) {
    self.writeElement = write
  }

  /// Sends one message.
  ///
  /// - Throws: `RPCError` when the call has ended (cancelled, deadline, peer gone).
  @inlinable
  public func write(_ element: Element) async throws {
    try await writeElement(element)
  }

  /// Sends several messages in order.
  @inlinable
  public func write(contentsOf elements: some Sequence<Element>) async throws {
    for element in elements { try await writeElement(element) }
  }

  /// A writer that converts each element before handing it on.
  public func map<Input: Sendable>(_ transform: @escaping @Sendable (Input) throws -> Element) -> RPCWriter<Input> {
    let write = writeElement
    return RPCWriter<Input> { input in try await write(try transform(input)) }
  }
}

/// The messages the other side of a call sends, as an async sequence that ends when the peer
/// half-closes and throws `RPCError` if the call fails.
public struct RPCAsyncSequence<Element: Sendable>: AsyncSequence, Sendable {
  public typealias Failure = any Error

  @usableFromInline let base: any AsyncSequence<Element, any Error> & Sendable

  /// Wraps any sendable async sequence of `Element`.
  public init(wrapping base: some AsyncSequence<Element, any Error> & Sendable) {
    self.base = base
  }

  /// Iterates the messages.
  public struct AsyncIterator: AsyncIteratorProtocol {
    @usableFromInline var base: any AsyncIteratorProtocol<Element, any Error>

    @inlinable
    public mutating func next() async throws -> Element? {
      try await base.next(isolation: nil)
    }

    @inlinable
    public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Element? {
      try await base.next(isolation: actor)
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: base.makeAsyncIterator())
  }

  /// A sequence of the given elements (useful in tests and for replaying a stream).
  public static func elements(_ elements: [Element]) -> RPCAsyncSequence<Element> {
    RPCAsyncSequence(wrapping: ArraySequence(elements: elements))
  }

  /// A sequence whose elements are `transform` applied to this one's.
  public func map<Output: Sendable>(
    _ transform: @escaping @Sendable (Element) throws -> Output
  ) -> RPCAsyncSequence<Output> {
    RPCAsyncSequence<Output>(wrapping: MappedSequence(base: self, transform: transform))
  }
}

struct ArraySequence<Element: Sendable>: AsyncSequence, Sendable {
  typealias Failure = any Error
  let elements: [Element]

  struct AsyncIterator: AsyncIteratorProtocol {
    var index = 0
    let elements: [Element]
    mutating func next() async throws -> Element? {
      guard index < elements.count else { return nil }
      defer { index += 1 }
      return elements[index]
    }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(elements: elements) }
}

struct MappedSequence<Input: Sendable, Element: Sendable>: AsyncSequence, Sendable {
  typealias Failure = any Error
  let base: RPCAsyncSequence<Input>
  let transform: @Sendable (Input) throws -> Element

  struct AsyncIterator: AsyncIteratorProtocol {
    var base: RPCAsyncSequence<Input>.AsyncIterator
    let transform: @Sendable (Input) throws -> Element
    mutating func next() async throws -> Element? {
      guard let input = try await base.next() else { return nil }
      return try transform(input)
    }
  }

  func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: base.makeAsyncIterator(), transform: transform)
  }
}
