import Foundation
import Testing
@testable import Extraction

/// libxml2 stops parsing 256 elements deep and silently drops the rest of the page; these
/// pages go deeper on purpose (generated here, as hostile or broken pages are).
@Suite("Pages nested deeper than libxml2 reads")
struct DeepNestingTests {
    let url = URL(string: "https://news.example.com/2023/06/17/deep.html")!
    static let paragraph = "The harbour council approved the library budget on Tuesday evening after a long debate "
        + "about opening hours, the reading room and the repair of the old roof, which leaks every winter."

    static func page(depth: Int, tag: String = "div", before: Int = 0) -> String {
        let body = (1...5).map { "<p>\(paragraph) Paragraph \($0) of the story.</p>" }.joined()
        return "<html><head><title>Council approves the library budget</title></head><body>"
            + String(repeating: "<\(tag) class=\"wrap\">", count: depth)
            + "<article><h1>Council approves the library budget</h1>\(body)</article>"
            + String(repeating: "</\(tag)>", count: depth)
            + "<footer><p>Text after the nesting: the page's last words.</p></footer></body></html>"
    }

    @Test("an article nested 10,000 elements deep keeps all its paragraphs", arguments: ["div", "span", "section"])
    func tenThousandDeep(tag: String) throws {
        let article = try Extractor().extract(html: Self.page(depth: 10_000, tag: tag), url: url).get()
        for n in 1...5 { #expect(article.text.contains("Paragraph \(n) of the story."), "paragraph \(n)") }
        #expect(article.title == "Council approves the library budget")
    }

    @Test("the parse notes the flattening, and the text after the nesting is still there")
    func documentIsFlattened() throws {
        let deep = try #require(HTMLDocument(html: Self.page(depth: 10_000), url: url))
        #expect(deep.wasFlattened)
        #expect(!deep.isCutShortByNesting)
        #expect(deep.root?.text.contains("the page's last words") == true)
        let depths = deep.select(xpath: "//p").map(\.depth)
        #expect((depths.max() ?? 0) < 256)
        // A page within the limit is parsed once, as written.
        let shallow = try #require(HTMLDocument(html: Self.page(depth: 100), url: url))
        #expect(!shallow.wasFlattened)
        #expect(shallow.select(xpath: "//p").first?.depth ?? 0 > 100)
    }

    @Test("unclosed tags, comments, scripts and quoted '>' around the nesting do not confuse the flattening")
    func awkwardMarkup() throws {
        let noise = "<!-- <div> in a comment --><script>var s = '<div><div>';</script><p title=\"a > b\">x"
        let html = "<html><body>" + noise + String(repeating: "<div><p>", count: 3_000)
            + "<article><p>\(Self.paragraph)</p><p>\(Self.paragraph) Closing words.</p></article></body></html>"
        let article = try Extractor().extract(html: html, url: url).get()
        #expect(article.text.contains("Closing words."))
        #expect(!article.text.contains("var s"))
    }

    @Test("the sanitizer keeps the text of a 10,000-deep fragment")
    func sanitizer() {
        let html = String(repeating: "<blockquote>", count: 10_000) + "<p>deep words</p>" + String(repeating: "</blockquote>", count: 10_000)
        let sanitized = HTMLSanitizer.sanitize(html: html, url: url)
        #expect(sanitized.contains("deep words"))
    }
}
