import Foundation
@testable import Refresh
import Storage
import TestSupport
import Testing
import TidingsCore

/// Issue #18, WebSub: feeds name the hub beside their self link; after a publish that changed
/// feeds the hub is told `hub.mode=publish` for each of them, until it accepts.
@Suite("WebSub pings")
struct WebSubTests {
    static let base = URL(string: "http://feeds.example/")!

    /// A loopback hub that records every publish ping and answers with `status()`.
    final class Hub: @unchecked Sendable {
        // @unchecked Sendable: `answer` is read and set under `lock`.
        let server: LoopbackServer
        private let lock = NSLock()
        private var answer = 204

        init() throws {
            let box = Box()
            server = try LoopbackServer { request in LoopbackResponse(status: box.status(), body: Data()) }
            box.hub = self
        }

        var status: Int {
            get { lock.withLock { answer } }
            set { lock.withLock { answer = newValue } }
        }

        var url: URL { server.url("/hub") }

        /// The `hub.url` of every ping received, in order.
        var topics: [String] {
            server.requests.filter { $0.method == "POST" }.map { request in
                let fields = Self.form(String(decoding: request.body, as: UTF8.self))
                #expect(fields["hub.mode"] == "publish")
                #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
                return fields["hub.url"] ?? ""
            }
        }

        static func form(_ body: String) -> [String: String] {
            var fields: [String: String] = [:]
            for pair in body.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            return fields
        }

        final class Box: @unchecked Sendable {
            weak var hub: Hub?
            func status() -> Int { hub?.status ?? 500 }
        }
    }

    static func harness(hub: Hub, baseURL: URL? = base) async throws -> RefreshHarness {
        try await RefreshHarness { configuration in
            configuration.baseURL = baseURL
            configuration.hub = hub.url
        }
    }

    static func feedTopics(_ written: [String]) -> Set<String> {
        Set(written.filter { $0.hasSuffix(".atom") || $0.hasSuffix(".rss") || $0.hasSuffix(".json") }.map { base.absoluteString + $0 })
    }

    @Test("every feed names the hub beside its self link, and the files pass the feed checker")
    func feedsNameTheHub() async throws {
        let hub = try Hub()
        defer { hub.server.stop() }
        let harness = try await Self.harness(hub: hub)
        defer { harness.server.stop() }
        _ = try await harness.refreshAndPublish()
        let hubURL = hub.url.absoluteString
        for name in ["qingxi.atom", "all.atom"] {
            let text = try String(contentsOf: harness.output.appendingPathComponent(name), encoding: .utf8)
            #expect(text.contains(#"<link rel="self""#))
            #expect(text.contains(#"<link rel="hub" href="\#(hubURL)"/>"#), "\(name)")
        }
        let rss = try String(contentsOf: harness.output.appendingPathComponent("qingxi.rss"), encoding: .utf8)
        #expect(rss.contains(#"<atom:link rel="hub" href="\#(hubURL)"/>"#))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: harness.output.appendingPathComponent("qingxi.json"))) as? [String: Any]
        let hubs = json?["hubs"] as? [[String: String]]
        #expect(hubs == [["type": "WebSub", "url": hubURL]])
        let check = try harness.checkFeeds()
        #expect(check.status == 0, "\(check.output)")
    }

    @Test("without base_url no feed names the hub and no ping is sent")
    func noHubWithoutBaseURL() async throws {
        let hub = try Hub()
        defer { hub.server.stop() }
        let harness = try await Self.harness(hub: hub, baseURL: nil)
        defer { harness.server.stop() }
        _ = try await harness.refreshAndPublish()
        #expect(await harness.refresher.deliverHubPings() == nil)
        let text = try String(contentsOf: harness.output.appendingPathComponent("qingxi.atom"), encoding: .utf8)
        #expect(!text.contains(#"rel="hub""#))
        #expect(hub.server.totalRequests == 0)
    }

    @Test("one ping per changed feed, none for unchanged feeds")
    func onePingPerChangedFeed() async throws {
        let hub = try Hub()
        defer { hub.server.stop() }
        let harness = try await Self.harness(hub: hub)
        defer { harness.server.stop() }
        let quiet = Source(id: "quiet", title: "Quiet", url: harness.server.url("/index.html"))

        _ = await harness.refresher.refresh(harness.source)
        let first = try await harness.refresher.publish([harness.source, quiet])
        #expect(await harness.refresher.deliverHubPings() == nil)
        #expect(hub.topics.count == Set(hub.topics).count)
        #expect(Set(hub.topics) == Self.feedTopics(first.written))
        #expect(Set(hub.topics).isSuperset(of: ["http://feeds.example/qingxi.atom", "http://feeds.example/qingxi.rss",
                                                "http://feeds.example/qingxi.json", "http://feeds.example/all.atom"]))

        // Nothing changed: nothing written, nobody told.
        hub.server.resetCounts()
        let unchanged = try await harness.refresher.publish([harness.source, quiet])
        #expect(unchanged.written.isEmpty)
        _ = await harness.refresher.deliverHubPings()
        #expect(hub.server.totalRequests == 0)

        // A new article changes qingxi and the combined feeds, never quiet's.
        harness.publishExtraArticle()
        _ = await harness.refresher.refresh(harness.source)
        let second = try await harness.refresher.publish([harness.source, quiet])
        _ = await harness.refresher.deliverHubPings()
        let told = hub.server.requests.filter { $0.method == "POST" }.count
        #expect(told == Self.feedTopics(second.written).count)
        let topics = Set(hub.server.requests.map { Hub.form(String(decoding: $0.body, as: UTF8.self))["hub.url"] ?? "" })
        #expect(topics == Self.feedTopics(second.written))
        #expect(topics.contains("http://feeds.example/qingxi.atom"))
        #expect(!topics.contains { $0.contains("quiet") })
    }

    @Test("a ping the hub answers with 500 is retried after the backoff, and survives a restart")
    func retriedAfterFailure() async throws {
        let hub = try Hub()
        defer { hub.server.stop() }
        hub.status = 500
        let harness = try await Self.harness(hub: hub)
        defer { harness.server.stop() }
        _ = await harness.refresher.refresh(harness.source)
        let report = try await harness.refresher.publish([harness.source])
        let expected = Self.feedTopics(report.written)
        let now = Date()
        let next = try #require(await harness.refresher.deliverHubPings(now: now))
        #expect(hub.server.totalRequests == expected.count)
        #expect(Set(harness.refresher.pendingHubTopics) == expected)
        let retry = harness.refresher.configuration.hubRetry
        #expect(abs(next.timeIntervalSince(now) - retry.firstRetry) < 1)

        // Not due yet: nothing is sent.
        _ = await harness.refresher.deliverHubPings(now: now.addingTimeInterval(retry.firstRetry / 2))
        #expect(hub.server.totalRequests == expected.count)

        // A second failure doubles the wait.
        let second = try #require(await harness.refresher.deliverHubPings(now: next))
        #expect(abs(second.timeIntervalSince(next) - 2 * retry.firstRetry) < 1)
        #expect(hub.server.totalRequests == 2 * expected.count)

        // The daemon restarts; the hub is back. The pending pings come from the state folder.
        hub.status = 202
        let restarted = try await Refresher(configuration: harness.refresher.configuration, logger: harness.refresher.logger)
        #expect(await restarted.deliverHubPings(now: second) == nil)
        #expect(hub.server.totalRequests == 3 * expected.count)
        #expect(Set(hub.topics.suffix(expected.count)) == expected)
        #expect(restarted.pendingHubTopics.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: harness.root.appendingPathComponent("state/\(PendingPingFile.fileName)").path))
    }

    @Test("the retry delay doubles from the first retry up to the longest")
    func backoff() {
        let retry = HubRetry(firstRetry: 30, longestRetry: 3600)
        #expect((1...9).map { retry.delay(afterAttempts: $0) } == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(retry.delay(afterAttempts: 10_000) == 3600)
    }

    @Test("a damaged file of pending pings is reported, not a crash")
    func damagedPendingFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-pings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = PendingPingFile(stateDirectory: folder)
        for junk in ["", "{", "[{\"topic\": 3}]", "null", "\u{0}\u{1}"] {
            try Data(junk.utf8).write(to: file.url)
            #expect(throws: StorageError.self) { _ = try file.load() }
        }
        try file.save([PendingPing(topic: "http://feeds.example/a.atom", due: 1)])
        #expect(try file.load() == [PendingPing(topic: "http://feeds.example/a.atom", due: 1)])
    }
}
