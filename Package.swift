// swift-tools-version:6.1
// PakLog Gateway: one daemon between a warehouse and its partners.
// Module map and dependency rules: see README.md ("Layout") and the design card.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]
/// The evaluator and the JSON codec: no dynamic exclusivity checks. Their classes (the evaluator's
/// values and frames) are confined to one evaluation on one thread, and the checks were 6 % of an
/// evaluation in a profile (issue 27). Static checks stay.
let hotPath: [SwiftSetting] = strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "paklog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "paklog", targets: ["paklog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
        // TLS and HTTP/2 on the listener (issue 26); already in the graph through Hummingbird.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
    ],
    targets: [
        // MARK: System libraries (module map + shim only)
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        // AS2 compression (RFC 5402): Debian's OpenSSL has no zlib.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // MARK: Shared modules under the engine
        .target(
            name: "JSON",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: hotPath),
        .target(name: "Codecs", dependencies: ["COpenSSL", "CZlib"], swiftSettings: strict),

        // MARK: The WMS/WES core: only the store and JSON (partners reach it as commands)
        .target(
            name: "Warehouse",
            dependencies: [
                "EventStore", "JSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: strict),

        // MARK: Backbone
        .target(
            name: "StrictYAML",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .target(
            name: "EventStore",
            dependencies: [
                "JSON",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .target(
            name: "Mapping",
            dependencies: [
                "JSON", "Codecs", "StrictYAML", "X12",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: hotPath),
        .target(
            name: "HTTPClient",
            dependencies: [
                "CCurl", "Codecs",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .target(
            name: "Messaging",
            dependencies: [
                "JSON", "Codecs", "EventStore", "Mapping", "HTTPClient", "X12", "X12Exchange",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strict),
        .target(
            name: "Gateway",
            dependencies: [
                "JSON", "Codecs", "Messaging", "EventStore", "Mapping",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP2", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        // What an adapter target implements (source and endpoint kinds) and what the daemon
        // gives it; adapters depend on this, never on each other or on PakLog.
        .target(
            name: "AdapterKit",
            dependencies: [
                "StrictYAML", "Codecs", "EventStore", "Messaging", "HTTPClient", "Gateway",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),

        // MARK: Adapters (one target each; see KindRegistry.builtIn in PakLog)
        .target(
            name: "WebhookAdapter",
            dependencies: [
                "AdapterKit", "JSON", "Codecs", "StrictYAML", "Messaging", "EventStore", "Mapping", "HTTPClient", "Gateway",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),

        .target(
            name: "HTTPPollAdapter",
            dependencies: [
                "AdapterKit", "JSON", "Codecs", "Mapping", "Messaging", "EventStore", "HTTPClient", "StrictYAML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),

        // The core inside the daemon: route-issued commands, the saga's runner, the REST API.
        // EDI X12 (issue 24): streaming parser, envelope validation, document model, serializer.
        .target(name: "X12", dependencies: ["JSON", "Codecs", .product(name: "OrderedCollections", package: "swift-collections")],
                swiftSettings: strict),
        // AS2 (RFC 4130): S/MIME layers through OpenSSL's CMS, compression, MDNs, MICs.
        .target(name: "AS2", dependencies: ["COpenSSL", "Codecs"], swiftSettings: strict),
        // The as2 source and endpoint kinds: partner profiles, the AS2 receiver, MDNs in the log.
        .target(
            name: "AS2Adapter",
            dependencies: [
                "AS2", "AdapterKit", "Codecs", "EventStore", "Gateway", "HTTPClient", "JSON", "Messaging", "StrictYAML", "X12", "X12Exchange",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // SFTP (issue 25): libssh2 sessions on their own queues, safe names, the inbound pick-up.
        .target(
            name: "SFTP",
            dependencies: ["CSSH2", "Codecs", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // The sftp source and endpoint kinds: partner directories polled and written.
        .target(
            name: "SFTPAdapter",
            dependencies: [
                "SFTP", "AdapterKit", "Codecs", "EventStore", "JSON", "Messaging", "StrictYAML", "X12Exchange",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // Per-partner X12 control numbers in the log: durable outbound counters, inbound duplicates.
        .target(name: "X12Exchange", dependencies: ["X12", "Codecs", "EventStore", "JSON"], swiftSettings: strict),
        .target(
            name: "WarehouseService",
            dependencies: [
                "Warehouse", "EventStore", "JSON", "Messaging", "Gateway", "Mapping", "Codecs",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),

        // "Where is it?": business keys of every event (order ids, webhook ids, X12 control
        // numbers, AS2 Message-IDs, tracking numbers, EPCs) → their flows across the log.
        .target(
            name: "BusinessKeys",
            dependencies: [
                "EventStore", "JSON", "X12", "Codecs",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // The operations console at /console: server-rendered pages, sessions, CSRF-checked forms.
        .target(
            name: "Console",
            dependencies: [
                "Gateway", "BusinessKeys", "Messaging", "EventStore", "JSON", "Codecs", "Mapping",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),

        // MARK: The daemon
        .target(
            name: "PakLog",
            dependencies: [
                "JSON", "Codecs", "EventStore", "Mapping", "Messaging", "AdapterKit", "WebhookAdapter", "HTTPPollAdapter", "AS2Adapter", "SFTPAdapter", "Gateway", "HTTPClient", "StrictYAML",
                "Warehouse", "WarehouseService", "X12", "BusinessKeys", "Console",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "paklog",
            dependencies: [
                "PakLog", "EventStore", "Mapping", "JSON", "WebhookAdapter", "HTTPClient", "X12", "AS2Adapter", "AdapterKit", "Messaging",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // MARK: Benchmarks (not tests: `make bench`)
        .executableTarget(
            name: "EventStoreBenchmark",
            dependencies: [
                "EventStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/EventStoreBenchmark",
            swiftSettings: strict),
        .executableTarget(
            name: "HTTPDeliveryBenchmark",
            dependencies: ["HTTPClient"],
            path: "Benchmarks/HTTPDeliveryBenchmark",
            swiftSettings: strict),
        .executableTarget(name: "MappingBenchmark", dependencies: ["Mapping", "JSON"], path: "Benchmarks/MappingBenchmark", swiftSettings: strict),

        .executableTarget(
            name: "MessagingBenchmark",
            dependencies: [
                "Messaging", "EventStore", "Mapping", "JSON", "X12",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/MessagingBenchmark",
            swiftSettings: strict),

        .executableTarget(
            name: "WarehouseBenchmark",
            dependencies: ["Warehouse", "WarehouseService", "EventStore", "JSON", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/WarehouseBenchmark",
            swiftSettings: strict),
        .executableTarget(
            name: "ImportBenchmark",
            dependencies: ["WarehouseService", "Warehouse", "EventStore", "Mapping", "JSON", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/ImportBenchmark",
            swiftSettings: strict),
        .executableTarget(name: "EDIMappingBenchmark", dependencies: ["Mapping", "X12", "JSON"], path: "Benchmarks/EDIMappingBenchmark", swiftSettings: strict),
        .executableTarget(name: "AS2Benchmark", dependencies: ["AS2", "Codecs", "PyAS2Support"], path: "Benchmarks/AS2Benchmark", swiftSettings: strict),
        .executableTarget(name: "X12Benchmark", dependencies: ["X12"], path: "Benchmarks/X12Benchmark", swiftSettings: strict),
        .executableTarget(
            name: "SFTPBenchmark",
            dependencies: ["SFTP", "SSHServerSupport", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/SFTPBenchmark",
            swiftSettings: strict),
        .executableTarget(
            name: "BusinessKeyBenchmark",
            dependencies: ["BusinessKeys", "EventStore", "Messaging", "JSON", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/BusinessKeyBenchmark",
            swiftSettings: strict),
        .executableTarget(name: "WaveOptimizerBenchmark", dependencies: ["Warehouse"], path: "Benchmarks/WaveOptimizerBenchmark", swiftSettings: strict),

        // MARK: Tests
        // Child process of the event store's crash test (IntegrationTests/StoreCrashTests.swift).
        .executableTarget(
            name: "StoreCrashChild",
            dependencies: [
                "EventStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support/StoreCrashChild",
            swiftSettings: strict),
        // A real event store in a temporary directory, for the test targets above EventStore.
        .target(
            name: "StoreTestSupport",
            dependencies: [
                "EventStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/Support/StoreTestSupport",
            swiftSettings: strict),
        // A real OpenSSH sshd on loopback with its own keys, for the SFTP tests and benchmark.
        // Blocking test work (process spawns) off the cooperative pool, for every support target.
        .target(name: "OffThePool", path: "Tests/Support/OffThePool", swiftSettings: strict),
        .target(name: "SSHServerSupport", dependencies: ["OffThePool"], path: "Tests/Support/SSHServerSupport", swiftSettings: strict),
        .testTarget(
            name: "SystemLibraryTests",
            dependencies: ["CCurl", "COpenSSL", "CXML2", "CSSH2", "CMosquitto"],
            swiftSettings: strict),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], swiftSettings: strict),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs"], swiftSettings: strict),
        .testTarget(name: "StrictYAMLTests", dependencies: ["StrictYAML"], swiftSettings: strict),
        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "WarehouseService", "EventStore", "JSON", "StoreTestSupport", "Mapping",
                                                    .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        // pyas2lib as the foreign AS2 partner (Tests/Support/Peers/pyas2_peer.py) and the key pairs of a test.
        .target(name: "PyAS2Support", dependencies: ["AS2", "Codecs", "OffThePool"], path: "Tests/Support/PyAS2Support", swiftSettings: strict),
        .testTarget(name: "AS2Tests", dependencies: ["AS2", "Codecs", "PyAS2Support"], swiftSettings: strict),
        .testTarget(name: "X12Tests", dependencies: ["X12", "JSON"], swiftSettings: strict),
        .testTarget(name: "X12ExchangeTests", dependencies: ["X12Exchange", "X12", "EventStore", "JSON", "StoreTestSupport"], swiftSettings: strict),
        .testTarget(name: "SFTPTests", dependencies: ["SFTP", "SSHServerSupport", "Codecs", .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strict),
        .testTarget(name: "BusinessKeysTests", dependencies: ["BusinessKeys", "EventStore", "Messaging", "JSON", "StoreTestSupport", "X12",
                                                          .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "Gateway"], swiftSettings: strict),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "JSON"], swiftSettings: strict),
        // The official JSONata suite's cases and judging rules, for MappingTests and IntegrationTests.
        .target(name: "JSONataSuite", dependencies: ["JSON"], path: "Tests/Support/JSONataSuite", swiftSettings: strict),
        .testTarget(
            name: "MappingTests", dependencies: ["Mapping", "JSON", "JSONataSuite"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "HTTPClientTests", dependencies: ["HTTPClient", "OffThePool"],
            exclude: ["Support/fault_server.py"],
            swiftSettings: strict),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "EventStore", "HTTPClient", "Mapping", "WebhookAdapter", "StoreTestSupport", "JSON", "Codecs", "X12", "X12Exchange"],
                    exclude: ["Support"], swiftSettings: strict),
        .testTarget(name: "WebhookAdapterTests", dependencies: ["WebhookAdapter", "AdapterKit", "JSON", "Codecs", "Gateway", "HTTPClient", "Messaging", "StrictYAML",
                                                              .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(
            name: "HTTPPollAdapterTests",
            dependencies: ["HTTPPollAdapter", "AdapterKit", "Messaging", "EventStore", "HTTPClient", "Mapping", "JSON", "StoreTestSupport",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "WebhookAdapter", "Messaging", "EventStore", "StoreTestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .testTarget(name: "PakLogTests", dependencies: ["PakLog", "AdapterKit", "WebhookAdapter", "Gateway", "Messaging", "EventStore", "Mapping", "JSON", "StrictYAML", "StoreTestSupport", "Warehouse", "WarehouseService",
                                                       .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")], swiftSettings: strict),
        .testTarget(name: "IntegrationTests", dependencies: ["EventStore", "HTTPClient", "WebhookAdapter", "Mapping", "JSON", "Codecs", "JSONataSuite", "StoreCrashChild", "PyAS2Support", "SSHServerSupport", "OffThePool"], swiftSettings: strict),
    ]
)
