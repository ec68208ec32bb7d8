import Foundation
import Testing
@testable import Extraction

/// Western bylines in the page's text: a credit label opening a line near the headline
/// (issue #13: pages with no author declared in their markup).
@Suite("Labelled bylines")
struct LabelledBylineTests {
    @Test("a line opening with a credit label gives the names up to the next field", arguments: [
        ("By Jane Doe", "Jane Doe"),
        ("Von Peter Maahn/SP-X", "Peter Maahn"),
        ("Autor: Klausmartin Friedrich", "Klausmartin Friedrich"),
        ("ByJ.R. Stone", "J.R. Stone"),
        ("By Chuck Squatriglia January 7, 2009", "Chuck Squatriglia"),
        ("By Scott Pletcher • 11 Minute Read", "Scott Pletcher"),
        ("Von Anna Muster und Kai Beispiel, 12. März 2024", "Anna Muster und Kai Beispiel"),
        ("By Jane Doe on March 3", "Jane Doe"),
        ("Text: Lea van Dijk", "Lea van Dijk"),
        ("Autor:", ""),
        ("Erstellt von Andri Bryner", "Andri Bryner"),
        ("Auteur: Anna Kubišta", "Anna Kubišta"),
        ("Recipe by PJ Hamel", "PJ Hamel"),
        ("Posted by Nathan Parker, Varun Khaneja, Eric Mill and Kiran C Nair - Chrome Safe Browsing team",
         "Nathan Parker, Varun Khaneja, Eric Mill, Kiran C Nair"),
        ("By Jane Doe, Senior Reporter", "Jane Doe"),
        ("Auteur : Kossivi Tiassou", "Kossivi Tiassou"),
    ])
    func credits(line: String, expected: String) {
        #expect(BylineParser.labelledCredit(line) == expected)
    }

    @Test("running text, headlines and products are no bylines", arguments: [
        "Bypass surgery is safer than ever", "by clicking here you agree", "Von der Leyen warnt vor neuer Krise",
        "By 2030 the city wants to be carbon neutral", "Autorenseite", "Textilien aus Bangladesch",
        "Von Kindern, die zu früh erwachsen werden, und was Eltern tun können", "By Lark Manor™",
    ])
    func notCredits(line: String) {
        #expect(BylineParser.labelledCredit(line) == nil)
    }

    @Test("a page with no author in its markup credits the labelled byline under its headline; a label alone takes the next line")
    func bylineUnderHeadline() throws {
        let paragraph = String(repeating: "Der Hersteller stellt die Produktion seiner Modelle schrittweise auf Elektroantrieb um. ", count: 4)
        func page(_ byline: String) -> String {
            """
            <html><head><meta charset="utf-8"><title>Der lange Weg zum Strom</title></head><body>
            <article><h1>Der lange Weg zum Strom</h1>\(byline)
            <div class="text"><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p></div></article>
            </body></html>
            """
        }
        let url = URL(string: "https://autohaus.example/marken/strom")!
        let inline = try Extractor().extract(html: page("<p class=\"meta\">Von Peter Maahn/SP-X</p>"), url: url).get()
        #expect(inline.author == "Peter Maahn")
        let split = try Extractor().extract(html: page("<dl><dt>Datum:</dt><dd>03.11.2021</dd><dt>Autor:</dt><dd>Peter Maahn</dd></dl>"), url: url).get()
        #expect(split.author == "Peter Maahn")
        let none = try Extractor().extract(html: page("<p class=\"kicker\">Von Kindern, die zu früh erwachsen werden</p>"), url: url).get()
        #expect(none.author == nil)
    }

    @Test("a credit that is only a label or a form field names nobody", arguments: [
        ("By", true), ("Written by", true), ("Name *", true), ("Author:", true), ("Posted", true), ("No Author", true), ("admin", true),
        ("Publiziert am", true), ("Posted on", true), ("Follow", true), ("Datum:", true), ("Updated", true),
        ("Your Name: *", true), ("🐧", true),
        ("Sara Brown", false), ("Redaktion", false), ("By Sara Brown", false),
    ])
    func labelOnly(credit: String, isLabel: Bool) {
        #expect(BylineParser.isLabelOnly(credit) == isLabel)
    }

    @Test("a commenter's credit (… says, … sagt) is no author of the page", arguments: [
        ("Scott Fadick says", true), ("gnaddrig Sagt", true), ("Sara Brown", false), ("Says Abdallah", false),
    ])
    func commenters(credit: String, isCommenter: Bool) {
        #expect(BylineParser.isCommenter(credit) == isCommenter)
    }

    @Test("a credit shaped like a host name names a site, not a person", arguments: [
        ("mdr.de", true), ("24horas.cl", true), ("LAOLA1.at", true), ("stol.it / Suedtirol Online", true),
        ("J.R. Stone", false), ("Anna Muster", false), ("christian.stadtfeld", false), ("Dr. Eva Roth", false),
    ])
    func hostNames(credit: String, isSite: Bool) {
        #expect(BylineParser.isOrganisation(credit) == isSite)
    }

    @Test("a comment form's Name field marked up as author is no author of the page")
    func commentFormField() throws {
        let paragraph = String(repeating: "The new ferry terminal opened to passengers this morning after two years of work. ", count: 4)
        let html = """
            <html><head><meta charset="utf-8"><title>Ferry terminal opens</title></head><body>
            <article><h1>Ferry terminal opens</h1><p>\(paragraph)</p><p>\(paragraph)</p></article>
            <form id="commentform"><p class="comment-form-author"><label for="author" class="author">Name *</label>
            <input id="author" name="author"></p></form></body></html>
            """
        let article = try Extractor().extract(html: html, url: URL(string: "https://port.example/news/ferry")!).get()
        #expect(article.author == nil)
    }

    /// A WordPress page whose SEO plugin writes one JSON-LD `@graph`: the Article names its
    /// author and publisher by `@id` only; the Person and the Organization come later in the graph.
    static func graphPage(authorName: String, visibleByline: String = "") -> String {
        let ld = """
            {"@context":"https://schema.org","@graph":[
             {"@type":"Article","@id":"https://blog.example.com/apps/#article","headline":"Which mobile app should you build?",
              "datePublished":"2024-05-02T08:00:00+00:00","author":{"@id":"https://blog.example.com/#/schema/person/7f3a"},
              "publisher":{"@id":"https://blog.example.com/#organization"}},
             {"@type":"Organization","@id":"https://blog.example.com/#organization","name":"Signal Labs"},
             {"@type":"Person","@id":"https://blog.example.com/#/schema/person/7f3a","name":"\(authorName)"}]}
            """
        let paragraph = String(repeating: "Native, hybrid and web apps each trade speed against reach and cost in a different way. ", count: 5)
        return """
            <html><head><meta charset="utf-8"><title>Which mobile app should you build?</title>
            <script type="application/ld+json">\(ld)</script></head><body>
            <article><h1>Which mobile app should you build?</h1>\(visibleByline)<p>\(paragraph)</p><p>\(paragraph)</p></article></body></html>
            """
    }

    @Test("an author and a publisher the JSON-LD graph names by @id are the Person's and the Organization's names")
    func graphReferences() throws {
        let url = URL(string: "https://blog.example.com/apps/")!
        let article = try Extractor().extract(html: Self.graphPage(authorName: "Shiv Kumar"), url: url).get()
        #expect(article.author == "Shiv Kumar")
        #expect(article.outlet == "Signal Labs")
        // a CMS's default account names nobody: the byline on the page does
        let admin = try Extractor().extract(html: Self.graphPage(authorName: "admin", visibleByline: "<p class=\"byline\">By Tobias Kern</p>"), url: url).get()
        #expect(admin.author == "Tobias Kern")
    }

    @Test("JSON-LD with a line break pasted into a string and a trailing comma still gives its author and date")
    func mendedJSONLD() throws {
        let ld = "{\"@context\": \"https://schema.org\", \"@type\": \"BlogPosting\",\n \"description\": \"Seven agencies that know Web3.\n\",\n"
            + " \"datePublished\": \"2025-12-12\",\n \"author\": {\"@type\": \"Person\", \"name\": \"Stephen Jesudunsin\", \"url\": \"\"},\n}"
        let paragraph = String(repeating: "An agency that knows the crypto market writes content search engines and investors both trust. ", count: 5)
        let html = """
            <html><head><meta charset="utf-8"><title>Top blockchain SEO agencies</title>
            <script type="application/ld+json">\(ld)</script></head><body>
            <article><h1>Top blockchain SEO agencies</h1><p>\(paragraph)</p><p>\(paragraph)</p>
            <div class="author-editor-wrap"><div>Written By</div><div>Stephen Jesudunsin</div><div>AI SEO lead</div></div></article></body></html>
            """
        let article = try Extractor().extract(html: html, url: URL(string: "https://agency.example/post/blockchain-seo")!).get()
        #expect(article.author == "Stephen Jesudunsin")
        #expect(article.published.map { String($0.rfc3339.prefix(10)) } == "2025-12-12")
    }

    static func page(underHeadline: String = "", end: String = "") -> String {
        let paragraph = String(repeating: "Schnee, Wind und Temperatur bestimmen, wie stabil die Schneedecke an einem Hang ist. ", count: 5)
        return """
            <html><head><meta charset="utf-8"><title>Einblick in die Lawinenkunde</title></head><body>
            <article><h1>Einblick in die Lawinenkunde</h1>\(underHeadline)
            <div class="article-content"><p>\(paragraph)</p><p>\(paragraph)</p><p>\(paragraph)</p>\(end)</div></article></body></html>
            """
    }

    @Test("an author-marked element holding a name and a date gives the name; a weekday there is no name")
    func nameAndDate() throws {
        let url = URL(string: "https://bergsport.example.ch/blog/lawinen")!
        let named = try Extractor().extract(html: Self.page(underHeadline: "<p class=\"date-author\">Janic Cathomen, 01.12.2021</p>"), url: url).get()
        #expect(named.author == "Janic Cathomen")
        let weekday = try Extractor().extract(html: Self.page(underHeadline: "<p class=\"date-author\">Mittwoch, 01.12.2021</p>"), url: url).get()
        #expect(weekday.author == nil)
    }

    @Test("a labelled credit closing the article (Autor: …, Auteur : …) names its author")
    func creditAtTheEnd() throws {
        let url = URL(string: "https://bergsport.example.ch/blog/lawinen")!
        let article = try Extractor().extract(html: Self.page(end: "<p>Auteur : Kossivi Tiassou</p><p>Edition : M.-A. Pierron</p>"), url: url).get()
        #expect(article.author == "Kossivi Tiassou")
    }
}
