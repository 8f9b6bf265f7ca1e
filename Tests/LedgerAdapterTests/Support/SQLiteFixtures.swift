import LedgerSQLite

/// Opens a store on a fresh temporary file, runs `body`, closes the store and deletes the files.
func withSQLiteStore<Value>(
  configuration: SQLiteLedgerStore.Configuration = .init(),
  _ body: (SQLiteLedgerStore, TemporaryDirectory) async throws -> Value
) async throws -> Value {
  let directory = try TemporaryDirectory()
  defer { directory.remove() }
  let store = try await SQLiteLedgerStore.open(
    path: directory.file("ledger.sqlite"), configuration: configuration)
  do {
    let value = try await body(store, directory)
    await store.close()
    return value
  } catch {
    await store.close()
    throw error
  }
}
