import Foundation
import Testing
import Extraction
import TidingsCore
@testable import Discovery

@Suite("[discover] links selectors")
struct SelectorLinksTests {
    static let html = """
    <html><body>
    <div id="main" class="col news-list">
      <ul class="list">
        <li class="odd"><a href="/a.html" data-kind="story-main">A</a></li>
        <li><a href="/b.html" data-kind="story">B</a><span>x</span></li>
        <li class="odd"><a href="/c.html">C</a></li>
      </ul>
      <p><a href="http://other.example/d.html" title='say "hi"'>D</a></p>
    </div>
    <div class="news-listing"><a href="/e.html">E</a></div>
    </body></html>
    """

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
