import Foundation
import Testing
import TestSupport
import TidingsCore
@testable import Extraction

@Suite("Translating the CSS subset to XPath")
struct SelectorTranslatorTests {
    static let html = SelectorFixture.html
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
}


/// The [extract] rules run through the same translator `tidings check` validates with.
@Suite("[extract] rules use the checked translator")
struct ExtractRuleSelectorTests {
    static let paragraph = "Reporters at the harbour counted forty-two ferries leaving before noon, a record for the spring season that officials attribute to the new timetable."
    static let page = """
        <html><head><title>Ferries set a record</title></head><body>
        <article><h1>Ferries set a record</h1>
        <p>\(paragraph)</p>
        <p class="xb lead">The ferry company also plans a night crossing to the outer islands from July, with two sailings every Friday and Saturday.</p>
        <p>\(paragraph) The harbour master expects the same numbers again next week.</p>
        </article>
        <article><h2>Unrelated teaser</h2><p>\(paragraph) This copy belongs to another story entirely and must not be chosen.</p></article>
        </body></html>
        """

    func extract(_ rules: ExtractRules) throws -> Article {
        let extractor = Extractor(configuration: ExtractorConfiguration(rules: rules))
        return try extractor.extract(html: Self.page, url: URL(string: "https://news.example.com/ferries.html")!).get()
    }

    @Test("remove = [\"p[class^=x]\"] passes the check and removes the paragraph")
    func prefixAttributeRemoves() throws {
        var source = Source(id: "x", title: "X", url: URL(string: "https://news.example.com/")!)
        source.extract.remove = ["p[class^=x]"]
        #expect(SelectorCheck.problems(in: source, file: "x.toml").isEmpty)
        #expect(try extract(ExtractRules()).text.contains("night crossing"), "the fixture keeps the promo without the rule")
        #expect(try !extract(ExtractRules(remove: ["p[class^=x]"])).text.contains("night crossing"))
    }

    @Test("content = \"(//article)[1]\" passes the check and chooses the first article")
    func parenthesizedXPathContent() throws {
        var source = Source(id: "x", title: "X", url: URL(string: "https://news.example.com/")!)
        source.extract.content = "(//article)[1]"
        #expect(SelectorCheck.problems(in: source, file: "x.toml").isEmpty)
        let article = try extract(ExtractRules(content: "(//article)[1]"))
        #expect(article.text.contains("harbour master"))
        #expect(!article.text.contains("another story entirely"))
    }

    @Test("a selector the check refuses selects nothing in extraction either")
    func refusedSelectsNothing() throws {
        var source = Source(id: "x", title: "X", url: URL(string: "https://news.example.com/")!)
        source.extract.remove = ["p:not(.xb)"]
        #expect(SelectorCheck.problems(in: source, file: "x.toml").map(\.key) == ["extract.remove[0]"])
        #expect(try extract(ExtractRules(remove: ["p:not(.xb)"])).text.contains(Self.paragraph))
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
