import Foundation
import Testing
import TidingsCore
@testable import Discovery

@Suite("Discovering article links on listing pages")
struct LinkDiscovererTests {
    let shanghai = DiscoveryConfiguration(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    @Test("the sample portal's listing yields its four articles in page order, without nav, sidebars, pagination or footer")
    func sampleListing() throws {
        let page = try Fixture.page("sample/index.html", url: "http://127.0.0.1:8080/index.html")
        let result = LinkDiscoverer(configuration: shanghai).discover(page: page, limit: 50)
        #expect(result.links.map(\.url.absoluteString) == [
            "http://127.0.0.1:8080/2025/1128/content_1041.html",
            "http://127.0.0.1:8080/2025/1127/content_1038.html",
            "http://127.0.0.1:8080/2025/1126/content_1032.html",
            "http://127.0.0.1:8080/en/2025/11/25/riverside-library-reopens.html",
        ])
        #expect(result.links.first?.title == "青溪市老城区雨污分流改造工程全面完工")
        #expect(result.links.first?.dateHint?.rfc3339 == "2025-11-28T00:00:00+08:00")
        #expect(result.links.allSatisfy { $0.via == .pageLinks })
        #expect(result.feedURL == nil)
    }

    @Test("a listing nested 10,000 elements deep still gives the links below the nesting")
    func deeplyNestedListing() throws {
        let page = try Fixture.page("sample/index.html", url: "http://127.0.0.1:8080/index.html")
        let deep = page.text.replacingOccurrences(of: "<body>", with: "<body>" + String(repeating: "<div>", count: 10_000))
        #expect(deep.count > page.text.count)
        let nested = Page(requestedURL: page.url, url: page.url, contentType: page.contentType, text: deep)
        let result = LinkDiscoverer(configuration: shanghai).discover(page: nested, limit: 50)
        #expect(result.links.map(\.url.absoluteString) == LinkDiscoverer(configuration: shanghai).discover(page: page, limit: 50).links.map(\.url.absoluteString))
        #expect(result.links.count == 4)
    }

    @Test("the sample listing read through a file: URL gives the same four articles")
    func sampleListingFromDisk() throws {
        let url = Fixture.file("sample/index.html")
        let page = try Fixture.page("sample/index.html", url: url.absoluteString)
        let result = LinkDiscoverer(configuration: shanghai).discover(page: page, limit: 50)
        #expect(result.links.map(\.url.lastPathComponent) == [
            "content_1041.html", "content_1038.html", "content_1032.html", "riverside-library-reopens.html",
        ])
    }

    @Test("the limit keeps the first links in page order")
    func limit() throws {
        let page = try Fixture.page("sample/index.html", url: "http://127.0.0.1:8080/index.html")
        let result = LinkDiscoverer(configuration: shanghai).discover(page: page, limit: 2)
        #expect(result.links.map(\.url.lastPathComponent) == ["content_1041.html", "content_1038.html"])
        let ruled = LinkDiscoverer(configuration: shanghai).discover(page: page, rules: DiscoverRules(limit: 1), limit: 10)
        #expect(ruled.links.count == 1)
    }

    @Test("dates printed beside links become hints in the source's zone: date cells, time spans, URL dates", arguments: [
        ("01-zh-county-gov-table-gb2312", "2025-11-28T00:00:00+08:00"),
        ("02-zh-city-portal-div-gbk", "2025-11-28T10:12:00+08:00"),
        ("14-zh-hant-big5-local", "2025-11-28T10:30:00+08:00"),
        ("05-zh-epaper-gbk", "2025-11-28T00:00:00+08:00"),
    ])
    func dateHints(id: String, expected: String) throws {
        let truth = try LabelledListingTests.truth(id)
        let page = try Fixture.page("listings/\(id).html", url: truth.url)
        let result = LinkDiscoverer(configuration: shanghai).discover(page: page, limit: 50)
        #expect(result.links.first?.dateHint?.rfc3339 == expected)
    }

    @Test("a page that is not HTML at all gives no links and no crash")
    func garbage() {
        let url = URL(string: "http://127.0.0.1:8080/index.html")!
        let noise = String(decoding: (0..<6000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }, as: UTF8.self)
        let result = LinkDiscoverer().discover(page: Page(requestedURL: url, url: url, text: noise), limit: 50)
        #expect(result.links.isEmpty)
    }
}
