import LedgerApplication
import LedgerInMemory
import LedgerSQLite
import Testing

/// The adapters that must pass the repository contract.
enum AdapterKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
  /// `LedgerInMemory`: copy-and-swap transactions in memory.
  case inMemory
  /// `LedgerSQLite` on a fresh temporary database file.
  case sqlite

  var testDescription: String { rawValue }

  /// Runs `body` with a fresh, empty store of this kind, and disposes of it afterwards.
  func withUnitOfWork<Value>(_ body: (any UnitOfWork) async throws -> Value) async throws -> Value {
    switch self {
    case .inMemory:
      return try await body(InMemoryLedgerStore())
    case .sqlite:
      return try await withSQLiteStore { store, _ in try await body(store) }
    }
  }
}
