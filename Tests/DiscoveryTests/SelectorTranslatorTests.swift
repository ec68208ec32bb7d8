import Foundation
import Testing
import Extraction
import TidingsCore
@testable import Discovery

@Suite("Translating the CSS subset to XPath")
struct SelectorTranslatorTests {
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
    let document = HTMLDocument(html: html, url: URL(string: "https://example.com/")!)!

    func texts(_ css: String) throws -> [String] {
        let xpath = try SelectorTranslator.xpath(for: css).get()
        return document.select(xpath: xpath).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    @Test("each supported form selects what a browser selects", arguments: [
        ("a", ["A", "B", "C", "D", "E"]),
        ("#main a", ["A", "B", "C", "D"]),
        (".news-list a", ["A", "B", "C", "D"]),          // class match is whole-word, not substring
        ("ul.list > li > a", ["A", "B", "C"]),
        ("div > a", ["E"]),
        ("li.odd a, p a", ["A", "C", "D"]),
        ("a[title]", ["D"]),
        ("a[href='/b.html']", ["B"]),
        ("a[href*=other]", ["D"]),
        ("a[href^=\"/\"]", ["A", "B", "C", "E"]),
        ("a[data-kind=story]", ["B"]),
        ("li:first-child a", ["A"]),
        ("li:nth-of-type(2) > a", ["B"]),
        ("* > ul li a", ["A", "B", "C"]),
    ])
    func supported(css: String, expected: [String]) throws {
        #expect(try texts(css) == expected)
    }

    @Test("XPath passes through when it starts with / or ./ and is checked for syntax")
    func xpath() throws {
        #expect(try SelectorTranslator.xpath(for: "//ul/li/a").get() == "//ul/li/a")
        #expect(try SelectorTranslator.xpath(for: "./a").get() == "./a")
        let error = try #require(SelectorTranslator.xpath(for: "//ul[").failure)
        #expect(error.reason.contains("XPath"))
    }

    @Test("parts outside the subset are errors naming the part", arguments: [
        ("a:hover", ":hover"),
        ("li + li", "+"),
        ("h2 ~ p", "~"),
        ("a[href$=html]", "[href$=html]"),
        ("li:nth-child(2)", ":nth-child(2)"),
        ("*:nth-of-type(2)", "*:nth-of-type(2)"),
        ("li:nth-of-type(odd)", ":nth-of-type(odd)"),
        ("div >", ""),
        ("a, ", ""),
        ("", ""),
    ])
    func unsupported(css: String, part: String) throws {
        let error = try #require(SelectorTranslator.xpath(for: css).failure)
        #expect(error.unsupportedPart == part)
        #expect(error.description.contains("Supported CSS"))
    }

    @Test("tidings check reports every bad selector of a source with file and key")
    func check() throws {
        var source = Source(id: "x", title: "X", url: URL(string: "https://example.com/")!)
        source.discover.links = "ul.list a:hover"
        source.extract.content = "#article-body"
        source.extract.remove = [".share", "div ~ p"]
        let problems = SelectorCheck.problems(in: source, file: "x.toml")
        #expect(problems.map(\.key) == ["discover.links", "extract.remove[1]"])
        #expect(problems[0].description.hasPrefix("x.toml: key 'discover.links': "))
        #expect(problems[0].description.contains("':hover'"))
    }

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
}

extension Result {
    var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
