import Foundation
import Refresh
import Storage
import Syndication
import TestSupport
import Testing
import TidingsCore

/// The incremental publication writes only what changed; whatever it wrote, the folder must
/// hold exactly the bytes a full re-render of the store writes (`Publisher.publish`).
@Suite("Incremental publishing equals a full re-render")
struct IncrementalEqualsFullTests {
    /// Every file of the folder (temporary files left out), by name.
    static func files(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }

    /// Writes every file of `sources` from what the store and the health book hold now, into a
    /// fresh folder, and returns its files.
    static func fullRender(_ harness: RefreshHarness, _ sources: [Source]) async throws -> [String: Data] {
        var channels: [FeedChannel] = []
        for source in sources {
            let entries = try await harness.refresher.store.entries(sourceID: source.id, limit: source.keep)
            channels.append(FeedChannel(source: source, entries: entries, health: harness.refresher.health(of: source.id)))
        }
        let folder = harness.root.appendingPathComponent("full-\(UUID().uuidString)")
        _ = try Publisher(configuration: PublisherConfiguration(outputDirectory: folder)).publish(channels)
        return try files(folder)
    }

    static func expectSame(_ harness: RefreshHarness, _ sources: [Source], _ step: String) async throws {
        let incremental = try files(harness.output)
        let full = try await fullRender(harness, sources)
        #expect(incremental.keys.sorted() == full.keys.sorted(), "\(step): file names")
        for (name, bytes) in full.sorted(by: { $0.key < $1.key }) {
            #expect(incremental[name] == bytes, "\(step): \(name) differs from a full re-render")
        }
    }

    @Test("after new articles, an unchanged refresh, a failing source and a renamed one, every file equals a full re-render")
    func sequenceOfChanges() async throws {
        let harness = try await RefreshHarness()
        let other = try LoopbackServer(handler: LoopbackServer.fileHandler(directory: RefreshHarness.site, overrides: [:]))
        defer { other.stop() }
        var mirror = Source(id: "mirror", title: "青溪新闻网（镜像）", url: other.url("/index.html"), language: "zh-CN",
                            timeZone: "Asia/Shanghai")
        var sources = [harness.source, mirror]

        for source in sources { _ = await harness.refresher.refresh(source) }
        _ = try await harness.refresher.publish(sources)
        try await Self.expectSame(harness, sources, "first publication")

        // Only the mirror's times change (its listing is unchanged): the index may keep the old
        // times for a while, but the next change elsewhere must show them.
        _ = await harness.refresher.refresh(mirror)
        _ = try await harness.refresher.publish(sources, catalogChanged: false)
        harness.publishExtraArticle()
        _ = await harness.refresher.refresh(harness.source)
        let oneChange = try await harness.refresher.publish(sources, catalogChanged: false)
        #expect(oneChange.written.contains("qingxi.atom") && oneChange.written.contains("index.html"))
        #expect(!oneChange.written.contains("mirror.atom"))
        try await Self.expectSame(harness, sources, "one source gained an article")

        other.stop()
        let failed = await harness.refresher.refresh(mirror)
        #expect(failed.sourceFailed)
        let failing = try await harness.refresher.publish(sources, catalogChanged: false)
        #expect(failing.written == ["index.html"])
        try await Self.expectSame(harness, sources, "a source failed")

        mirror.title = "青溪新闻网 · 镜像"
        sources = [harness.source, mirror]
        _ = try await harness.refresher.publish(sources, catalogChanged: true)
        try await Self.expectSame(harness, sources, "a source renamed")
    }
}
