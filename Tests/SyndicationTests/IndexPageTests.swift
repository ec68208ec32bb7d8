import Foundation
import Testing
import TidingsCore
@testable import Syndication

@Suite("index.html and feeds.opml")
struct IndexPageTests {
    static func published(_ channels: [FeedChannel]) throws -> (index: String, opml: String, folder: URL) {
        let folder = try SampleFeeds.temporaryFolder()
        _ = try SampleFeeds.publisher(folder).publish(channels)
        return (try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8),
                try String(contentsOf: folder.appendingPathComponent("feeds.opml"), encoding: .utf8), folder)
    }

    static var brokenChannel: FeedChannel {
        let source = Source(id: "county-notices", title: "County <Notices>", url: URL(string: "http://county.example.gov/notices/")!)
        return FeedChannel(source: source, entries: [], health: SourceHealth(
            lastAttempt: SampleFeeds.time("2023-06-17T04:00:00Z"), lastSuccess: SampleFeeds.time("2023-06-17T04:00:00Z"),
            consecutiveEmptyRuns: SourceHealth.emptyRunsBeforeBroken))
    }

    @Test("the index lists every source with its site, feeds, entry count, last success, last error and health mark")
    func listsEverySource() throws {
        let (index, _, _) = try Self.published([SampleFeeds.portalChannel, SampleFeeds.englishChannel, Self.brokenChannel])
        #expect(index.contains("<a href=\"https://news.example.cn/guonei/\">湖南新闻 · 国内</a>"))
        #expect(index.contains("<a href=\"hunan-portal.atom\" type=\"application/atom+xml\">Atom</a>"))
        #expect(index.contains("<a href=\"hunan-portal.json\" type=\"application/feed+json\">JSON Feed</a>"))
        #expect(index.contains("<a href=\"hunan-portal.rss\" type=\"application/rss+xml\">RSS</a>"))
        #expect(index.contains("2 entries · last successful refresh: <time datetime=\"2023-06-17T03:00:00Z\">2023-06-17 03:00 UTC</time>"))
        #expect(index.contains("<span class=\"mark ok\""))
        // A failing source shows its error; a source that found nothing three times is broken.
        #expect(index.contains("<span class=\"mark failing\""))
        #expect(index.contains("Last error (<time datetime=\"2023-06-17T03:05:00Z\">2023-06-17 03:05 UTC</time>): https://gazette.example.com/local/: HTTP 503 Service Unavailable"))
        #expect(index.contains("<span class=\"mark broken\""))
        #expect(index.contains(">County &lt;Notices&gt;</a>"))
        #expect(index.contains("0 entries"))
    }

    @Test("a very long error is shortened on the page")
    func longErrorShortened() throws {
        var channel = SampleFeeds.englishChannel
        channel.health.lastError = "HTTP 500: " + String(repeating: "<html>stack trace ", count: 500)
        let (index, _, _) = try Self.published([channel])
        let line = try #require(index.components(separatedBy: "\n").first { $0.hasPrefix("<p class=\"error\">Last error") })
        #expect(line.contains("HTTP 500: &lt;html&gt;stack trace") && line.hasSuffix("…</p>"))
        #expect(line.count < IndexPageWriter.longestErrorShown * 2)
    }

    @Test("the index has autodiscovery links for every feed in every format")
    func autodiscovery() throws {
        let (index, _, _) = try Self.published([SampleFeeds.portalChannel, SampleFeeds.englishChannel])
        for stem in ["all", "hunan-portal", "harbor-gazette"] {
            for (ext, type) in [("atom", "application/atom+xml"), ("json", "application/feed+json"), ("rss", "application/rss+xml")] {
                #expect(index.contains("<link rel=\"alternate\" type=\"\(type)\" title=") && index.contains("href=\"\(stem).\(ext)\">"),
                        "\(stem).\(ext)")
            }
        }
        let head = try #require(index.components(separatedBy: "</head>").first)
        #expect(head.components(separatedBy: "<link rel=\"alternate\"").count - 1 == 9)
    }

    @Test("the index works without script or external resources and fits a phone screen")
    func selfContained() throws {
        let (index, _, _) = try Self.published([SampleFeeds.portalChannel, SampleFeeds.englishChannel, Self.brokenChannel])
        #expect(index.hasPrefix("<!DOCTYPE html>"))
        #expect(index.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(index.contains("<style>"))
        #expect(!index.lowercased().contains("<script"))
        #expect(!index.contains("src="))
        #expect(!index.contains("<link rel=\"stylesheet\""))
        #expect(!index.contains("@import") && !index.contains("url("))
        // Every element that is opened is closed, in order (void elements aside).
        let outcome = try ExternalCheck.run("python3", ["-c", Self.tagBalance], input: index)
        #expect(outcome.succeeded, "\(outcome.output)")
    }

    static let tagBalance = """
    import sys
    from html.parser import HTMLParser
    VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "source"}
    class Balance(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True); self.stack = []; self.problems = []
        def handle_starttag(self, tag, attrs):
            if tag not in VOID: self.stack.append(tag)
        def handle_endtag(self, tag):
            if not self.stack or self.stack.pop() != tag: self.problems.append("unbalanced </%s> at %s" % (tag, self.getpos()))
    p = Balance(); p.feed(sys.stdin.read()); p.close()
    problems = p.problems + (["unclosed: %s" % p.stack] if p.stack else [])
    print("\\n".join(problems)); sys.exit(1 if problems else 0)
    """

    @Test("feeds.opml lists every source's Atom feed with its site and parses as XML")
    func opml() throws {
        let (_, opml, folder) = try Self.published([SampleFeeds.portalChannel, SampleFeeds.englishChannel, Self.brokenChannel])
        #expect(opml.contains("<outline type=\"rss\" text=\"湖南新闻 · 国内\" title=\"湖南新闻 · 国内\" xmlUrl=\"https://feeds.example.org/tidings/hunan-portal.atom\" htmlUrl=\"https://news.example.cn/guonei/\" language=\"zh-CN\"/>"))
        #expect(opml.contains("text=\"County &lt;Notices&gt;\""))
        #expect(opml.components(separatedBy: "<outline ").count - 1 == 3)
        let outcome = try ExternalCheck.run("xmllint", ["--noout", folder.appendingPathComponent("feeds.opml").path])
        #expect(outcome.succeeded, "\(outcome.output)")
    }
}
