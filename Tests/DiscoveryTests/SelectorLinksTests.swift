import Foundation
import Testing
import TestSupport
import Extraction
import TidingsCore
@testable import Discovery

@Suite("[discover] links selectors")
struct SelectorLinksTests {
    static let html = SelectorFixture.html

    @Test("a configured selector chooses the links; one matching nothing falls back with a warning")
    func selectorInDiscovery() throws {
        let url = URL(string: "https://example.com/")!
        let page = Page(requestedURL: url, url: url, text: Self.html)
        let chosen = LinkDiscoverer().discover(page: page, rules: DiscoverRules(links: "ul.list li"), limit: 10)
        #expect(chosen.links.map(\.url.path) == ["/a.html", "/b.html", "/c.html"])
        #expect(chosen.links.allSatisfy { $0.via == .selector })
        let none = LinkDiscoverer().discover(page: page, rules: DiscoverRules(links: "table a"), limit: 10)
        #expect(none.warnings.first?.contains("matched no links") == true)
        #expect(none.links.allSatisfy { $0.via == .pageLinks })
    }

    @Test("an XPath in parentheses chooses links, as tidings check accepts it")
    func parenthesizedXPath() throws {
        let url = URL(string: "https://example.com/")!
        let page = Page(requestedURL: url, url: url, text: Self.html)
        let chosen = LinkDiscoverer().discover(page: page, rules: DiscoverRules(links: "(//ul/li)[2]"), limit: 10)
        #expect(chosen.links.map(\.url.path) == ["/b.html"])
        #expect(chosen.links.allSatisfy { $0.via == .selector })
    }
}
