import Foundation
import Testing
@testable import Extraction

/// Dates read from the lines around the body when no declaration gives one, or when the
/// declarations disagree (issue #13).
@Suite("Visible dates around the body")
struct VisibleDateTests {
    let paragraph = String(repeating: "Der Autohandel meldet für das erste Quartal deutlich mehr Zulassungen als im Vorjahr. ", count: 4)

    @Test("a date above a box of nested tag cells is found: each line of the box counts once, not once per enclosing cell")
    func nestedCellsCountOnce() throws {
        // seven tag cells inside one small box: counted once per enclosing element they were
        // 15 lines and pushed the dateline out of the 12 nearest lines
        let tags = (1...7).map { "<div class=\"tag\">Thema \($0)</div>" }.joined()
        let html = """
            <html><head><meta charset="utf-8"><title>Zulassungen steigen</title></head><body>
            <div class="dateline">Erschienen am 14. März 2024</div>
            <div class="tags">Themen\(tags)</div>
            <article><h1>Zulassungen steigen</h1><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></article>
            </body></html>
            """
        let article = try Extractor().extract(html: html, url: URL(string: "https://autohaus.example/handel/zulassungen")!).get()
        #expect(article.published.map { String($0.rfc3339.prefix(10)) } == "2024-03-14")
    }

    @Test("when the declared dates disagree, the dates of related items listed after the body do not vote")
    func relatedItemsDoNotVote() throws {
        let related = (1...2).map { "<li><a href=\"/handel/weitere-\($0)\">Weitere Meldung \($0)</a> <div class=\"date\">10.03.2024</div></li>" }.joined()
        let html = """
            <html><head><meta charset="utf-8"><title>Zulassungen steigen</title>
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-08T09:00:00+01:00"}</script>
            <meta property="article:published_time" content="2024-03-10T06:00:00+01:00"></head><body>
            <article><h1>Zulassungen steigen</h1><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></article>
            <div class="related"><h3>Mehr zum Thema</h3><ul>\(related)</ul></div>
            </body></html>
            """
        let article = try Extractor().extract(html: html, url: URL(string: "https://autohaus.example/handel/zulassungen")!).get()
        #expect(article.published.map { String($0.rfc3339.prefix(10)) } == "2024-03-08")
    }

    @Test("a dateline between the standfirst and the text, both chosen as the body, gives the date and shows in --explain's lines")
    func datelineBetweenBodyParts() throws {
        // each paragraph sits in its own container, so the body is a run of separate elements and the
        // byline and date between the first two belong to none of them
        let url = "https://learn.example/blog/cloud/big-three"
        let article = try Fixture.article("date-between-body-parts.html", url: url)
        #expect(article.published.map { String($0.rfc3339.prefix(10)) } == "2023-06-08")
        let page = try Fixture.page("date-between-body-parts.html", url: url)
        let explained = Extractor().explain(page)
        #expect(explained.lines.between.contains("Jun 08, 2023 • 11 Minute Read"))
        #expect(explained.lines.between.contains("By Scott Pletcher"))
        #expect(!explained.lines.between.contains { $0.contains("Amazon") })
    }
}
