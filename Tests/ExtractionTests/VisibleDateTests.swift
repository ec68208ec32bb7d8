import Foundation
import Testing
import TidingsCore
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

    /// An article whose date is an inline element right after its headline, inside the wrapper that
    /// also holds the body, with a table of contents between headline and body.
    func headlinePage(nextToHeadline: String, afterBody: String = "") -> String {
        let contents = (1...14).map { "<li><a href=\"#teil-\($0)\">Abschnitt \($0)</a></li>" }.joined()
        return """
            <html><head><meta charset="utf-8"><title>Gute Löhne alleine reichen nicht</title></head><body>
            <div id="article"><h1 class="title">Gute Löhne alleine reichen nicht</h1>
            <i class="clock"></i>&nbsp;\(nextToHeadline)
            <span class="category"><a href="/c/ormalingen">Ormalingen</a></span>
            <div class="toc"><ul>\(contents)</ul></div>
            <div class="text"><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></div>
            </div>\(afterBody)
            </body></html>
            """
    }

    @Test("a date next to the headline is found though a table of contents separates headline and body, and it outranks dates after the body")
    func dateNextToHeadline() throws {
        let url = URL(string: "https://volksblatt.example/gute-loehne")!
        let plain = try Extractor().extract(html: headlinePage(nextToHeadline: "<span class=\"publishingdate\">07.11.2023</span>"), url: url).get()
        #expect(plain.published.map { String($0.rfc3339.prefix(10)) } == "2023-11-07")
        let explained = Extractor().explain(Page(requestedURL: url, url: url, text: headlinePage(nextToHeadline: "<span>07.11.2023</span>")))
        #expect(explained.lines.nextToHeadline.first == "07.11.2023")
        let related = "<div class=\"related\"><h3>Mehr zum Thema</h3><ul><li><a href=\"/weitere\">Weitere Meldung</a> <div>10.03.2024</div></li></ul></div>"
        let withRelated = try Extractor().extract(html: headlinePage(nextToHeadline: "<span class=\"publishingdate\">07.11.2023</span>", afterBody: related), url: url).get()
        #expect(withRelated.published.map { String($0.rfc3339.prefix(10)) } == "2023-11-07")
    }

    @Test("a <time> element outranks an Updated line next to the headline")
    func timeElementBeforeHeadlineLine() throws {
        let url = URL(string: "https://volksblatt.example/gute-loehne")!
        let footer = "<footer><p>Erstmals erschienen <time datetime=\"2018-09-20T09:40:57Z\">vor Jahren</time></p></footer>"
        let article = try Extractor().extract(html: headlinePage(nextToHeadline: "<span class=\"updated\">Aktualisiert 28.07.2025</span>", afterBody: footer), url: url).get()
        #expect(article.published?.rfc3339 == "2018-09-20T09:40:57Z")
    }

    @Test("a press release whose first paragraph opens with the date has that date; a date deeper in the text is no dateline")
    func datelineOpeningTheBody() throws {
        func page(_ first: String) -> String {
            """
            <html><head><meta charset="utf-8"><title>Arbeitsmarkt auf Erholungskurs</title></head><body>
            <article><h1>Arbeitsmarkt auf Erholungskurs</h1><p>\(first)</p><p>\(paragraph)</p><p>\(paragraph)</p></article>
            </body></html>
            """
        }
        let url = URL(string: "https://amt.example/presse/arbeitsmarkt")!
        let opening = try Extractor().extract(html: page("<strong>01.02.2022</strong> „Der Arbeitsmarkt ist gut in das Jahr gestartet.“ " + paragraph), url: url).get()
        #expect(opening.published.map { String($0.rfc3339.prefix(10)) } == "2022-02-01")
        let deeper = try Extractor().extract(html: page(paragraph + " Die nächste Erhebung folgt am 01.03.2022."), url: url).get()
        #expect(deeper.published == nil)
    }

    @Test("a <time> without a datetime attribute gives the date its text names (HTML reads the text then), with or without a class")
    func timeElementText() throws {
        let topics = (1...12).map { "<li><a href=\"/thema/\($0)\">Thema Nummer \($0)</a></li>" }.joined()
        for time in ["<time>Published on August 19, 2019</time>", "<time class=\"stamp\">Published on August 19, 2019</time>"] {
            // the post's footer sits below a list of topics, out of reach of the lines after the body
            let html = """
                <html><head><meta charset="utf-8"><title>Ein Wochenende im Wendland</title></head><body>
                <article><h1>Ein Wochenende im Wendland</h1><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></article>
                <ul class="topics">\(topics)</ul>
                <footer class="post-meta">Inga Hoeltmann · \(time)</footer>
                </body></html>
                """
            let article = try Extractor().extract(html: html, url: URL(string: "https://pulse.example/ein-wochenende")!).get()
            #expect(article.published.map { String($0.rfc3339.prefix(10)) } == "2019-08-19", "\(time)")
        }
    }
}
