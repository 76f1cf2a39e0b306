// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

func daemon(_ name: String, folder: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["TradewindCore", "TradewindData", "TradewindWire", "TradewindBus", "TradewindStore", "TradewindDaemonKit", "TradewindVenues"],
        path: "Services/\(folder)",
        swiftSettings: strict
    )
}

let package = Package(
    name: "tradewind",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tradewind-market-data", targets: ["tradewind-market-data"]),
        .executable(name: "tradewind-signal-bridge", targets: ["tradewind-signal-bridge"]),
        .executable(name: "tradewind-risk-manager", targets: ["tradewind-risk-manager"]),
        .executable(name: "tradewind-execution-engine", targets: ["tradewind-execution-engine"]),
        .executable(name: "tradewind-position-tracker", targets: ["tradewind-position-tracker"]),
        .executable(name: "tradewind", targets: ["tradewind"]),
        .library(name: "TradewindCore", targets: ["TradewindCore"]),
        .library(name: "TradewindData", targets: ["TradewindData"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CZMQ",
            path: "Shared/CZMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            path: "Shared/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "TradewindCZlib",
            path: "Shared/TradewindCZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "TradewindCSys",
            path: "Shared/TradewindCSys"
        ),
        .target(
            name: "TradewindStore",
            dependencies: [
                "CLibPQ",
                "TradewindCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/TradewindStore",
            swiftSettings: strict
        ),
        .target(
            name: "TradewindCore",
            path: "Shared/TradewindCore",
            swiftSettings: strict
        ),
        .target(
            name: "TradewindData",
            dependencies: [
                "TradewindCZlib",
                "TradewindCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Shared/TradewindData",
            swiftSettings: strict
        ),
        .target(
            name: "TradewindWire",
            dependencies: [
                "TradewindCore",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Shared/TradewindWire",
            swiftSettings: strict
        ),
        .target(
            name: "TradewindVenues",
            dependencies: [
                "TradewindCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "WSClient", package: "swift-websocket"),
            ],
            path: "Shared/TradewindVenues",
            swiftSettings: strict
        ),
        .target(
            name: "TradewindBus",
            dependencies: [
                "CZMQ",
                "TradewindWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Shared/TradewindBus",
            swiftSettings: strict
        ),
        .target(
            name: "TradewindDaemonKit",
            dependencies: [
                "TradewindCSys",
                "TradewindCore",
                "TradewindData",
                "TradewindWire",
                "TradewindBus",
                "TradewindStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Shared/TradewindDaemonKit",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tradewind",
            dependencies: [
                "TradewindCore",
                "TradewindData",
                "TradewindWire",
                "TradewindStore",
                "TradewindDaemonKit",
                "TradewindBus",
                "TradewindVenues",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Clients/CLI",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tradewind-bench-store",
            dependencies: ["TradewindStore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/StoreBench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tradewind-bench-core",
            dependencies: ["TradewindCore"],
            path: "Benchmarks/CoreBench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tradewind-bench-feed",
            dependencies: ["TradewindCore", "TradewindVenues"],
            path: "Benchmarks/FeedBench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tradewind-bench-data",
            dependencies: ["TradewindData", "TradewindCore", .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/DataBench",
            swiftSettings: strict
        ),
        daemon("tradewind-market-data", folder: "MarketData"),
        daemon("tradewind-signal-bridge", folder: "SignalBridge"),
        daemon("tradewind-risk-manager", folder: "RiskManager"),
        daemon("tradewind-execution-engine", folder: "ExecutionEngine"),
        daemon("tradewind-position-tracker", folder: "PositionTracker"),
        .testTarget(
            name: "TradewindCoreTests",
            dependencies: ["TradewindCore"],
            path: "Tests/TradewindCoreTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindDataTests",
            dependencies: ["TradewindData", "TradewindCore"],
            path: "Tests/TradewindDataTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindWireTests",
            dependencies: ["TradewindWire", "TradewindCore"],
            path: "Tests/TradewindWireTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindBusTests",
            dependencies: ["TradewindBus", "TradewindWire", "TradewindCore"],
            path: "Tests/TradewindBusTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindStoreTests",
            dependencies: ["TradewindStore"],
            path: "Tests/TradewindStoreTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindVenuesTests",
            dependencies: ["TradewindVenues", "TradewindCore"],
            path: "Tests/TradewindVenuesTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindDaemonKitTests",
            dependencies: ["TradewindDaemonKit", "TradewindData"],
            path: "Tests/TradewindDaemonKitTests",
            swiftSettings: strict
        ),
    ]
)
