// swift-tools-version: 6.1
import PackageDescription

// The journal's benchmarks, a package of their own so that the service never depends on the
// benchmark harness. Run them with `Benchmarks/run` (or, from this folder,
// `swift package --allow-writing-to-package-directory benchmark --target JournalAppend`).
let package = Package(
    name: "hooklog-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "hooklog", path: ".."),
        // Only the malloc interposer: the default traits pull a package that is not available offline.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // Synced append throughput of the journal beside a raw loop of mdb_put (the LMDB ceiling).
        .executableTarget(
            name: "JournalAppend",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HooklogJournal", package: "hooklog"),
                .product(name: "CLMDB", package: "hooklog"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "JournalAppend",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Successful deliveries/s to a loopback receiver, and resident memory with a million
        // deliveries waiting in the due index (run by Tools/bench-delivery beside wrk).
        .executableTarget(
            name: "DeliveryLoad",
            dependencies: [
                .product(name: "HooklogCore", package: "hooklog"),
                .product(name: "HooklogJournal", package: "hooklog"),
                .product(name: "HooklogDelivery", package: "hooklog"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "DeliveryLoad",
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
    ]
)
