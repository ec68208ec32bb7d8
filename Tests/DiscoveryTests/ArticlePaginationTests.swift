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
