import Foundation
import Testing
import Extraction
@testable import Discovery

@Suite("Multi-page articles and sitemap locations")
struct ArticlePaginationTests {
    let base = "http://www.qingxi.example.cn/2025/1127/"

    func next(_ file: String) throws -> String? {
        let page = try Fixture.page("multipage/" + file, url: base + file)
        let document = try #require(HTMLDocument(html: page.text, url: page.url))
        return ArticlePagination.nextPage(in: document, pageURL: page.url)?.absoluteString
    }

    @Test("下一页 leads from part 1 to 2 to 3 and stops at the last part; 下一篇 (next article) is never followed")
    func chain() throws {
        #expect(try next("content_2210.html") == base + "content_2210_2.html")
        #expect(try next("content_2210_2.html") == base + "content_2210_3.html")
        #expect(try next("content_2210_3.html") == nil)
    }

    /// Part `n` of a two-part story, with enough text to be an article.
    func part(_ n: Int) -> String {
        let paragraphs = (1...8).map { "<p>第\(n)部分第\($0)段：青溪市老城区雨污分流改造工程涉及一百二十个小区，施工期间交通管制，居民出行请留意公告。</p>" }
        let next = n == 1 ? #"<div class="pages"><a href="content_3301_2.html">下一页</a> <a href="content_3302.html">下一篇</a></div>"# : ""
        return "<html><head><title>雨污分流工程完工</title></head><body><div class=\"article\"><h1>雨污分流工程完工</h1>"
            + paragraphs.joined() + next + "</div></body></html>"
    }

    @Test("one read of a page gives its article and its next part, from the document the extractor parsed")
    func articleAndNextFromOneParse() throws {
        let extractor = Extractor()
        for (n, expected) in [(1, base + "content_3301_2.html"), (2, nil)] {
            let url = URL(string: base + (n == 1 ? "content_3301.html" : "content_3301_2.html"))!
            let read = ArticlePage.read(html: part(n), url: url, extractor: extractor)
            let article = try read.article.get()
            #expect(article.text.contains("第\(n)部分第8段"))
            #expect(read.nextPage?.absoluteString == expected, "part \(n)")
            let separate = try #require(HTMLDocument(html: part(n), url: url))
            #expect(read.nextPage == ArticlePagination.nextPage(in: separate, pageURL: url), "the same link as a separate parse finds")
            #expect(article == (try extractor.extract(html: part(n), url: url).get()), "the same article as extract(html:)")
        }
        // A page that is no article has no next part to follow.
        let listing = try Fixture.page("multipage/content_2210.html", url: base + "content_2210.html")
        let notArticle = ArticlePage.read(html: "<html><body><a href=\"content_2210_2.html\">下一页</a></body></html>",
                                          url: listing.url, extractor: extractor)
        #expect(notArticle.nextPage == nil)
        if case .success = notArticle.article { Issue.record("a page with one link is not an article") }
    }

    @Test("continuations: numbered file names, page numbers in the query, numbered sub-folders", arguments: [
        ("https://x.example.com/a/content_1.html", "https://x.example.com/a/content_1_2.html", true),
        ("https://x.example.com/a/content_1_2.html", "https://x.example.com/a/content_1_3.html", true),
        ("https://x.example.com/a/story.html?id=9", "https://x.example.com/a/story.html?id=9&page=2", true),
        ("https://x.example.com/story/123/", "https://x.example.com/story/123/2/", true),
        ("https://x.example.com/a/content_1.html", "https://x.example.com/a/content_2.html", false),
        ("https://x.example.com/a/story.html?id=9", "https://x.example.com/a/story.html?id=10", false),
        ("https://x.example.com/a/content_1.html", "https://y.example.com/a/content_1_2.html", false),
    ])
    func continuation(current: String, next: String, expected: Bool) {
        #expect(ArticlePagination.isContinuation(URL(string: next)!, of: URL(string: current)!) == expected)
    }

    @Test("a page with rel=next in its head is continued there")
    func relNext() throws {
        let url = URL(string: "https://www.example.com/2025/11/25/long-read/")!
        let html = #"<html><head><link rel="next" href="https://www.example.com/2025/11/25/long-read/2/"></head><body><p>x</p></body></html>"#
        let document = try #require(HTMLDocument(html: html, url: url))
        #expect(ArticlePagination.nextPage(in: document, pageURL: url)?.absoluteString == "https://www.example.com/2025/11/25/long-read/2/")
    }

    @Test("robots.txt Sitemap lines are found wherever they stand, case-insensitive, without duplicates")
    func robots() {
        let text = """
        User-agent: *
        Disallow: /search
        sitemap: https://www.example.com/sitemap-news.xml
        # Sitemap: https://www.example.com/commented-out.xml
        Sitemap: /sitemap.xml
        SITEMAP: https://www.example.com/sitemap-news.xml
        """
        let robots = SitemapLocator.robotsURL(for: URL(string: "https://www.example.com/world/?page=2")!)!
        #expect(robots.absoluteString == "https://www.example.com/robots.txt")
        #expect(SitemapLocator.sitemaps(inRobotsTxt: text, robotsURL: robots).map(\.absoluteString) == [
            "https://www.example.com/sitemap-news.xml", "https://www.example.com/sitemap.xml",
        ])
    }
}
