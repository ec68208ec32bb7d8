import Discovery
import Extraction
import Fetching
import Foundation
@testable import Isolation
import Testing
import TidingsCore

@Suite("The bytes between a refresh and its workers")
struct WireFormatTests {
    static let url = URL(string: "https://news.example.com/2023/06/17/story.html?id=1&x=%E4%B8%AD")!

    static func payload(_ frame: [UInt8]?) -> [UInt8] { Array((frame ?? []).dropFirst(4)) }

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

    @Test("a listing's evidence (signs and scored link groups) and its request come back equal")
    func evidenceRoundTrip() throws {
        let group = LinkGroupExplanation(path: "div#main > ul.news > li > a", links: 12, sample: ["头条", "Second"],
                                         urls: ["https://news.example.cn/a/1.html", "https://news.example.cn/a/2.html"], parts: .init(text: 0.31, url: -0.05, structure: 0.125, furniture: -0.2), score: 0.185,
                                         kept: false, reason: "below the threshold")
        for evidence in [DiscoveryDiagnosis.ListingEvidence(signs: .init(visibleCharacters: 40, scriptCharacters: 9000, hasNoscriptNotice: true),
                                                            groups: [group, group]),
                         DiscoveryDiagnosis.ListingEvidence(signs: nil, groups: [])] {
            guard case .evidence(let back) = try WorkerResponse.decoded(Self.payload(WorkerResponse.evidence(evidence).encoded())) else {
                Issue.record("not an evidence answer")
                continue
            }
            #expect(back == evidence)
        }
        let page = Page(requestedURL: Self.url, url: Self.url, contentType: "text/html", text: "<div id=app></div>")
        guard case .evidence(let backPage, let source) = try WorkerRequest.decoded(
            Self.payload(WorkerRequest.evidence(page, Source(id: "s", title: "S", url: Self.url, timeZone: "Asia/Tokyo")).encoded())) else {
            Issue.record("not an evidence request")
            return
        }
        #expect(backPage.text == page.text && source.timeZone == "Asia/Tokyo")
    }

    @Test("decoded bodies, body failures, robots.txt rules and their requests come back equal")
    func bytesRoundTrip() throws {
        let answers: [Result<DecodedBody, BodyReadFailure>] = [
            .success(DecodedBody(text: "<p>页</p>", charset: "GB18030", reason: "meta charset=gbk (read as GB18030)", byteCount: 9)),
            .failure(.tooLarge), .failure(.brokenGzip("unexpected end")), .failure(.unreadable("extractor crashed")),
        ]
        for answer in answers {
            guard case .body(let back) = try WorkerResponse.decoded(Self.payload(WorkerResponse.body(answer).encoded())) else {
                Issue.record("not a body answer")
                continue
            }
            #expect(back == answer)
        }
        let rules = RobotsRules(parsing: "User-agent: *\nDisallow: /a/\nAllow: /a/b$\nDisallow: /*.pdf\n", productToken: "tidings")
        guard case .robots(let backRules) = try WorkerResponse.decoded(Self.payload(WorkerResponse.robots(rules).encoded())) else {
            Issue.record("not a robots answer")
            return
        }
        #expect(backRules == rules && !backRules.allowsEverything)
        let bytes: [UInt8] = [0x1F, 0x8B, 0x00, 0xFF, 0x0A]
        guard case .body(let backBytes, let type, let url, let limit) = try WorkerRequest.decoded(
            Self.payload(WorkerRequest.body(bytes, contentType: nil, url: Self.url, limit: 42).encoded())) else {
            Issue.record("not a body request")
            return
        }
        #expect(backBytes == bytes && type == nil && url == Self.url && limit == 42)
        guard case .robots(let robotsBytes, let token) = try WorkerRequest.decoded(
            Self.payload(WorkerRequest.robots(bytes, productToken: "tidings").encoded())) else {
            Issue.record("not a robots request")
            return
        }
        #expect(robotsBytes == bytes && token == "tidings")
    }

    @Test("a date no parser gives (not finite, or an offset past a day) is refused on the wire")
    func impossibleDates() throws {
        for (seconds, offset) in [(Double.nan, 0), (Double.infinity, 0), (0, 90000), (0, Int.min)] {
            var w = WireWriter()
            w.double(seconds)
            w.int(offset)
            var r = WireReader(w.payload)
            #expect(throws: WireError.self) { _ = try r.timestamp() }
        }
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
