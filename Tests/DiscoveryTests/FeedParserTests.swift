import Foundation
import Testing
import TidingsCore
@testable import Discovery

@Suite("Reading a site's own RSS and Atom feeds safely")
struct FeedParserTests {
    let shanghai = DiscoveryConfiguration(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    func feed(_ name: String, url: String) throws -> DiscoveryResult {
        let page = try Fixture.page("feeds/" + name, url: url, contentType: "application/xml")
        return LinkDiscoverer(configuration: shanghai).discover(page: page, limit: 50)
    }

    @Test("RSS 2.0 items become links with dates from pubDate (RFC 822 §5: +0800, GMT, no zone → source zone)")
    func rss2() throws {
        let result = try feed("rss2-teasers.xml", url: "https://www.qingxi-news.example.cn/rss/local.xml")
        #expect(result.links.map(\.title) == [
            "青溪市老城区雨污分流改造工程全面完工", "青溪职业技术学院新增三个智能制造专业方向", "冬季供暖首周全市热线受理群众诉求一千二百余件",
        ])
        #expect(result.links.map { $0.dateHint?.rfc3339 ?? "-" } == [
            "2025-11-28T09:30:00+08:00", "2025-11-27T08:05:00Z", "2025-11-26T18:20:00+08:00",
        ])
        #expect(result.links[2].url.absoluteString == "https://www.qingxi-news.example.cn/2025/1126/content_1032.html")
        #expect(result.links.allSatisfy { $0.via == .feed })
    }

    @Test("a GBK feed served without an HTTP charset is read by its XML declaration, GBK-only characters included")
    func gbkFeedByXMLDeclaration() throws {
        let page = try Fixture.page("feeds/rss2-gbk.xml", url: "https://www.qingxi-news.example.cn/rss/local.xml",
                                    contentType: "application/rss+xml")
        #expect(page.charset == "GB18030")
        #expect(page.charsetReason.hasPrefix("XML declaration charset=GBK"))
        let result = LinkDiscoverer(configuration: shanghai).discover(page: page, limit: 50)
        #expect(result.links.map(\.title) == [
            "青溪市老城区雨污分流改造工程全面完工", "青溪职业技术学院新增三个智能制造专业方向", "冬季供暖首周全市热线受理群众诉求一千二百余件",
        ])
    }

    @Test("a full-text feed gives its links and dates (the article pages are fetched all the same)")
    func fullText() throws {
        let result = try feed("rss2-fulltext.xml", url: "https://en.qingxi-news.example.cn/feed")
        #expect(result.links.count == 2)
        #expect(result.links[0].dateHint?.rfc3339 == "2025-11-25T14:00:00Z")
        #expect(result.links[1].dateHint?.rfc3339 == "2025-11-18T09:15:00-05:00")
    }

    @Test("RSS 1.0 (RDF) items with dc:date, and RSS 0.91 items without dates")
    func rdfAndOld() throws {
        let rdf = try feed("rss1-rdf.xml", url: "https://blog.example.org/index.rdf")
        #expect(rdf.links.map(\.title) == ["Winter Birds at the Reservoir", "Mushrooms After the Rain"])
        #expect(rdf.links[0].dateHint?.rfc3339 == "2025-11-20T07:45:00+01:00")
        let old = try feed("rss091.xml", url: "http://www.harbourtown-gazette.example.com/rss.xml")
        #expect(old.links.map(\.url.query) == ["id=5821", "id=5817"])
        #expect(old.links.allSatisfy { $0.dateHint == nil })
    }

    @Test("Atom entries resolve relative links against xml:base (RFC 4287 §4.2.7) and decode html titles")
    func atom() throws {
        let result = try feed("atom.xml", url: "https://www.example-daily.com/science/feed.atom")
        #expect(result.links.map(\.url.absoluteString) == [
            "https://www.example-daily.com/science/2025/11/28/deep-aquifer-mapped",
            "https://www.example-daily.com/science/2025/11/26/satellites-glaciers",
        ])
        #expect(result.links[0].title == "Researchers Map the Deep Aquifer Under the Plain")
        #expect(result.links[0].dateHint?.rfc3339 == "2025-11-28T10:30:00+01:00")
        #expect(result.links[1].dateHint?.rfc3339 == "2025-11-26T08:00:00Z")
    }

    @Test("entity definitions are never expanded and external entities never read (billion laughs, XXE)")
    func hostileFeed() throws {
        let result = try feed("billion-laughs.xml", url: "https://evil.example.com/feed.xml")
        #expect(result.links.count == 1)
        let link = try #require(result.links.first)
        #expect(!link.title.contains("lol"))
        #expect(!link.title.contains("root:"))
        #expect(link.title.count < 100)
    }

    @Test("a Google News sitemap gives links with publication dates and titles")
    func newsSitemap() throws {
        let result = try feed("sitemap-news.xml", url: "https://www.example-daily.com/sitemap-news.xml")
        #expect(result.links.map(\.via) == [.sitemap, .sitemap])
        #expect(result.links[0].title == "Researchers Map the Deep Aquifer Under the Plain")
        #expect(result.links[0].dateHint?.rfc3339 == "2025-11-28T10:30:00+01:00")
        #expect(result.links[1].dateHint?.rfc3339 == "2025-11-26T00:00:00+08:00")
    }

    @Test("a sitemap index names its child sitemaps and lists no articles; sitemap URLs come newest first")
    func sitemapIndex() throws {
        let index = try feed("sitemap-index.xml", url: "https://www.example-daily.com/sitemap.xml")
        #expect(index.links.isEmpty)
        #expect(index.sitemapURLs.map(\.lastPathComponent) == ["sitemap-news.xml", "sitemap-2025-11.xml"])
        let old = DiscoveredLink(url: URL(string: "https://x.example.com/a")!, title: "", dateHint: Timestamp(rfc3339: "2025-01-01T00:00:00Z"), via: .sitemap)
        let new = DiscoveredLink(url: URL(string: "https://x.example.com/b")!, title: "", dateHint: Timestamp(rfc3339: "2025-11-01T00:00:00Z"), via: .sitemap)
        let undated = DiscoveredLink(url: URL(string: "https://x.example.com/c")!, title: "", via: .sitemap)
        #expect(LinkDiscoverer.newestFirst([undated, old, new]).map(\.url.lastPathComponent) == ["b", "a", "c"])
    }

    @Test("a listing page that advertises its feed names the feed; comment feeds are ignored")
    func advertisedFeed() throws {
        let html = """
        <html><head><title>Blog</title>
        <link rel="alternate" type="application/rss+xml" title="Comments Feed" href="/comments/feed/">
        <link rel="alternate" type="application/rss+xml" title="Field Notes Feed" href="/feed/">
        </head><body><p>hi</p></body></html>
        """
        let url = URL(string: "https://blog.example.org/")!
        let result = LinkDiscoverer().discover(page: Page(requestedURL: url, url: url, text: html), limit: 10)
        #expect(result.feedURL?.absoluteString == "https://blog.example.org/feed/")
    }

    @Test("XML that is not a feed is reported with the URL and the cause")
    func notAFeed() throws {
        let url = URL(string: "https://example.com/data.xml")!
        let text = "<?xml version=\"1.0\"?><rss version=\"2.0\"><nochannel/></rss>"
        let result = LinkDiscoverer().discover(page: Page(requestedURL: url, url: url, contentType: "text/xml", text: text), limit: 10)
        #expect(result.links.isEmpty)
        #expect(result.warnings.first?.contains("https://example.com/data.xml") == true)
        #expect(result.warnings.first?.contains("without <channel>") == true)
    }

    @Test("a feed nested 10,000 elements deep is refused as too deeply nested, not read as empty")
    func deeplyNestedFeed() {
        func item(_ n: Int) -> String { "<item><title>Story \(n)</title><link>https://news.example.com/\(n).html</link></item>" }
        let xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Deep</title>\(item(1))"
            + String(repeating: "<x>", count: 10_000) + String(repeating: "</x>", count: 10_000) + item(2) + "</channel></rss>"
        let url = URL(string: "https://news.example.com/feed.xml")!
        guard case .failure(let error) = FeedParser().parse(text: xml, url: url) else {
            Issue.record("a feed cut short by libxml2's depth limit was read as if whole")
            return
        }
        #expect(error.description.contains("too deeply nested") && error.description.contains("feed.xml"), "\(error)")
        // Nesting within the limit is read as usual.
        let shallow = xml.replacingOccurrences(of: String(repeating: "<x>", count: 10_000), with: String(repeating: "<x>", count: 100))
            .replacingOccurrences(of: String(repeating: "</x>", count: 10_000), with: String(repeating: "</x>", count: 100))
        #expect((try? FeedParser().parse(text: shallow, url: url).get())?.links.count == 2)
    }

    @Test("merging a feed with the page's links lists feed items first and drops URL variants")
    func merge() throws {
        let a = URL(string: "https://x.example.com/2025/11/28/a-long-story.html?utm_source=rss")!
        let b = URL(string: "https://x.example.com/2025/11/28/a-long-story.html")!
        let c = URL(string: "https://x.example.com/2025/11/27/another-story.html")!
        let page = DiscoveryResult(links: [DiscoveredLink(url: b, title: "A", via: .pageLinks),
                                           DiscoveredLink(url: c, title: "C", via: .pageLinks)])
        let feed = DiscoveryResult(links: [DiscoveredLink(url: a, title: "A", via: .feed)])
        #expect(page.merged(with: feed, limit: 10).links.map(\.via) == [.feed, .pageLinks])
    }
}
