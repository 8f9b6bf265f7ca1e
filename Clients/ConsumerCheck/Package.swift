// swift-tools-version: 6.0
// A package outside the main one that depends on it by path, the way another service would,
// and imports only LedgerClient: proof that the SDK builds and works without server code.
// scripts/check-consumer builds it and runs it against a live ledger-server.
import PackageDescription

let package = Package(
  name: "ConsumerCheck",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "Courier", path: "../.."),
  ],
  targets: [
    .executableTarget(
      name: "ledger-consumer-check",
      dependencies: [.product(name: "LedgerClient", package: "Courier")]),
  ],
  swiftLanguageModes: [.v6]
)
