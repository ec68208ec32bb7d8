import Discovery
import Extraction
import Foundation
@testable import Isolation
import Testing
import TidingsCore

@Suite("The bytes between a refresh and its workers")
struct WireFormatTests {
    static let url = URL(string: "https://news.example.com/2023/06/17/story.html?id=1&x=%E4%B8%AD")!

    static func payload(_ frame: [UInt8]) -> [UInt8] { Array(frame.dropFirst(4)) }

    @Test("an article with every field set, and one with none, come back equal")
    func articleRoundTrip() throws {
        var full = Article(url: Self.url, canonicalURL: URL(string: "https://news.example.com/story")!, title: "标题 · Title",
                           author: "李明", published: Timestamp(rfc3339: "2023-06-17T02:27:18+08:00"), outlet: "新华社", language: "zh-CN",
                           leadImage: URL(string: "https://img.example.com/a.png")!, html: "<p>正文 &amp; more</p>", text: "正文 & more",
                           summary: "摘要")
        full.keywords = ["地铁", "长沙"]
        full.fingerprint = 0xDEAD_BEEF_0123_4567
        full.canonicalHint = URL(string: "https://news.example.com/story?amp=0")!
        let bare = Article(url: Self.url, title: "", html: "", text: "")
        for article in [full, bare] {
            for page in [ArticlePage(article: .success(article), nextPage: URL(string: "https://news.example.com/story_2.html")),
                         ArticlePage(article: .success(article), nextPage: nil)] {
                guard case .article(let back) = try WorkerResponse.decoded(Self.payload(WorkerResponse.article(page).encoded())) else {
                    Issue.record("not an article answer")
                    continue
                }
                #expect(back.article == page.article)
                #expect(back.nextPage == page.nextPage)
            }
        }
        var failure = ExtractionFailure(.listingPage, "https://news.example.com/: a list of links")
        failure.metadata = full
        guard case .article(let back) = try WorkerResponse.decoded(Self.payload(WorkerResponse.article(ArticlePage(article: .failure(failure), nextPage: nil)).encoded())),
              case .failure(let backFailure) = back.article else {
            Issue.record("the failure did not come back")
            return
        }
        #expect(backFailure == failure)
    }

    @Test("discovery results, sitemaps and requests come back equal")
    func discoveryAndRequests() throws {
        var first = DiscoveredLink(url: Self.url, title: "One", dateHint: Timestamp(rfc3339: "2023-06-17T00:00:00Z"), via: .feed)
        first.ignoredParameters = ["lang", "utm_source"]  // identity ignores them: they must come back
        let result = DiscoveryResult(links: [
            first,
            DiscoveredLink(url: URL(string: "https://news.example.com/b")!, title: "", via: .pageLinks),
        ], feedURL: URL(string: "https://news.example.com/feed.xml"), sitemapURLs: [Self.url], warnings: ["a warning"])
        guard case .links(let back) = try WorkerResponse.decoded(Self.payload(WorkerResponse.links(result).encoded())) else {
            Issue.record("not a links answer")
            return
        }
        #expect(back == result)
        let page = Page(requestedURL: Self.url, url: Self.url, status: 203, contentType: "text/html; charset=gbk", text: "<p>页</p>", charset: "GB18030")
        let source = Source(id: "s", title: "S", url: Self.url, timeZone: "Asia/Shanghai",
                            discover: DiscoverRules(links: "div a", limit: 5), extract: ExtractRules(content: "#body", remove: [".ad"]))
        guard case .links(let backPage, let backSource, let rules, let limit) = try WorkerRequest.decoded(
            Self.payload(WorkerRequest.links(page, source, source.discover, limit: 7).encoded())) else {
            Issue.record("not a links request")
            return
        }
        #expect(backPage.text == page.text && backPage.url == page.url && backPage.contentType == page.contentType && backPage.status == 203)
        // What the parsers read of the source goes across; its title and schedule stay behind.
        #expect(backSource.id == source.id && backSource.url == source.url && backSource.timeZone == source.timeZone)
        #expect(backSource.extract == source.extract && backSource.discover == source.discover)
        #expect(rules == source.discover && limit == 7)
    }

    @Test("cut, garbled or lying payloads are errors, never a crash or a huge allocation")
    func brokenPayloads() throws {
        let good = Self.payload(WorkerResponse.links(DiscoveryResult(links: [DiscoveredLink(url: Self.url, title: "t", via: .sitemap)])).encoded())
        for cut in 0..<good.count {
            #expect(throws: WireError.self) { _ = try WorkerResponse.decoded(Array(good.prefix(cut))) }
        }
        var lying = good
        for i in 1..<9 { lying[i] = 0xFF }  // a link count of 2^64-1
        #expect(throws: WireError.self) { _ = try WorkerResponse.decoded(lying) }
        #expect(throws: WireError.self) { _ = try WorkerResponse.decoded([9]) }
        #expect(throws: (any Error).self) { _ = try WorkerRequest.decoded([1, 5, 0, 0, 0, 0, 0, 0, 0, 1]) }
    }
}
