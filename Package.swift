// swift-tools-version: 6.0
// Courier: a gRPC-style RPC framework in Swift, and the Ledger service built on it.
// No package dependencies: the stack stands on the Swift toolchain and system C libraries alone.
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "Courier",
  products: [
    .library(name: "CourierWire", targets: ["CourierWire"]),
    .library(name: "CourierCore", targets: ["CourierCore"]),
    .library(name: "CourierSchema", targets: ["CourierSchema"]),
    .library(name: "CourierCodeGen", targets: ["CourierCodeGen"]),
    .library(name: "CourierTransport", targets: ["CourierTransport"]),
    .library(name: "CourierAuth", targets: ["CourierAuth"]),
    .executable(name: "courier-gen", targets: ["courier-gen"]),
    .executable(name: "courier-token", targets: ["courier-token"]),
    .executable(name: "courier-bench", targets: ["courier-bench"]),
    .library(name: "LedgerAPI", targets: ["LedgerAPI"]),
    .executable(name: "ledger-server", targets: ["ledger-server"]),
    .library(name: "LedgerClient", targets: ["LedgerClient"]),
    .executable(name: "ledger-load", targets: ["ledger-load"]),
    .executable(name: "ledger-bench", targets: ["ledger-bench"]),
    .executable(name: "ledger-soak", targets: ["ledger-soak"]),
  ],
  targets: [
    // The protobuf-compatible binary codec runtime that generated messages call.
    .target(name: "CourierWire", swiftSettings: strict),
    // proto3 lexer, parser and checker: source text -> checked schema model.
    .target(name: "CourierSchema", swiftSettings: strict),
    // Checked schema model -> Swift source text.
    .target(name: "CourierCodeGen", dependencies: ["CourierSchema"], swiftSettings: strict),
    // Transport-agnostic RPC vocabulary: status codes, errors, metadata, descriptors, router.
    .target(name: "CourierCore", dependencies: ["CourierWire"], swiftSettings: strict),
    // Framed, multiplexed RPC over TCP: POSIX sockets, an epoll loop for readiness, Dispatch queues.
    .target(
      name: "CourierTransport", dependencies: ["CourierCore", "CourierWire", "CEpoll"], swiftSettings: strict),
    // Linux's epoll and pthread_setname_np (libc headers Swift's Glibc module leaves out), for
    // CourierTransport's EventLoop.
    .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
    // OpenSSL's libcrypto (HMAC-SHA256, constant-time compare, secure random bytes).
    .systemLibrary(
      name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    // Bearer-token authentication and per-method authorization for Courier servers.
    .target(
      name: "CourierAuth", dependencies: ["CourierCore", "CourierWire", "CCrypto"], swiftSettings: strict),
    .executableTarget(name: "courier-token", dependencies: ["CourierAuth"], swiftSettings: strict),
    .executableTarget(
      name: "courier-gen", dependencies: ["CourierSchema", "CourierCodeGen"], swiftSettings: strict),

    // Benchmarks: the peer workload's messages (generated from Schemas/bench) and the driver.
    .target(
      name: "CourierBenchAPI", dependencies: ["CourierWire", "CourierCore"], swiftSettings: strict),
    .executableTarget(
      name: "courier-bench",
      dependencies: ["CourierWire", "CourierCore", "CourierTransport", "CourierBenchAPI", "CourierAuth"],
      swiftSettings: strict),

    // Ledger: one bounded context in hexagonal layers; see docs/ARCHITECTURE.md.
    .target(name: "LedgerDomain", swiftSettings: strict),
    .target(name: "LedgerApplication", dependencies: ["LedgerDomain"], swiftSettings: strict),
    .target(name: "LedgerInMemory", dependencies: ["LedgerApplication", "LedgerDomain"], swiftSettings: strict),
    .systemLibrary(
      name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .target(
      name: "LedgerSQLite", dependencies: ["LedgerApplication", "LedgerDomain", "CSQLite"], swiftSettings: strict),
    // The Ledger API as generated code (Schemas/ledger/v1, Schemas/grpc/health/v1; scripts/regenerate).
    .target(name: "LedgerAPI", dependencies: ["CourierWire", "CourierCore"], swiftSettings: strict),
    // Controllers, the error table, health, logging: the RPC edge of the service.
    .target(
      name: "LedgerRPC", dependencies: ["LedgerApplication", "LedgerDomain", "CourierCore", "LedgerAPI"],
      swiftSettings: strict),
    // The composition: configuration and the wiring of every adapter, shared by the server
    // executable, the benchmark and the end-to-end tests so all three run the same stack.
    .target(
      name: "LedgerServerKit",
      dependencies: [
        "LedgerRPC", "LedgerAPI", "LedgerApplication", "LedgerDomain", "LedgerSQLite", "LedgerInMemory",
        "CourierCore", "CourierTransport", "CourierAuth",
      ],
      swiftSettings: strict),
    .executableTarget(name: "ledger-server", dependencies: ["LedgerServerKit"], swiftSettings: strict),
    .executableTarget(
      name: "ledger-bench",
      dependencies: [
        "LedgerServerKit", "LedgerAPI", "LedgerApplication", "LedgerDomain", "LedgerSQLite", "CourierAuth",
        "CourierCore", "CourierTransport", "LedgerClient",
      ],
      swiftSettings: strict),

    // The client SDK other services import (no server code), and the load-testing harness.
    .target(
      name: "LedgerClient", dependencies: ["LedgerAPI", "CourierCore", "CourierTransport"],
      path: "Clients/LedgerClient", swiftSettings: strict),
    .target(name: "LedgerLoadKit", dependencies: ["LedgerClient"], swiftSettings: strict),
    .executableTarget(name: "ledger-load", dependencies: ["LedgerLoadKit"], swiftSettings: strict),
    // The soak: the real ledger-server as a child process under legitimate load and abusive
    // raw-socket clients, measured from /proc (docs/SOAK.md). No server target is linked.
    .target(name: "LedgerSoakKit", dependencies: ["LedgerLoadKit", "LedgerClient", "CourierAuth"], swiftSettings: strict),
    .executableTarget(name: "ledger-soak", dependencies: ["LedgerSoakKit"], swiftSettings: strict),

    // Test-only generated code from Tests/Schemas.
    .target(
      name: "CourierTestAPI", dependencies: ["CourierWire", "CourierCore"],
      path: "Tests/CourierTestAPI", swiftSettings: strict),

    // Helpers shared by test targets (running subprocesses off the cooperative pool).
    .target(name: "CourierTestSupport", path: "Tests/CourierTestSupport", swiftSettings: strict),
    .testTarget(name: "LedgerDomainTests", dependencies: ["LedgerDomain"], swiftSettings: strict),
    .testTarget(
      name: "LedgerApplicationTests", dependencies: ["LedgerApplication", "LedgerDomain", "LedgerInMemory"],
      swiftSettings: strict),
    .testTarget(
      name: "LedgerAdapterTests",
      dependencies: ["LedgerApplication", "LedgerDomain", "LedgerInMemory", "LedgerSQLite"], swiftSettings: strict),
    .testTarget(
      name: "LedgerEndToEndTests",
      dependencies: [
        "LedgerServerKit", "LedgerRPC", "LedgerAPI", "LedgerApplication", "LedgerDomain", "CourierCore",
        "CourierTransport", "CourierAuth",
      ],
      swiftSettings: strict),
    .testTarget(
      name: "LedgerRPCTests",
      dependencies: ["LedgerRPC", "LedgerServerKit", "LedgerSQLite", "LedgerAPI", "LedgerDomain", "CourierCore"],
      swiftSettings: strict),
    .testTarget(
      name: "LedgerClientTests",
      dependencies: ["LedgerClient", "LedgerServerKit", "LedgerRPC", "CourierTestSupport"], swiftSettings: strict),
    .testTarget(
      name: "LedgerLoadTests",
      dependencies: ["LedgerLoadKit", "LedgerClient", "LedgerServerKit", "LedgerRPC", "CourierTestSupport", "CourierAuth"],
      swiftSettings: strict),
    .testTarget(
      name: "LedgerSoakTests", dependencies: ["LedgerSoakKit", "LedgerLoadKit", "LedgerClient"], swiftSettings: strict),
    .testTarget(name: "CourierWireTests", dependencies: ["CourierWire"], swiftSettings: strict),
    .testTarget(
      name: "CourierAuthTests", dependencies: ["CourierAuth", "CourierCore"], swiftSettings: strict),
    .testTarget(
      name: "CourierSchemaTests", dependencies: ["CourierSchema", "CourierTestSupport"], swiftSettings: strict),
    .testTarget(
      name: "CourierCodeGenTests", dependencies: ["CourierCodeGen", "CourierSchema", "CourierTestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "CourierTransportTests",
      dependencies: ["CourierTransport", "CourierCore", "CourierWire", "CourierBenchAPI", "CourierTestAPI"],
      swiftSettings: strict),
    .testTarget(
      name: "CourierGeneratedTests",
      dependencies: ["CourierWire", "CourierCore", "CourierTestAPI", "CourierBenchAPI", "CourierTestSupport"],
      swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
