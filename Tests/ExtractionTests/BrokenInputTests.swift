import Foundation
import Testing
import Fetching
@testable import Extraction

@Suite("Broken input never crashes and always gives a reason")
struct BrokenInputTests {
    let url = URL(string: "http://example.com/broken")!

    @Test("an empty page is refused as empty")
    func emptyPage() {
        guard case .failure(let failure) = Extractor().extract(html: "", url: url) else {
            Issue.record("an empty page gave an article")
            return
        }
        #expect(failure.reason == .emptyPage)
        #expect(failure.detail.contains("http://example.com/broken"))
    }

    @Test("binary garbage is refused, not crashed on")
    func binaryGarbage() {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let decoded = CharsetDecoder.decode(bytes, contentType: "application/octet-stream")
        if case .success(let article) = Extractor().extract(html: decoded.text, url: url) {
            #expect(article.text.unicodeScalars.allSatisfy { XMLText.isLegal($0) })
        }
    }

    @Test("a page cut off mid-tag still gives the paragraphs before the cut")
    func truncatedPage() throws {
        let full = String(decoding: try Fixture.data("news-en.html"), as: UTF8.self)
        let cut = String(full.prefix(while: { _ in true }).prefix(full.count * 2 / 3))
        let article = try Extractor().extract(html: cut, url: url).get()
        #expect(article.text.contains("The city council voted 7-2"))
    }

    @Test("control characters and NULs never reach the text or HTML")
    func illegalCharacters() throws {
        let paragraph = "A long enough paragraph\u{1} with a control character\u{0B} and more words, so that it reads as an article body, sentence after sentence, with commas, periods."
        let html = "<html><body><article><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></article></body></html>"
        let article = try Extractor().extract(html: html, url: url).get()
        #expect(!article.text.contains("\u{1}"))
        #expect(!article.html.contains("\u{0B}"))
    }

    @Test("a page made of one huge unclosed nesting does not crash")
    func deepNesting() {
        let html = String(repeating: "<div>", count: 5000) + "text" + String(repeating: "<span>", count: 5000)
        _ = Extractor().extract(html: html, url: url)
    }

    @Test("a page with only navigation is refused")
    func navigationOnly() {
        let html = "<html><body><nav><a href=/a>One</a> <a href=/b>Two</a></nav><footer>© Site</footer></body></html>"
        guard case .failure = Extractor().extract(html: html, url: url) else {
            Issue.record("a navigation-only page gave an article")
            return
        }
    }

    @Test("a NUL byte before the body, in the head or inside a tag does not cut off the article after it", arguments: [
        "\u{0}<html><head><title>Story</title></head><body>",
        "<html><head>\u{0}<title>Story</title></head><body>",
        "<html><head><title>Story</title><meta name=\"x\" content=\"a\u{0}b\"></head><body>",
        "<html><head><title>Story</title></head><body class=\"a\u{0}b\">",
    ])
    func nulByteKeepsTheRest(start: String) throws {
        let paragraph = "A long enough paragraph of the article, so that it reads as a body, sentence after sentence, with commas, periods."
        let page = start + "<article><p>\(paragraph)</p><p>\(paragraph)</p>"
            + "<p>The last paragraph names the winner of the vote, clearly and at length, for the readers.</p></article></body></html>"
        // libxml2 took the NUL for the end of the page: "no visible text", or no <html> at all.
        let decoded = CharsetDecoder.decode(Data(page.utf8), contentType: "text/html; charset=utf-8")
        let article = try Extractor().extract(html: decoded.text, url: url).get()
        #expect(article.text.contains("names the winner of the vote"), "\(article.text)")
    }

    @Test("an article libxml2 leaves in <head> (after an unknown element there) or under a second <html> tag is read as a browser shows it",
          arguments: ["article-inside-head-after-unknown-tag.html", "article-under-broken-html-tag.html"])
    func articleOutsideBody(fixture: String) throws {
        let article = try Fixture.article(fixture, url: "http://news.example.com/show/203537.php")
        #expect(article.title == "Fantasy novel tops the year's best-seller list")
        #expect(article.text.hasPrefix("London, Dec 29: The fantasy novel topped"))
        #expect(article.text.contains("expected the trend to continue into the next spring"))
        #expect(!article.text.contains("Submit a press release"))
    }

    @Test("broken <head> and <html> structure never crashes and keeps the page's text", arguments: [
        "<html><head><title>T</title><mbox>TEXT</mbox></head><body><p>after</p></body></html>",
        "<html a=\"<html>\"><html><html><body>TEXT</body></html></html>",
        "<html><head></head></html><html><head><title>T</title></head><body>TEXT</body></html><html>more</html>",
        "<html><body><p>x</p></body><html>TEXT</html></html>",
        "<head><tr><td>TEXT</td></tr></head>",
        "<html><head>TEXT<mbox></mbox><title>T</title></head></html>",
    ])
    func brokenStructure(html: String) {
        guard let document = HTMLDocument(html: html, url: url) else { return }
        let body = document.select(xpath: "/html/body").map(\.text).joined()
        #expect(body.contains("TEXT"), "\(body)")
        #expect(document.select(xpath: "/html").count == 1)
        _ = Extractor().extract(html: html, url: url)
    }
}
