// Helpers shared by the libFuzzer targets in Tests/Fuzz (built by scripts/fuzz, not SwiftPM).

import CourierWire

#if canImport(Glibc)
  import Glibc
#endif

/// Reports a broken property and stops the process, so libFuzzer saves the input as a crash.
///
/// libFuzzer treats the trap as a deadly signal; the message names what broke and is printed
/// before it (with `SWIFT_BACKTRACE=enable=no`, as scripts/fuzz sets, nothing else runs).
public func fuzzFailure(_ message: @autoclosure () -> String) -> Never {
  fatalError("fuzz property failed: \(message())")
}

/// Traps with `message` unless `condition` holds.
@inline(__always)
public func fuzzRequire(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fuzzFailure(message()) }
}

/// The bytes libFuzzer hands to `LLVMFuzzerTestOneInput`, as a buffer (empty when `count` is 0,
/// whatever the pointer).
public func fuzzInput(_ start: UnsafeRawPointer?, _ count: Int) -> UnsafeRawBufferPointer {
  guard let start, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
  return UnsafeRawBufferPointer(start: start, count: count)
}

/// Bytes as lowercase hex pairs, for failure messages.
public func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
  let digits = Array("0123456789abcdef".utf8)
  var text: [UInt8] = []
  for byte in bytes {
    if !text.isEmpty { text.append(0x20) }
    text.append(digits[Int(byte >> 4)])
    text.append(digits[Int(byte & 0x0F)])
  }
  return String(decoding: text, as: UTF8.self)
}

/// SplitMix64: a tiny deterministic generator, seeded from the input so that every run of an
/// input makes the same choices (a crash must replay).
public struct SplitMix64: RandomNumberGenerator {
  public var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}

/// The round-trip property every generated message must have.
///
/// If `bytes` decode as `M`, then: the encoding of the decoded value has the size the size
/// pass predicts; it decodes again; the second value equals the first; and encoding the second
/// value gives the same bytes (encoding is a fixed point after one decode). The two decoding
/// entry points (borrowed memory and array) and both encoding entry points agree, and merging
/// into an empty value is decoding. Bytes that do not decode fail the same way through both
/// entry points. Returns whether `bytes` decoded.
///
/// `==` is not enough on its own: a value holding a NaN equals nothing, not even an independent
/// decode of the same bytes (and an array compared with itself short-cuts on identity, so
/// `value == value` cannot tell), and `-0.0 == 0.0`. So the values are also compared exactly
/// (`ExactValue`), and for those with a NaN only exactly.
@discardableResult
public func checkRoundTrip<M: Message>(_ type: M.Type, _ bytes: UnsafeRawBufferPointer) -> Bool {
  let name = M.protoMessageName
  let first: M
  do {
    first = try M(serializedBytes: bytes)
  } catch {
    do {
      _ = try M(serializedBytes: [UInt8](bytes))
      fuzzFailure("\(name): borrowed bytes failed (\(error)) but the same array decoded\ninput: \(hex(bytes))")
    } catch let arrayError {
      fuzzRequire(
        arrayError == error,
        "\(name): borrowed bytes failed with \(error), the array with \(arrayError)\ninput: \(hex(bytes))")
    }
    return false
  }
  let viaArray: M
  do {
    viaArray = try M(serializedBytes: [UInt8](bytes))
  } catch {
    fuzzFailure("\(name): borrowed bytes decoded but the same array failed: \(error)\ninput: \(hex(bytes))")
  }
  let encoded = first.serializedBytes()
  fuzzRequire(
    encoded.count == first.serializedSize,
    "\(name): encoded \(encoded.count) bytes, size pass said \(first.serializedSize)\ninput: \(hex(bytes))")
  fuzzRequire(
    viaArray.serializedBytes() == encoded,
    "\(name): the two decoding entry points gave values that encode differently\ninput: \(hex(bytes))")
  var appended: [UInt8] = [0xA5]
  first.serialize(appendingTo: &appended)
  fuzzRequire(
    appended.dropFirst().elementsEqual(encoded),
    "\(name): serialize(appendingTo:) and serializedBytes() differ\ninput: \(hex(bytes))")
  let second: M
  do {
    second = try M(serializedBytes: encoded)
  } catch {
    fuzzFailure("\(name): the re-encoding does not decode: \(error)\ninput: \(hex(bytes))\nencoded: \(hex(encoded))")
  }
  let reencoded = second.serializedBytes()
  fuzzRequire(
    reencoded == encoded,
    "\(name): encoding is not stable\ninput: \(hex(bytes))\nencoded: \(hex(encoded))\nthen: \(hex(reencoded))")
  var merged = M()
  do {
    try merged.merge(serializedBytes: encoded)
  } catch {
    fuzzFailure("\(name): merging the re-encoding into an empty value failed: \(error)\nencoded: \(hex(encoded))")
  }
  fuzzRequire(merged.serializedBytes() == encoded, "\(name): merge into an empty value != decode\nencoded: \(hex(encoded))")
  let holdsNaN = viaArray != first
  fuzzRequire(
    holdsNaN || (second == first && merged == first),
    "\(name): decode(encode(value)) != value\ninput: \(hex(bytes))\nencoded: \(hex(encoded))\nfirst: \(first)\nsecond: \(second)")
  let exactFirst = ExactValue(first)
  fuzzRequire(
    ExactValue(second) == exactFirst && ExactValue(viaArray) == exactFirst,
    "\(name): a field changed bits on the round trip (a float's sign or NaN payload?)\ninput: \(hex(bytes))\nencoded: \(hex(encoded))\nfirst: \(exactFirst)\nsecond: \(ExactValue(second))")
  return true
}

/// A value's contents, compared exactly: floating-point fields by bit pattern (so -0.0 differs
/// from 0.0 and a NaN equals the same NaN), dictionaries whatever their iteration order, optionals
/// by presence. Built with reflection, so it needs no code per message type.
public struct ExactValue: Equatable, CustomStringConvertible {
  public let description: String

  public init(_ value: Any) {
    var text = ""
    Self.describe(value, into: &text)
    description = text
  }

  private static func describe(_ value: Any, into text: inout String) {
    switch value {
    case let number as Double: text += "d\(String(number.bitPattern, radix: 16))"
    case let number as Float: text += "f\(String(number.bitPattern, radix: 16))"
    case let numbers as [Double]: text += "[d" + numbers.map { String($0.bitPattern, radix: 16) }.joined(separator: ",") + "]"
    case let numbers as [Float]: text += "[f" + numbers.map { String($0.bitPattern, radix: 16) }.joined(separator: ",") + "]"
    case let bytes as [UInt8]: text += "<\(hex(bytes))>"
    case let string as String: text += "\(string.utf8.count)\"\(string)\""
    case let numbers as [Int32]: text += "\(numbers)"
    case let numbers as [Int64]: text += "\(numbers)"
    case let numbers as [UInt32]: text += "\(numbers)"
    case let numbers as [UInt64]: text += "\(numbers)"
    case let flags as [Bool]: text += "\(flags)"
    default:
      let mirror = Mirror(reflecting: value)
      switch mirror.displayStyle {
      case .dictionary?:
        let entries = mirror.children.map { entry -> String in
          var pair = ""
          describe(entry.value, into: &pair)
          return pair
        }
        text += "{" + entries.sorted().joined(separator: ",") + "}"
      case nil:
        text += String(reflecting: value)
      case .enum? where mirror.children.isEmpty:
        text += String(describing: value)
      default:
        text += "("
        for child in mirror.children {
          text += (child.label ?? "") + ":"
          describe(child.value, into: &text)
          text += ","
        }
        text += ")"
      }
    }
  }
}

/// A message type behind an existential, so a target can pick one from a table by input byte.
public struct MessageKind: Sendable {
  /// The fully qualified protobuf name.
  public let name: String
  private let roundTrip: @Sendable (UnsafeRawBufferPointer) -> Bool

  public init<M: Message>(_ type: M.Type) {
    name = M.protoMessageName
    roundTrip = { bytes in FuzzSupport.checkRoundTrip(M.self, bytes) }
  }

  /// Runs `checkRoundTrip` for this type; returns whether the bytes decoded.
  @discardableResult
  public func checkRoundTrip(_ bytes: UnsafeRawBufferPointer) -> Bool { roundTrip(bytes) }
}

/// The round-trip target shared by `ledger-messages` and `interop-messages`: the first input
/// byte picks a type from `kinds` (modulo their count), the rest is the encoding to check.
public func runMessageTarget(_ kinds: [MessageKind], _ input: UnsafeRawBufferPointer) {
  guard let selector = input.first else { return }
  let kind = kinds[Int(selector) % kinds.count]
  kind.checkRoundTrip(UnsafeRawBufferPointer(rebasing: input.dropFirst()))
}

// MARK: - Seeds

/// The environment variable that turns a fuzz target into its own seed generator: with it set
/// to a directory, `LLVMFuzzerInitialize` writes the target's seeds there and exits
/// (scripts/fuzz --remake-corpus). The seeds live next to the input format they must follow.
public let seedDirectoryVariable = "COURIER_FUZZ_WRITE_SEEDS"

/// One seed input: a file name (unique within the target) and its bytes.
public struct Seed {
  public var name: String
  public var bytes: [UInt8]

  public init(_ name: String, _ bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }
}

/// Writes `seeds()` to the directory named by `COURIER_FUZZ_WRITE_SEEDS` and exits, when that
/// variable is set; returns otherwise. Call it from `LLVMFuzzerInitialize`.
public func writeSeedsIfRequested(_ seeds: () -> [Seed]) {
  guard let variable = getenv(seedDirectoryVariable), variable.pointee != 0 else { return }
  writeSeeds(seeds(), to: String(cString: variable))
  // Exits with nothing but globals alive, so LeakSanitizer's exit check finds no leak.
  exit(0)
}

private func writeSeeds(_ seeds: [Seed], to directory: String) {
  var names = Set<String>()
  for seed in seeds {
    precondition(names.insert(seed.name).inserted, "two seeds named \(seed.name)")
    precondition(
      seed.name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") },
      "seed name \(seed.name) is not a plain file name")
    let path = directory + "/" + seed.name
    guard let file = fopen(path, "wb") else { fatalError("cannot create \(path)") }
    let written = seed.bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    guard written == seed.bytes.count, fclose(file) == 0 else { fatalError("cannot write \(path)") }
  }
  print("wrote \(names.count) seeds to \(directory)")
}
