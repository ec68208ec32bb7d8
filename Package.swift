// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tidings",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tidings", targets: ["tidings"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already resolved through Hummingbird; named so the daemon can stop the server gracefully.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Already resolved and built through Hummingbird; HMAC-SHA256 signs image proxy URLs.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, no logic.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CUchardet", pkgConfig: "uchardet",
                       providers: [.apt(["libuchardet-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPSL", pkgConfig: "libpsl",
                       providers: [.apt(["libpsl-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),

        // The stages of the flow, in the order data passes through them.
        .target(name: "TidingsCore", dependencies: ["CPSL", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Fetching", dependencies: ["TidingsCore", "CCurl", "CUchardet", "CZlib"]),
        // libxml2's allocator for a document's parse: a bump arena (C, as libxml2 calls it).
        .target(name: "CXMLArena", dependencies: ["CLibXML2"]),
        .target(name: "Extraction", dependencies: ["TidingsCore", "CLibXML2", "CXMLArena"]),
        .target(name: "Discovery", dependencies: ["TidingsCore", "Extraction", "CLibXML2"]),
        // Headless Chromium over a DevTools pipe; every request it makes is answered by Fetching.
        .target(name: "Rendering", dependencies: ["TidingsCore", "Fetching"]),
        .target(name: "Storage", dependencies: ["TidingsCore", "CZlib", "CPostgres", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Syndication", dependencies: ["TidingsCore"]),
        // Runs the parsers of outside bytes (extraction, discovery) in worker processes.
        .target(name: "Isolation", dependencies: ["TidingsCore", "Fetching", "Extraction", "Discovery"]),
        .target(name: "Refresh", dependencies: [
            "TidingsCore", "Fetching", "Rendering", "Extraction", "Discovery", "Storage", "Syndication", "Isolation",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Daemon", dependencies: [
            "TidingsCore", "Refresh", "Storage", "CZlib",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "tidings", dependencies: [
            "TidingsCore", "Fetching", "Extraction", "Discovery", "Storage", "Syndication", "Isolation",
            "Refresh", "Daemon", "Rendering",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Tests mirror the modules; TestSupport holds the loopback HTTP server and the active-content check.
        .target(name: "TestSupport", dependencies: ["TidingsCore", "Extraction"], path: "Tests/TestSupport"),
        .testTarget(name: "TidingsCoreTests", dependencies: ["TidingsCore", "TestSupport"]),
        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "Fetching", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "Extraction", "Fetching", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "Fetching", "Extraction", "Discovery", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "IsolationTests", dependencies: ["Isolation", "Discovery", "Extraction", "Fetching", "TestSupport"]),
        .testTarget(name: "SyndicationTests", dependencies: ["Syndication", "Extraction", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RefreshTests", dependencies: ["Refresh", "Rendering", "Syndication", "Storage", "Isolation", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        // Runs the built `tidings` binary: the commands as a user types them.
        .testTarget(name: "CommandTests", dependencies: ["TestSupport"]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "Refresh", "Storage", "Fetching", "TestSupport",
                                                        .product(name: "Logging", package: "swift-log")],
                    resources: [.copy("Fixtures")]),
    ]
)

// Fuzz targets (Fuzz/, run by scripts/fuzz): declared only when TIDINGS_FUZZ is set, so the
// normal build and `swift test` never compile them. scripts/fuzz builds this library in
// .build-fuzz with -sanitize=fuzzer,address and links it with libFuzzer's own main (an
// executable target would get SwiftPM's entry point, which clashes with libFuzzer's).
if Context.environment["TIDINGS_FUZZ"] != nil {
    package.targets.append(.target(name: "TidingsFuzz", dependencies: [
        "TidingsCore", "Fetching", "Extraction", "Discovery", "Isolation", "TestSupport",
    ], path: "Fuzz/TidingsFuzz"))
}
