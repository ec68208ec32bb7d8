import Foundation
import Testing
import TidingsCore
@testable import Syndication

@Suite("Publisher")
struct PublisherTests {
    static let everyFile = [
        "harbor-gazette.atom", "harbor-gazette.json", "harbor-gazette.rss",
        "hunan-portal.atom", "hunan-portal.json", "hunan-portal.rss",
        "all.atom", "all.json", "all.rss", "feeds.opml", "index.html",
    ]

    @Test("publishing writes three feeds per source, the combined feeds, the OPML list and the index page")
    func writesEveryFile() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let report = try SampleFeeds.publisher(folder).publish([SampleFeeds.portalChannel, SampleFeeds.englishChannel])
        #expect(report.written == Self.everyFile)
        #expect(report.unchanged.isEmpty)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(onDisk == Self.everyFile.sorted(), "no temporary files may be left behind")
    }

    @Test("every Atom feed passes check-feed and every RSS feed parses in feedparser without bozo")
    func feedsValidate() throws {
        let folder = try SampleFeeds.temporaryFolder()
        _ = try SampleFeeds.publisher(folder).publish([SampleFeeds.portalChannel, SampleFeeds.englishChannel])
        let atoms = ["hunan-portal", "harbor-gazette", "all"].map { folder.appendingPathComponent($0 + ".atom") }
        let problems = try ExternalCheck.atomProblems(atoms)
        #expect(problems == nil)
        let rss = try ExternalCheck.feedparser(["hunan-portal", "harbor-gazette", "all"].map { folder.appendingPathComponent($0 + ".rss") })
        for feed in rss {
            #expect(!feed.bozo, "\(feed.path): \(feed.bozo_exception)")
            #expect(feed.version == "rss20")
        }
        let rssText = try String(contentsOf: folder.appendingPathComponent("hunan-portal.rss"), encoding: .utf8)
        #expect(rssText.contains("<ttl>60</ttl>"), "RSS ttl: the source's refresh interval in minutes")
        for stem in ["hunan-portal", "harbor-gazette", "all"] {
            let data = try Data(contentsOf: folder.appendingPathComponent(stem + ".json"))
            #expect(JSONFeedCheck.problems(data) == [], "\(stem).json")
        }
    }

    @Test("publishing the same channels twice leaves every file byte-identical and reports it unchanged")
    func identity() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let publisher = SampleFeeds.publisher(folder)
        _ = try publisher.publish([SampleFeeds.portalChannel, SampleFeeds.englishChannel])
        let before = try Self.contents(of: folder)
        let modified = try Self.modificationDates(of: folder)
        // Same input, other order of channels and of entries: the bytes must not move.
        var shuffled = SampleFeeds.portalChannel
        shuffled.entries.reverse()
        let report = try publisher.publish([SampleFeeds.englishChannel, shuffled])
        #expect(report.written == [])
        #expect(report.unchanged.sorted() == Self.everyFile.sorted())
        #expect(try Self.contents(of: folder) == before)
        #expect(try Self.modificationDates(of: folder) == modified)
    }

    @Test("a new article rewrites only the files that show it")
    func onlyChangedFilesAreWritten() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let publisher = SampleFeeds.publisher(folder)
        _ = try publisher.publish([SampleFeeds.portalChannel, SampleFeeds.englishChannel])
        var portal = SampleFeeds.portalChannel
        portal.entries.append(SampleFeeds.entry(SampleFeeds.portal, path: "2023-06/18/c_1130.htm", title: "岳麓山景区夜游开放",
                                                published: "2023-06-18T08:00:00+08:00", firstSeen: "2023-06-18T01:00:00Z"))
        let report = try publisher.publish([portal, SampleFeeds.englishChannel])
        #expect(report.written == ["hunan-portal.atom", "hunan-portal.json", "hunan-portal.rss", "all.atom", "all.json", "all.rss", "index.html"])
        #expect(report.unchanged == ["harbor-gazette.atom", "harbor-gazette.json", "harbor-gazette.rss", "feeds.opml"])
    }

    @Test("a changed file is replaced by rename: a reader that opened the old file still reads it whole")
    func replacedByRename() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let publisher = SampleFeeds.publisher(folder)
        _ = try publisher.publish([SampleFeeds.englishChannel])
        let file = folder.appendingPathComponent("harbor-gazette.atom")
        let old = try Data(contentsOf: file)
        let reader = try FileHandle(forReadingFrom: file)
        defer { try? reader.close() }
        var changed = SampleFeeds.englishChannel
        changed.entries[0].article.title = "Ferry schedule changes again"
        changed.entries[0].updated = SampleFeeds.time("2023-06-18T00:00:00Z")
        let report = try publisher.publish([changed])
        #expect(report.written.contains("harbor-gazette.atom"))
        #expect(try reader.readToEnd() == old)
        #expect(try String(contentsOf: file, encoding: .utf8).contains("Ferry schedule changes again"))
    }

    @Test("temporary files of a killed run are removed; those of a live writer are left alone")
    func abandonedTemporaries() throws {
        let folder = try SampleFeeds.temporaryFolder()
        // pid_max on Linux is at most 2^22, so this pid cannot belong to a running process.
        let abandoned = ".all.atom.4194305.123456.tmp"
        let live = ".all.atom.1.654321.tmp"                                  // pid 1 always runs
        let unrelated = ".hidden-notes.tmp"
        for name in [abandoned, live, unrelated] {
            try Data("partial".utf8).write(to: folder.appendingPathComponent(name))
        }
        _ = try SampleFeeds.publisher(folder).publish([SampleFeeds.englishChannel])
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(!names.contains(abandoned))
        #expect(names.contains(live))
        #expect(names.contains(unrelated))
    }

    @Test("the combined feed lists an id that two sources share once, newest first")
    func combinedFeedDeduplicates() throws {
        let folder = try SampleFeeds.temporaryFolder()
        var english = SampleFeeds.englishChannel
        let shared = SampleFeeds.portalChannel.entries[0]
        english.entries.append(FeedEntry(id: shared.id, sourceID: english.source.id, article: shared.article,
                                         firstSeen: shared.firstSeen, updated: shared.updated))
        _ = try SampleFeeds.publisher(folder).publish([SampleFeeds.portalChannel, english])
        let parsed = try ExternalCheck.feedparser([folder.appendingPathComponent("all.atom")])[0]
        // 2023-06-16 18:27Z, 13:30Z, 10:05Z: the offsets differ, the order follows the instants.
        #expect(parsed.entries.map(\.title) == ["长沙地铁6号线东延段开通运营", "Ferry schedule changes for summer & beyond", "湘江新区发布人才政策"])
        #expect(Set(parsed.entries.compactMap(\.id)).count == parsed.entries.count)
    }

    @Test("a channel whose id is reserved ('all') is left out with an error naming the file; the other feeds are written")
    func collidingSourceID() throws {
        let folder = try SampleFeeds.temporaryFolder()
        var channel = SampleFeeds.portalChannel
        channel.source.id = "all"
        let report = try SampleFeeds.publisher(folder).publish([channel, SampleFeeds.englishChannel])
        #expect(report.refused.map(\.file) == ["all.atom"])
        #expect(report.refused.first?.message.contains("reserved") == true)
        let english = SampleFeeds.englishChannel.source.id
        #expect(report.written.contains("\(english).atom"))
        let combined = try ExternalCheck.feedparser([folder.appendingPathComponent("all.atom")])[0]
        #expect(combined.entries.count == SampleFeeds.englishChannel.entries.count, "all.atom is the combined feed, not the refused channel")
    }

    @Test("an output folder that cannot be written gives an error naming the folder")
    func unwritableFolder() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let blocker = folder.appendingPathComponent("public")
        try Data("a file, not a folder".utf8).write(to: blocker)
        let publisher = SampleFeeds.publisher(blocker.appendingPathComponent("inner"))
        #expect {
            _ = try publisher.publish([SampleFeeds.englishChannel])
        } throws: { error in
            (error as? PublishError)?.file.contains("public/inner") == true
        }
    }

    static func contents(of folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }

    static func modificationDates(of folder: URL) throws -> [String: Date] {
        var result: [String: Date] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            result[name] = attributes[.modificationDate] as? Date
        }
        return result
    }
}

@Suite("Publisher keeps what readers have")
struct FeedLossTests {
    @Test("a feed that would drop entries while not full is left as it was, with the reason")
    func refusesToShrink() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let publisher = SampleFeeds.publisher(folder)
        _ = try publisher.publish([SampleFeeds.portalChannel])
        let before = try Data(contentsOf: folder.appendingPathComponent("hunan-portal.atom"))
        // A state that no longer knows the first entry (a new database): the feed would shrink.
        var shrunk = SampleFeeds.portalChannel
        shrunk.entries.removeFirst()
        let report = try publisher.publish([shrunk])
        #expect(report.refused.map(\.kind) == [.wouldLoseEntries])
        #expect(report.refused.first?.message.contains("drop 1 of the entries") == true)
        #expect(!report.written.contains("hunan-portal.atom") && !report.written.contains("hunan-portal.json"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("hunan-portal.atom")) == before)
        // A new entry on top of what it had is fine.
        var grown = SampleFeeds.portalChannel
        grown.entries.append(SampleFeeds.entry(SampleFeeds.portal, path: "2023-06/18/c_1130.htm", title: "新", published: "2023-06-18T08:00:00+08:00"))
        #expect(try publisher.publish([grown]).refused.isEmpty)
    }

    @Test("a full feed may let its oldest entries go, and a lowered keep is honoured")
    func fullFeedsMayRoll() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let publisher = SampleFeeds.publisher(folder)
        _ = try publisher.publish([SampleFeeds.portalChannel])
        var smaller = SampleFeeds.portalChannel
        smaller.source.keep = 1
        let report = try publisher.publish([smaller])
        #expect(report.refused.isEmpty)
        #expect(report.written.contains("hunan-portal.atom"))
    }

    @Test("the ids of an Atom feed written by Tidings are read back, escapes undone")
    func readsIDs() throws {
        let folder = try SampleFeeds.temporaryFolder()
        var channel = SampleFeeds.englishChannel
        channel.entries[0].id = "tag:gazette.example.com,2023-06-17:/a?b=1&c=<2>"
        _ = try SampleFeeds.publisher(folder).publish([channel])
        let data = try Data(contentsOf: folder.appendingPathComponent("harbor-gazette.atom"))
        #expect(FeedLossCheck.entryIDs(inAtom: data) == ["tag:gazette.example.com,2023-06-17:/a?b=1&c=<2>"])
        #expect(FeedLossCheck.entryIDs(inAtom: Data("<feed><entry><id>x".utf8)) == [])
    }
}
