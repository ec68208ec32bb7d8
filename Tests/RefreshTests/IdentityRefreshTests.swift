import Fetching
import Foundation
import Logging
import Refresh
import TestSupport
import Testing
import TidingsCore

/// The Harbour Gazette fixture: a listing that advertises an RSS feed, a two-page article,
/// and a listing whose links and titles change between refreshes.
struct HarbourSite {
    static let directory = RefreshHarness.fixtures.appendingPathComponent("harbour")

    /// Serves the site; `query` is appended to every listing link and `edit` to every listing title.
    static func handler(port: @escaping @Sendable () -> Int, query: String, edit: String) -> LoopbackServer.Handler {
        let files = LoopbackServer.fileHandler(directory: directory, overrides: [:])
        return { request in
            var response = files(request)
            let rewritten: Set<String> = ["/index.html", "/feed.xml", "/robots.txt", "/news-sitemap.xml"]
            guard response.status == 200, rewritten.contains(request.path) else { return response }
            let text = String(decoding: response.body, as: UTF8.self)
                .replacingOccurrences(of: "QUERY", with: query)
                .replacingOccurrences(of: "EDIT", with: edit)
                .replacingOccurrences(of: "http://HOST/", with: "http://127.0.0.1:\(port())/")
            response.body = Data(text.utf8)
            return response
        }
    }
}

@Suite("Refresh: identity, feeds and multi-page articles")
struct IdentityRefreshTests {
    final class PortBox: @unchecked Sendable {
        // @unchecked Sendable: written once before the first request is served.
        var port = 0
    }

    /// The Harbour Gazette on loopback, a fresh refresher, and a source whose page is `path`.
    struct Harbour {
        let box = PortBox()
        let server: LoopbackServer
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-harbour-\(UUID().uuidString)")
        let refresher: Refresher
        let source: Source

        init(path: String = "/index.html") async throws {
            server = try LoopbackServer(handler: HarbourSite.handler(port: { [box] in box.port }, query: "", edit: ""))
            box.port = server.port
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            refresher = try await Refresher(configuration: RefreshConfiguration(
                feedsDirectory: root.appendingPathComponent("feeds"), outputDirectory: root.appendingPathComponent("public"),
                stateDirectory: root.appendingPathComponent("state"),
                fetcher: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0)), logger: logger)
            source = Source(id: "harbour", title: "Harbour Gazette", url: server.url(path), language: "en")
        }

        func serve(query: String, edit: String) {
            server.setHandler(HarbourSite.handler(port: { [box] in box.port }, query: query, edit: edit))
        }

        var atom: URL { root.appendingPathComponent("public/harbour.atom") }
    }

    @Test("three refreshes with tracking parameters and edited titles: no duplicate, no changed id")
    func trackingParametersAndEdits() async throws {
        let harbour = try await Harbour()
        let (server, refresher, source, root) = (harbour.server, harbour.refresher, harbour.source, harbour.root)

        let first = await refresher.refresh(source)
        #expect(first.issues.isEmpty, "\(first.issues)")
        try await refresher.publish([source])
        let atom = root.appendingPathComponent("public/harbour.atom")
        let before = try AtomReader.entries(at: atom)
        #expect(before.count == 4)

        for (query, edit) in [("?utm_source=newsletter&utm_medium=email", " (updated)"), ("?spm=a2c4.home.0&from=timeline", ": latest")] {
            harbour.serve(query: query, edit: edit)
            server.resetCounts()
            let report = await refresher.refresh(source)
            #expect(report.newArticles == 0, "\(query): \(report)")
            #expect(server.requestCount("/news/2025/11/22/night-market-returns.html") == 0, "refetched under \(query)")
            try await refresher.publish([source])
            let after = try AtomReader.entries(at: atom)
            #expect(after.map(\.id).sorted() == before.map(\.id).sorted())
            #expect(Set(after.map(\.title)) == Set(before.map(\.title)))
        }
        #expect(try RefreshHarness.checkFeeds(in: root.appendingPathComponent("public")).status == 0)
    }

    @Test("items of the feed a listing advertises are found too")
    func advertisedFeed() async throws {
        let harbour = try await Harbour()
        let (server, refresher, source) = (harbour.server, harbour.refresher, harbour.source)
        let report = await refresher.refresh(source)
        #expect(server.requestCount("/feed.xml") == 1)
        #expect(server.requestCount("/news/2025/11/10/ferry-timetable.html") == 1, "the feed-only article was not fetched")
        #expect(report.newArticles == 4)
    }

    @Test("a page that yields no links falls back to the sitemaps named in robots.txt")
    func sitemapFallback() async throws {
        let harbour = try await Harbour(path: "/shell.html")
        let (server, refresher, source) = (harbour.server, harbour.refresher, harbour.source)
        let report = await refresher.refresh(source)
        #expect(server.requestCount("/news-sitemap.xml") == 1)
        #expect(report.linksFound == 2, "\(report.issues)")
        #expect(report.newArticles == 2)
    }

    @Test("a two-page article becomes one entry holding both pages")
    func multiPage() async throws {
        let harbour = try await Harbour()
        let (server, refresher, source, root) = (harbour.server, harbour.refresher, harbour.source, harbour.root)
        _ = await refresher.refresh(source)
        try await refresher.publish([source])
        let entries = try AtomReader.entries(at: root.appendingPathComponent("public/harbour.atom"))
        let bridge = try #require(entries.first { $0.title.hasPrefix("Harbour Bridge Repairs") })
        #expect(bridge.content.contains("Engineers will close the footpath"))
        #expect(bridge.content.contains("weekly update will be posted every Friday"))
        #expect(!entries.contains { $0.link.contains("harbour-bridge_2") })
        #expect(server.requestCount("/news/2025/11/20/harbour-bridge_2.html") == 1)
    }
}

@Suite("Refresh: per-source fetch settings")
struct SourceFetchSettingsTests {
    @Test("a source's [fetch] headers, cookies and referer reach the site on every request")
    func headersReachTheSite() async throws {
        let server = try LoopbackServer(directory: RefreshHarness.site)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-headers-\(UUID().uuidString)")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let refresher = try await Refresher(configuration: RefreshConfiguration(
            feedsDirectory: root, outputDirectory: root.appendingPathComponent("public"), stateDirectory: root.appendingPathComponent("state"),
            fetcher: FetcherConfiguration(allowPrivateNetworks: true, hostGap: 0)), logger: logger)
        let source = Source(id: "qingxi", title: "青溪新闻网", url: server.url("/index.html"),
                            fetch: FetchRules(headers: ["Accept-Language": "zh-CN"], cookies: "region=qx", referer: "https://www.example.cn/"))
        let report = await refresher.refresh(source)
        #expect(report.newArticles == 4)
        let pages = server.requests.filter { $0.path.hasSuffix(".html") }
        #expect(pages.count == 5)
        for request in pages {
            #expect(request.headers["accept-language"] == "zh-CN", "\(request.path)")
            #expect(request.headers["cookie"] == "region=qx", "\(request.path)")
            #expect(request.headers["referer"] == "https://www.example.cn/", "\(request.path)")
        }
    }
}

@Suite("Refresh: settings reload")
struct SettingsReloadTests {
    @Test("reconfigure applies fetcher settings and the base URL, and names folders that need a restart")
    func reconfigure() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-reconfigure-\(UUID().uuidString)")
        let first = RefreshConfiguration(feedsDirectory: root.appendingPathComponent("feeds"), outputDirectory: root.appendingPathComponent("public"),
                                         stateDirectory: root.appendingPathComponent("state"))
        let refresher = try await Refresher(configuration: first, logger: Logger(label: "test"))
        var next = first
        next.baseURL = URL(string: "https://feeds.example.org/")
        next.fetcher.userAgent = "Renamed/2"
        #expect(refresher.reconfigure(next).isEmpty)
        #expect(refresher.configuration.baseURL == next.baseURL)
        #expect(refresher.configuration.fetcher.userAgent == "Renamed/2")
        next.outputDirectory = root.appendingPathComponent("elsewhere")
        #expect(refresher.reconfigure(next) == ["output"])
        #expect(refresher.configuration.outputDirectory == first.outputDirectory, "the folder stays until a restart")
    }
}
