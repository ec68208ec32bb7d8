import Foundation
import Logging
import Refresh
import Storage
import Syndication
import TestSupport
import Testing
import TidingsCore

@Suite("Publishing only what changed")
struct IncrementalPublishingTests {
    static func fileStamps(_ folder: URL) throws -> [String: Date] {
        var stamps: [String: Date] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            stamps[name] = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.modificationDate] as? Date
        }
        return stamps
    }

    @Test("a refresh that stored nothing new writes no file and renders no feed")
    func nothingNewWritesNothing() async throws {
        let harness = try await RefreshHarness()
        _ = try await harness.refreshAndPublish()
        let stamps = try Self.fileStamps(harness.output)
        #expect(stamps.keys.sorted() == ["all.atom", "all.json", "all.rss", "feeds.opml", "index.html",
                                         "qingxi.atom", "qingxi.json", "qingxi.rss"])
        let report = await harness.refresher.refresh(harness.source)
        #expect(report.newArticles == 0 && report.isClean)
        let published = try await harness.refresher.publish([harness.source], catalogChanged: false)
        #expect(published.files.isEmpty, "looked at \(published.files)")
        #expect(try Self.fileStamps(harness.output) == stamps)
    }

    @Test("one source gaining an article rewrites its feeds, the combined feeds and the index, and no file of another source")
    func oneChangeRewritesItsFeeds() async throws {
        let harness = try await RefreshHarness()
        let other = try LoopbackServer(handler: LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: [:]))
        defer { other.stop() }
        let second = Source(id: "mirror", title: "青溪新闻网（镜像）", url: other.url("/index.html"), language: "zh-CN",
                            timeZone: "Asia/Shanghai")
        let sources = [harness.source, second]
        for source in sources { _ = await harness.refresher.refresh(source) }
        _ = try await harness.refresher.publish(sources)
        let stamps = try Self.fileStamps(harness.output)
        harness.publishExtraArticle()
        for source in sources { _ = await harness.refresher.refresh(source) }
        let report = try await harness.refresher.publish(sources, catalogChanged: false)
        #expect(report.written == ["qingxi.atom", "qingxi.json", "qingxi.rss", "all.atom", "all.json", "all.rss", "index.html"])
        let after = try Self.fileStamps(harness.output)
        for name in ["mirror.atom", "mirror.json", "mirror.rss", "feeds.opml"] {
            #expect(after[name] == stamps[name], "\(name) was touched")
        }
        let combined = try AtomReader.entries(at: harness.output.appendingPathComponent("all.atom"))
        #expect(combined.contains { $0.title == "青溪至南岭城际公交线路十二月起开通运营" })
        #expect(try harness.entries().count == 5)
        let index = try String(contentsOf: harness.output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("5 entries"))
        let check = try harness.checkFeeds()
        #expect(check.status == 0, "\(check.output)")
    }

    @Test("a changed source title rewrites that source's feeds and the combined ones when the catalog is published")
    func changedDefinition() async throws {
        let harness = try await RefreshHarness()
        _ = try await harness.refreshAndPublish()
        var renamed = harness.source
        renamed.title = "青溪新闻网 · 本地"
        let report = try await harness.refresher.publish([renamed])
        #expect(report.written.contains("qingxi.atom"))
        #expect(report.written.contains("all.atom"))
        let atom = try String(contentsOf: harness.output.appendingPathComponent("qingxi.atom"), encoding: .utf8)
        #expect(atom.contains("青溪新闻网 · 本地"))
    }

    @Test("the state folder deleted under a refresher: refreshes fail naming the cause, the feed keeps its entries")
    func stateDeletedWhileRunning() async throws {
        let harness = try await RefreshHarness()
        _ = try await harness.refreshAndPublish()
        let feed = try Data(contentsOf: harness.output.appendingPathComponent("qingxi.atom"))
        try FileManager.default.removeItem(at: harness.root.appendingPathComponent("state"))
        harness.publishExtraArticle()
        let report = await harness.refresher.refresh(harness.source)
        #expect(report.sourceFailed)
        #expect(report.issues.map(\.kind.name) == ["store.stateLost"])
        #expect(report.issues.first?.message.contains("deleted") == true)
        await #expect(throws: StorageError.self) { try await harness.refresher.publish([harness.source]) }
        #expect(try Data(contentsOf: harness.output.appendingPathComponent("qingxi.atom")) == feed)
        #expect(!FileManager.default.fileExists(atPath: harness.root.appendingPathComponent("state").path))
    }

    @Test("a new, empty state under feeds written before: a feed that would lose entries is kept and reported")
    func newStateDoesNotShrinkFeeds() async throws {
        let harness = try await RefreshHarness()
        _ = try await harness.refreshAndPublish()
        let feed = try Data(contentsOf: harness.output.appendingPathComponent("qingxi.atom"))
        #expect(try harness.entries().count == 4)
        // The listing now shows two of the four articles, and the state is gone (a restart on it).
        let listing = try String(contentsOf: RefreshHarness.site.appendingPathComponent("index.html"), encoding: .isoLatin1)
        let shorter = listing.replacingOccurrences(of: "2025/1126/content_1032.html", with: "missing-1.html")
            .replacingOccurrences(of: "2025/1127/content_1038.html", with: "missing-2.html")
        harness.server.setHandler(LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: [
            "/index.html": LoopbackResponse(headers: [("Content-Type", "text/html; charset=gbk")], body: Data(shorter.utf8)),
        ]))
        try FileManager.default.removeItem(at: harness.root.appendingPathComponent("state"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let restarted = try await Refresher(configuration: harness.refresher.configuration, logger: logger)
        _ = await restarted.refresh(harness.source)
        let report = try await restarted.publish([harness.source])
        #expect(report.refused.map(\.kind) == [.wouldLoseEntries])
        #expect(try Data(contentsOf: harness.output.appendingPathComponent("qingxi.atom")) == feed)
        let problems = await restarted.publishingProblems
        #expect(problems.count == 1 && problems[0].contains("qingxi.atom"))
    }
}

@Suite("Refreshing many sources at once")
struct ConcurrentRefreshTests {
    /// Lets requests through only once `count` of them are waiting: sources refreshed one
    /// after another never get there (the first gives up after `timeout`).
    final class Barrier: @unchecked Sendable {
        // @unchecked Sendable: `arrived` is guarded by `condition`.
        private let condition = NSCondition()
        private var arrived = 0
        let count: Int

        init(count: Int) { self.count = count }

        func pass(timeout: TimeInterval) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            arrived += 1
            condition.broadcast()
            let deadline = Date().addingTimeInterval(timeout)
            while arrived < count {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    @Test("sources on different hosts are refreshed at the same time, with the shared fetcher's politeness")
    func sourcesRunTogether() async throws {
        let barrier = Barrier(count: 3)
        let site = LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: [:])
        let servers = try (0..<3).map { _ in
            try LoopbackServer(handler: { request in
                if request.path == "/index.html" && !barrier.pass(timeout: 20) {
                    return LoopbackResponse.text("nobody else came", status: 503)
                }
                return site(request)
            })
        }
        defer { servers.forEach { $0.stop() } }
        let harness = try await RefreshHarness()
        let sources = servers.enumerated().map { n, server in
            Source(id: "s\(n)", title: "s\(n)", url: server.url("/index.html"), language: "zh-CN", timeZone: "Asia/Shanghai")
        }
        var started: [String] = []
        var finished: [String] = []
        let reports = await harness.refresher.refresh(sources, started: { started.append($0.id) },
                                                      finished: { finished.append($0.sourceID) })
        #expect(reports.map(\.sourceID) == ["s0", "s1", "s2"], "reports in the order of the sources")
        #expect(reports.allSatisfy { !$0.sourceFailed && $0.newArticles == 4 }, "\(reports.map(\.issues))")
        #expect(started.sorted() == ["s0", "s1", "s2"] && finished.sorted() == ["s0", "s1", "s2"])
        for server in servers { #expect(server.peakSimultaneousRequests <= 1, "one request at a time per host (per_host = 1)") }
    }

    @Test("the next sources to start are spread over hosts, then taken in order")
    func hostSpread() {
        let hosts = ["a", "a", "b", "a", "c", "b"]
        #expect(HostSpread.pick(hosts, count: 3, running: [:], host: { $0 }) == [0, 2, 4])
        #expect(HostSpread.pick(hosts, count: 3, running: ["b": 1], host: { $0 }) == [0, 1, 4])
        #expect(HostSpread.pick(hosts, count: 10, running: [:], host: { $0 }) == [0, 1, 2, 3, 4, 5])
        #expect(HostSpread.pick(hosts, count: 0, running: [:], host: { $0 }) == [])
    }

    @Test("sources at once default to one per host, at least 4, at most the transfers allowed")
    func defaultSourcesAtOnce() {
        func sources(_ hosts: Int) -> [Source] {
            (0..<hosts * 2).map { Source(id: "s\($0)", title: "", url: URL(string: "https://h\($0 % hosts).example.com/")!) }
        }
        #expect(HostSpread.defaultSourcesAtOnce(for: sources(1), transfers: 16) == 4)
        #expect(HostSpread.defaultSourcesAtOnce(for: sources(10), transfers: 16) == 10)
        #expect(HostSpread.defaultSourcesAtOnce(for: sources(200), transfers: 16) == 16)
        #expect(HostSpread.defaultSourcesAtOnce(for: sources(200), transfers: 64) == 64)
    }

    @Test("robots.txt is asked once across two runs on one state folder (RFC 9309 §2.4: kept up to 24 h)")
    func robotsKeptAcrossRuns() async throws {
        let harness = try await RefreshHarness(overrides: ["/robots.txt": .text("User-agent: *\nDisallow: /private/\n", contentType: "text/plain")])
        _ = try await harness.refreshAndPublish()
        #expect(harness.server.requestCount("/robots.txt") == 1)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let secondRun = try await Refresher(configuration: harness.refresher.configuration,
                                            store: try SQLiteStore(directory: harness.root.appendingPathComponent("state-2")), logger: logger)
        _ = await secondRun.refresh(harness.source)
        #expect(harness.server.requestCount("/robots.txt") == 2, "another state folder asks again")
        let thirdRun = try await Refresher(configuration: harness.refresher.configuration, logger: logger)
        let report = await thirdRun.refresh(harness.source)
        #expect(report.isClean)
        #expect(harness.server.requestCount("/robots.txt") == 2, "the first state folder remembers its answer")
    }
}
