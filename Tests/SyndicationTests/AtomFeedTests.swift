import Foundation
import Testing
import TidingsCore
@testable import Syndication

/// What readers see in the Atom feed, field by field (RFC 4287), parsed back by feedparser.
@Suite("Atom feeds")
struct AtomFeedTests {
    static func publishedPortal(baseURL: String? = "https://feeds.example.org/tidings/") throws -> (URL, ExternalCheck.ParsedFeed, String) {
        let folder = try SampleFeeds.temporaryFolder()
        var channel = SampleFeeds.portalChannel
        channel.subtitle = "湖南省内外要闻"
        channel.icon = URL(string: "https://news.example.cn/favicon.ico")
        _ = try SampleFeeds.publisher(folder, baseURL: baseURL).publish([channel])
        let file = folder.appendingPathComponent("hunan-portal.atom")
        #expect(try ExternalCheck.atomProblems([file]) == nil)
        let parsed = try ExternalCheck.feedparser([file])[0]
        return (folder, parsed, try String(contentsOf: file, encoding: .utf8))
    }

    @Test("the feed has id, title, subtitle, updated, self and alternate links, author, generator, icon and xml:lang (RFC 4287 §4.1.1)")
    func feedMetadata() throws {
        let (_, parsed, xml) = try Self.publishedPortal()
        #expect(parsed.feed.id == "tag:news.example.cn,2026:tidings/hunan-portal")
        #expect(parsed.feed.title == "湖南新闻 · 国内")
        #expect(parsed.feed.subtitle == "湖南省内外要闻")
        #expect(parsed.feed.language == "zh-CN")
        #expect(parsed.feed.author == "湖南新闻 · 国内")
        #expect(parsed.feed.generator == "Tidings")
        #expect(parsed.feed.links.contains { $0.rel == "self" && $0.href == "https://feeds.example.org/tidings/hunan-portal.atom" })
        #expect(parsed.feed.links.contains { $0.rel == "alternate" && $0.href == "https://news.example.cn/guonei/" })
        // §4.2.15: the feed's updated is the newest entry's updated, not the time of writing.
        #expect(xml.contains("<updated>2023-06-17T03:00:00Z</updated>\n  <link rel=\"self\""))
        #expect(xml.contains("<generator version=\"\(TidingsVersion.current)\">Tidings</generator>"))
        #expect(xml.contains("<icon>https://news.example.cn/favicon.ico</icon>"))
    }

    @Test("an entry keeps its stored id, the article's own time with its offset, author, content, enclosure and categories")
    func entryFields() throws {
        let (_, parsed, xml) = try Self.publishedPortal()
        let entry = try #require(parsed.entries.first)
        #expect(entry.id == SampleFeeds.portalChannel.entries[0].id)
        #expect(entry.title == "长沙地铁6号线东延段开通运营")
        #expect(xml.contains("<published>2023-06-17T02:27:18+08:00</published>"))     // §4.2.9, offset kept
        #expect(xml.contains("<updated>2023-06-17T03:00:00Z</updated>"))
        #expect(entry.author == "李明")
        #expect(entry.content == ["<p>记者从长沙地铁获悉，6号线东延段今日开通。</p><p>全长约12公里。</p>"])
        #expect(entry.summary == "6号线东延段今日开通。")
        #expect(xml.contains("<content type=\"html\" xml:base=\"https://news.example.cn/guonei/2023-06/17/c_1129.htm\">"))
        #expect(entry.links.contains { $0.rel == "alternate" && $0.href == "https://news.example.cn/guonei/2023-06/17/c_1129.htm" })
        #expect(entry.links.contains { $0.rel == "enclosure" && $0.type == "image/png" && $0.href == "https://img.example.cn/2023/0617/metro.png" })
        #expect(entry.tags.map(\.term) == ["湖南新闻 · 国内", "新华社"])
        #expect(entry.tags.last?.scheme == AtomWriter.outletScheme)
        // The second article names the site itself as its outlet: no outlet category then.
        #expect(parsed.entries[1].tags.map(\.term) == ["湖南新闻 · 国内"])
    }

    @Test("a relative URL left in a body resolves against the article's page (xml:base)")
    func relativeURLsResolve() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let entry = SampleFeeds.entry(SampleFeeds.english, path: "2023/06/photos/harbor.html", title: "Harbor photos",
                                      published: "2023-06-16T09:30:00-04:00", html: "<p><img src=\"../img/boats.jpg\" alt=\"boats\"></p>")
        _ = try SampleFeeds.publisher(folder).publish([FeedChannel(source: SampleFeeds.english, entries: [entry])])
        let parsed = try ExternalCheck.feedparser([folder.appendingPathComponent("harbor-gazette.atom")])[0]
        #expect(parsed.entries[0].content == ["<p><img alt=\"boats\" src=\"https://gazette.example.com/local/2023/06/img/boats.jpg\" /></p>"])
    }

    @Test("every person in a byline becomes an author in Atom, RSS and JSON Feed")
    func severalAuthors() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let entry = SampleFeeds.entry(SampleFeeds.portal, path: "2023-06/18/c_1131.htm", title: "两会观察", published: "2023-06-18T08:00:00+08:00",
                                      author: "张三、李四")
        _ = try SampleFeeds.publisher(folder).publish([FeedChannel(source: SampleFeeds.portal, entries: [entry])])
        let atom = try String(contentsOf: folder.appendingPathComponent("hunan-portal.atom"), encoding: .utf8)
        let rss = try String(contentsOf: folder.appendingPathComponent("hunan-portal.rss"), encoding: .utf8)
        let json = try String(contentsOf: folder.appendingPathComponent("hunan-portal.json"), encoding: .utf8)
        #expect(atom.contains("<author>\n      <name>张三</name>\n    </author>\n    <author>\n      <name>李四</name>"))
        #expect(rss.contains("<dc:creator>张三</dc:creator>\n      <dc:creator>李四</dc:creator>"))
        #expect(json.contains("\"name\": \"张三\"") && json.contains("\"name\": \"李四\""))
        #expect(try ExternalCheck.atomProblems([folder.appendingPathComponent("hunan-portal.atom")]) == nil)
    }

    @Test("an article without its own time is dated when Tidings first saw it")
    func publishedFallsBackToFirstSeen() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let entry = SampleFeeds.entry(SampleFeeds.english, path: "2023/06/undated", title: "Undated notice", published: nil,
                                      firstSeen: "2023-06-18T07:15:00-04:00")
        _ = try SampleFeeds.publisher(folder).publish([FeedChannel(source: SampleFeeds.english, entries: [entry])])
        let xml = try String(contentsOf: folder.appendingPathComponent("harbor-gazette.atom"), encoding: .utf8)
        #expect(xml.contains("<published>2023-06-18T07:15:00-04:00</published>"))
    }

    @Test("a source without entries still gives valid feeds, dated by its last success or else the Unix epoch, never now")
    func emptyFeeds() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let refreshed = FeedChannel(source: SampleFeeds.portal, entries: [],
                                    health: SourceHealth(lastSuccess: SampleFeeds.time("2023-06-17T03:00:00+08:00")))
        let never = FeedChannel(source: SampleFeeds.english, entries: [])
        _ = try SampleFeeds.publisher(folder).publish([refreshed, never])
        let files = ["hunan-portal", "harbor-gazette", "all"].map { folder.appendingPathComponent($0 + ".atom") }
        #expect(try ExternalCheck.atomProblems(files) == nil)
        let portal = try String(contentsOf: files[0], encoding: .utf8)
        let gazette = try String(contentsOf: files[1], encoding: .utf8)
        let all = try String(contentsOf: files[2], encoding: .utf8)
        #expect(portal.contains("<updated>2023-06-17T03:00:00+08:00</updated>"))
        #expect(gazette.contains("<updated>1970-01-01T00:00:00Z</updated>"))
        #expect(all.contains("<updated>2023-06-17T03:00:00+08:00</updated>"))
        for stem in ["hunan-portal", "harbor-gazette", "all"] {
            #expect(JSONFeedCheck.problems(try Data(contentsOf: folder.appendingPathComponent(stem + ".json"))) == [])
        }
        let rss = try ExternalCheck.feedparser(["hunan-portal", "harbor-gazette", "all"].map { folder.appendingPathComponent($0 + ".rss") })
        #expect(rss.allSatisfy { !$0.bozo && $0.version == "rss20" && $0.entries.isEmpty })
    }

    @Test("without a public base URL the feeds carry no self link rather than a relative one")
    func noBaseURL() throws {
        let (folder, parsed, xml) = try Self.publishedPortal(baseURL: nil)
        #expect(!parsed.feed.links.contains { $0.rel == "self" })
        #expect(!xml.contains("rel=\"self\""))
        let opml = try String(contentsOf: folder.appendingPathComponent("feeds.opml"), encoding: .utf8)
        #expect(opml.contains("xmlUrl=\"hunan-portal.atom\""))
    }

    @Test("scraped text that would break a feed comes out clean: controls, ]]>, leaked entities, invalid bytes, huge titles")
    func hostileText() throws {
        let folder = try SampleFeeds.temporaryFolder()
        let invalidBytes = String(decoding: [0x41, 0xED, 0xA0, 0x80, 0x42, 0xFF, 0x43], as: UTF8.self)   // A, lone surrogate, B, 0xFF, C
        let title = "\u{0}Breaking\u{1B}[0m:&nbsp;prices ]]> rise &amp;nbsp; \(invalidBytes)\u{7}"
        let entry = SampleFeeds.entry(SampleFeeds.english, path: "2023/06/hostile", title: title, published: "2023-06-16T09:30:00-04:00",
                                      author: "  Dana\u{00A0}\u{00A0}Whitfield \n", html: "<p>a ]]> b &nbsp; \u{0}c\u{FFFE}</p>", text: "")
        let long = SampleFeeds.entry(SampleFeeds.english, path: "2023/06/long", title: String(repeating: "长标题 ", count: 5000),
                                     published: "2023-06-15T09:30:00-04:00", html: "", text: "First paragraph <x>.\n\nSecond & last.")
        let empty = SampleFeeds.entry(SampleFeeds.english, path: "2023/06/empty", title: " \n\t ", published: "2023-06-14T09:30:00-04:00",
                                      author: "", outlet: "", html: "", text: "", summary: "")
        _ = try SampleFeeds.publisher(folder).publish([FeedChannel(source: SampleFeeds.english, entries: [entry, long, empty])])
        let file = folder.appendingPathComponent("harbor-gazette.atom")
        #expect(try ExternalCheck.atomProblems([file]) == nil)
        let parsed = try ExternalCheck.feedparser([file])[0]
        #expect(parsed.entries[0].title == "Breaking[0m: prices ]]> rise &nbsp; A\u{FFFD}\u{FFFD}\u{FFFD}B\u{FFFD}C")
        #expect(parsed.entries[0].author == "Dana Whitfield")
        #expect(parsed.entries[0].content == ["<p>a ]]> b &nbsp; c</p>"])
        let longTitle = try #require(parsed.entries[1].title)
        #expect(longTitle.count == FeedText.maximumTitleCharacters && longTitle.hasSuffix("…"))
        #expect(parsed.entries[1].content == ["<p>First paragraph &lt;x&gt;.</p>\n<p>Second &amp; last.</p>"])
        #expect(parsed.entries[2].title == FeedText.untitled)
        #expect(parsed.entries[2].author == nil)
    }
}
