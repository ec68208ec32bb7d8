import Foundation
import Testing
import TidingsCore
@testable import Extraction

/// Pages that show their content only to readers without scripts, editor-only credits, short
/// headlines and disagreeing date declarations (issue #13).
@Suite("Noscript pages, editor credits, headline and date agreement")
struct NoscriptAndMetadataAgreementTests {
    @Test("a forum that renders its posts only inside <noscript> (Discourse's crawler view) is read from it")
    func forumInNoscript() throws {
        let article = try Fixture.article("forum-noscript-crawler-view.html",
                                          url: "https://forum.example.org/t/is-a-new-minimum-compiler-version-a-breaking-change/4242")
        #expect(article.text.contains("Our library promises to build with every compiler released in the last two years"))
        #expect(article.text.contains("It is not breaking in the sense the versioning rules care about"))
        #expect(!article.text.contains("Guidelines"))
        #expect(article.title == "Is a new minimum compiler version a breaking change?")
    }

    @Test("a <noscript> beside a visible article stays out of it, and one in the head keeps the head's metadata")
    func noscriptBesideArticle() throws {
        let paragraph = String(repeating: "The council voted to keep the library on Mill Street open for another five years. ", count: 4)
        let html = """
            <html><head><title>Library stays open - Riverside Courier</title><noscript><img src="/pixel.gif"></noscript>
            <meta property="article:published_time" content="2024-05-02T08:00:00Z"></head>
            <body><article><h1>Library stays open</h1><p>\(paragraph)</p><p>\(paragraph)</p></article>
            <noscript><p>Please enable JavaScript to see the comments powered by a third-party widget on this page.</p></noscript>
            </body></html>
            """
        let article = try Extractor().extract(html: html, url: URL(string: "https://courier.example/library")!).get()
        #expect(article.text.contains("keep the library on Mill Street open"))
        #expect(!article.text.contains("enable JavaScript"))
        #expect(article.published?.rfc3339 == "2024-05-02T08:00:00Z")
    }

    @Test("the prefilter keeps the markup of a body <noscript> and drops a head one")
    func prefilterNoscript() {
        let html = "<html><head><noscript><img src=a></noscript></head><body><noscript><p>shown without scripts</p></noscript></body></html>"
        let out = String(decoding: MarkupPrefilter.strip(html), as: UTF8.self)
        #expect(out.contains("<p>shown without scripts</p>"))
        #expect(!out.contains("<img src=a>"))
    }

    @Test("a portal item that credits only its editor is the editor's; a reporter's byline wins over the editor")
    func editorCredit() throws {
        let article = try Fixture.article("portal-editor-credit.html", url: "http://news.example.cn/world/2006-05/12/content_1.htm")
        #expect(article.author == "山石")
        #expect(BylineParser.editor(in: "（ 责任编辑：魏喆 ）") == "魏喆")
        #expect(BylineParser.editor(in: "责编：王小明") == "王小明")
        for line in ["编辑部地址：北京市东城区", "本报编辑认为这一说法并不准确", "总编辑：", "欢迎投稿给编辑"] {
            #expect(BylineParser.editor(in: line) == nil, "\(line)")
        }
        let withReporter = """
            <html lang="zh-CN"><head><title>新闻</title></head><body><div id="content">
            <p>本报记者 张华</p>
            <p>\(String(repeating: "市政府今天召开新闻发布会，介绍了今年城市更新工作的进展情况和下一步安排。", count: 4))</p>
            <p>责任编辑：李四</p></div></body></html>
            """
        let reported = try Extractor().extract(html: withReporter, url: URL(string: "http://news.example.cn/a.htm")!).get()
        #expect(reported.author == "张华")
    }

    @Test("a headline of three characters that is a whole part of the <title> is the title, not the site name")
    func shortHeadline() {
        #expect(TitleCleaner.title(candidates: ["金锺国 - 维基百科，自由的百科全书"], headings: ["金锺国"],
                                   siteName: "维基百科，自由的百科全书") == "金锺国")
        // a heading that is only part of a longer word stays a heading candidate only when whole
        #expect(TitleCleaner.title(candidates: ["金锺国传记 - 示例百科"], headings: ["金锺国"], siteName: nil) == "金锺国传记")
    }

    @Test("a Chinese headline beats a Latin site name that has more letters")
    func cjkHeadlineAgainstLatinSiteName() {
        #expect(TitleCleaner.stripSiteName("北京今冬首场降雪 - Beijing Morning Daily", siteName: nil) == "北京今冬首场降雪")
        #expect(TitleCleaner.stripSiteName("Daily | A much longer English headline about the budget vote", siteName: nil)
                == "A much longer English headline about the budget vote")
    }

    @Test("a masthead <h1> that is the site's name is no headline")
    func mastheadHeading() {
        #expect(TitleCleaner.title(candidates: ["Raising hens - Hen House Diary"],
                                   headings: ["Hen House Diary"], siteName: "Hen House Diary") == "Raising hens")
    }

    @Test("when the declared dates name different days, the one the other sources share wins")
    func dateAgreement() throws {
        let paragraph = String(repeating: "The harbour authority opened the new ferry terminal to passengers this morning. ", count: 4)
        func page(jsonLD: String, meta: String, time: String) -> String {
            """
            <html><head><title>Ferry terminal opens</title>
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"\(jsonLD)"}</script>
            <meta property="article:published_time" content="\(meta)"></head>
            <body><article><h1>Ferry terminal opens</h1><time pubdate datetime="\(time)">\(time)</time>
            <p>\(paragraph)</p><p>\(paragraph)</p></article></body></html>
            """
        }
        let url = URL(string: "https://port.example/news/ferry-terminal")!
        let outvoted = try Extractor().extract(html: page(jsonLD: "2024-03-10T02:00:00Z", meta: "2024-03-08T16:00:00Z",
                                                          time: "2024-03-08T16:00:00Z"), url: url).get()
        #expect(outvoted.published?.rfc3339 == "2024-03-08T16:00:00Z")
        let agreeing = try Extractor().extract(html: page(jsonLD: "2024-03-08T16:00:00Z", meta: "2024-03-08T17:00:00Z",
                                                          time: "2024-03-08T18:00:00Z"), url: url).get()
        #expect(agreeing.published?.rfc3339 == "2024-03-08T16:00:00Z")
        #expect(MetadataResolver.mostAgreed([], witnesses: { [] }) == nil)
    }

    @Test("JSON-LD of any schema.org Article subtype gives the date, slashes escaped as \\/ included")
    func jsonLDArticleSubtypes() throws {
        // BBC's article pages: the only date on the page is in JSON-LD of @type ReportageNewsArticle.
        let script = #"{"@context":"http:\/\/schema.org","@type":"ReportageNewsArticle","url":"https:\/\/news.example\/world-52241221","datePublished":"2020-04-10T17:58:15+01:00","headline":"City ramps up ferry service"}"#
        var linked = JSONLinkedData()
        linked.add(script)
        #expect(linked.datePublished == "2020-04-10T17:58:15+01:00")
        #expect(linked.headline == "City ramps up ferry service")
        for type in ["SatiricalArticle", "DiscussionForumPosting", "NewsArticle", "WebPage"] {
            #expect(JSONLinkedData.isArticleType(type.lowercased()), "\(type)")
        }
        for type in ["Organization", "BreadcrumbList", "Person", "WebSite", "ImageObject"] {
            #expect(!JSONLinkedData.isArticleType(type.lowercased()), "\(type)")
        }
    }

    @Test("a UTC published_time that a <time> writes as the same instant in -04:00 keeps the local day")
    func utcMetaLocalTimeElement() throws {
        let article = try Fixture.article("utc-meta-local-time-element.html", url: "https://diariodelvalle.example/concejo-presupuesto/")
        #expect(article.published?.rfc3339 == "2022-05-03T23:37:37-04:00")
        func found(_ text: String) -> DateScanner.Found { DateScanner.first(in: text)! }
        let utc = found("2022-05-04T03:37:37Z")
        // another instant, a UTC twin, or a date without time of day changes nothing
        #expect(MetadataResolver.inLocalOffset(utc, among: [found("2022-05-03T23:30:00-04:00")]) == utc)
        #expect(MetadataResolver.inLocalOffset(utc, among: [found("2022-05-04T03:37:37+00:00")]) == utc)
        #expect(MetadataResolver.inLocalOffset(found("2022-05-04"), among: [found("2022-05-03T20:00:00-04:00")]) == found("2022-05-04"))
        // a local time is kept as written even when a UTC twin exists
        let local = found("2022-05-04T05:37:37+02:00")
        #expect(MetadataResolver.inLocalOffset(local, among: [utc]) == local)
    }

    @Test("a <time> whose datetime no scanner reads (01-11-2023, day and month ambiguous) is read from its text")
    func ambiguousTimeDatetime() throws {
        let article = try Fixture.article("ambiguous-time-datetime.html", url: "https://rundschau.example/politik/festspiel-reisen")
        #expect(article.published?.rfc3339 == "2023-11-01T10:29:00Z")
        let url = URL(string: "https://rundschau.example/politik/festspiel-reisen")!
        let document = try #require(HTMLDocument(html: String(decoding: try Fixture.data("ambiguous-time-datetime.html"), as: UTF8.self), url: url))
        let root = try #require(document.root)
        let metadata = PageMetadata(document: document, hints: DocumentAnalysis(root: root.pointer).metadataHints)
        #expect(metadata.timeElements.map(\.datetime) == ["1. November 2023 10:29"])
    }

    @Test("a <time> with a template placeholder or garbage in datetime and text gives no date and no crash")
    func unreadableTimeElements() throws {
        let paragraph = String(repeating: "The school board met on Tuesday evening to discuss the new bus timetable. ", count: 4)
        for (datetime, text) in [("{{ createdAt }}", "{{ createdAt | date }}"), ("01-11-2023", ""), ("", "yesterday"),
                                 ("99-99-9999 99:99", "32. Foo 0000 25:61"), ("\u{FFFD}-11-2023", "\u{FFFD}")] {
            let html = """
                <html><head><title>Bus timetable</title></head><body><article><h1>Bus timetable</h1>
                <time datetime="\(datetime)">\(text)</time><p>\(paragraph)</p><p>\(paragraph)</p></article></body></html>
                """
            let article = try Extractor().extract(html: html, url: URL(string: "https://school.example/news/bus")!).get()
            #expect(article.published == nil, "\(datetime)")
        }
    }
}

@Suite("Pages libxml2 nests into a control")
struct SwallowingControlTests {
    @Test("an article that libxml2 nests inside a header <button> left open by an unclosed <div> is read")
    func articleInsideButton() throws {
        let article = try Fixture.article("article-inside-unclosed-button.html", url: "https://money.example/terms/c/compound-interest.asp")
        #expect(article.text.contains("Compound interest is interest calculated on the initial principal"))
        #expect(article.text.contains("unpaid interest is added to the balance each month"))
        #expect(!article.text.contains("Calculators"))
        #expect(article.title == "What Is Compound Interest?")
    }

    @Test("a real button's label stays out of the text")
    func buttonLabelStaysOut() throws {
        let paragraph = String(repeating: "The bakery on Elm Street reopened after a month of repairs to its ovens. ", count: 4)
        let html = "<html><body><article><h1>Bakery reopens</h1><p>\(paragraph)</p><button>Subscribe to our newsletter</button><p>\(paragraph)</p></article></body></html>"
        let article = try Extractor().extract(html: html, url: URL(string: "https://elm.example/bakery")!).get()
        #expect(article.text.contains("reopened after a month"))
        #expect(!article.text.contains("Subscribe"))
    }
}
