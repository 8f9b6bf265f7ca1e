// courier-token: makes keys and development tokens for Courier's bearer-token authentication,
// and checks tokens. See docs/AUTH.md.
import CourierAuth

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

let usage = """
  OVERVIEW: Makes keys and access tokens for Courier servers (docs/AUTH.md).

  USAGE:
    courier-token keygen --id <key-id>
        Prints a new key line '<key-id> <secret>' for a key file (32 random bytes).
    courier-token mint --keys <file> --subject <name> --scope <scope> ... [--key-id <id>] [--ttl <duration>]
        Prints a token for <name> with the scopes given, signed with the key <id> of the key
        file (default: its last key), valid for <duration> (e.g. 90s, 30m, 12h, 7d; default 1h).
    courier-token verify --keys <file> <token>
        Checks a token against the key file; prints its claims, or why it is not valid (exit 1).

  EXIT STATUS: 0 success, 1 an invalid token or unusable key file, 64 a usage error.
  """

/// A usage error: printed with a hint, exit 64.
struct UsageError: Error {
  let message: String
  init(_ message: String) { self.message = message }
}

func printError(_ message: String) {
  var bytes = Array((message + "\n").utf8)
  _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// `--name value` options and positional arguments; repeated options keep every value.
struct Arguments {
  var options: [String: [String]] = [:]
  var positional: [String] = []

  init(_ arguments: ArraySlice<String>, allowed: Set<String>) throws(UsageError) {
    var rest = arguments
    while let argument = rest.popFirst() {
      guard argument.hasPrefix("--") else {
        positional.append(argument)
        continue
      }
      guard allowed.contains(argument) else { throw UsageError("Unknown option '\(argument)'") }
      guard let value = rest.popFirst() else { throw UsageError("Missing value for '\(argument)'") }
      options[argument, default: []].append(value)
    }
  }

  func single(_ name: String) throws(UsageError) -> String? {
    guard let values = options[name] else { return nil }
    guard values.count == 1 else { throw UsageError("'\(name)' given more than once") }
    return values[0]
  }

  func required(_ name: String) throws(UsageError) -> String {
    guard let value = try single(name) else { throw UsageError("Missing '\(name)'") }
    return value
  }
}

/// `90s`, `30m`, `12h`, `7d` (or a bare number of seconds) as a duration.
func parseDuration(_ text: String) throws(UsageError) -> Duration {
  let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
  var digits = Substring(text)
  var unit: Int64 = 1
  if let last = text.last, let multiplier = units[last] {
    digits = digits.dropLast()
    unit = multiplier
  }
  guard let count = Int64(digits), count > 0, count <= TokenSigner.lifetimeSecondsMax / unit else {
    throw UsageError("Invalid duration '\(text)': use e.g. 90s, 30m, 12h or 7d, at most 366d")
  }
  return .seconds(count * unit)
}

func keygen(_ arguments: Arguments) throws -> Int32 {
  let key = try TokenKey.generate(id: try arguments.required("--id"))
  print(key.keyFileLine)
  return 0
}

func mint(_ arguments: Arguments) throws -> Int32 {
  let ring = try TokenKeyRing.load(path: try arguments.required("--keys"))
  let key: TokenKey
  if let id = try arguments.single("--key-id") {
    guard let named = ring.key(id: id) else { throw UsageError("The key file has no key '\(id)'") }
    key = named
  } else {
    key = ring.signingKey
  }
  guard let scopes = arguments.options["--scope"] else { throw UsageError("Missing '--scope' (give one or more)") }
  let lifetime = try parseDuration(try arguments.single("--ttl") ?? "1h")
  print(try TokenSigner(key: key).mint(subject: try arguments.required("--subject"), scopes: scopes, lifetime: lifetime))
  return 0
}

func verify(_ arguments: Arguments) throws -> Int32 {
  let ring = try TokenKeyRing.load(path: try arguments.required("--keys"))
  guard arguments.positional.count == 1 else { throw UsageError("Give exactly one token") }
  do {
    let token = try TokenVerifier(keys: ring).verify(arguments.positional[0])
    print("valid: subject \(token.subject), scopes \(token.scopes.joined(separator: " ")), key \(token.keyID), "
      + "expires in \(token.expiresAt - WallClock.seconds()) s")
    return 0
  } catch {
    print("invalid: \(error)")
    return 1
  }
}

func run(_ arguments: [String]) -> Int32 {
  guard let command = arguments.first else {
    printError("Error: Missing command\n\(usage)")
    return 64
  }
  if command == "-h" || command == "--help" {
    print(usage)
    return 0
  }
  do {
    switch command {
    case "keygen":
      return try keygen(Arguments(arguments.dropFirst(), allowed: ["--id"]))
    case "mint":
      return try mint(Arguments(arguments.dropFirst(), allowed: ["--keys", "--key-id", "--subject", "--scope", "--ttl"]))
    case "verify":
      return try verify(Arguments(arguments.dropFirst(), allowed: ["--keys"]))
    default:
      throw UsageError("Unknown command '\(command)'")
    }
  } catch let error as UsageError {
    printError("Error: \(error.message)\nSee 'courier-token --help'.")
    return 64
  } catch {
    printError("Error: \(error)")
    return 1
  }
}

exit(run(Array(CommandLine.arguments.dropFirst())))
