import Fetching
import Foundation
import Isolation
import Logging
import Refresh
import Rendering
import TestSupport
import TidingsCore

/// A fixture site on loopback plus fresh output/state folders for one test.
struct RefreshHarness {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The bundled offline sample site doubles as the fixture site (one copy of the bytes).
    static let site = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("feeds/sample-site")
    static let siteExtra = fixtures.appendingPathComponent("site-extra")
    static let checkFeed = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/validate/check-feed")

    let server: LoopbackServer
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-refresh-\(UUID().uuidString)")
    let refresher: Refresher
    let source: Source

    /// `configure` adjusts the configuration before the refresher is made (image proxy, hub).
    init(overrides: [String: LoopbackResponse] = [:], pages: (any PageReader)? = nil, renderer: RendererConfiguration = .init(),
         configure: (inout RefreshConfiguration) -> Void = { _ in }) async throws {
        server = try LoopbackServer(directory: Self.site, overrides: overrides)
        var configuration = RefreshConfiguration(
            feedsDirectory: root.appendingPathComponent("feeds"), outputDirectory: root.appendingPathComponent("public"),
            stateDirectory: root.appendingPathComponent("state"),
            fetcher: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0), renderer: renderer)
        if let pages { configuration.pages = pages }
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        refresher = try await Refresher(configuration: configuration, logger: logger)
        source = Source(id: "qingxi", title: "青溪新闻网", url: server.url("/index.html"), language: "zh-CN", timeZone: "Asia/Shanghai")
    }

    var output: URL { root.appendingPathComponent("public") }

    /// Refreshes the source and publishes, like `tidings refresh` does.
    func refreshAndPublish() async throws -> RefreshReport {
        let report = await refresher.refresh(source)
        try await refresher.publish([source])
        return report
    }

    func entries() throws -> [AtomEntry] {
        try AtomReader.entries(at: output.appendingPathComponent("\(source.id).atom"))
    }

    /// Serves the second listing (one more article at the top) from now on.
    func publishExtraArticle() {
        server.setHandler(LoopbackServer.secondListingHandler(site: Self.site, extra: Self.siteExtra))
    }

    /// Runs ../shared/validate/check-feed on every Atom file written; returns its output and status.
    func checkFeeds() throws -> (status: Int32, output: String) {
        try Self.checkFeeds(in: output)
    }

    static func checkFeeds(in output: URL) throws -> (status: Int32, output: String) {
        let files = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".atom") }.sorted()
        let outcome = try ExternalProcess.run(Self.checkFeed.path, files.map { output.appendingPathComponent($0).path })
        return (outcome.status, outcome.output)
    }
}
