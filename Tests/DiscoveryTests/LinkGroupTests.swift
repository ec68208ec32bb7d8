import Foundation
import Testing
import TidingsCore
@testable import Discovery
import Extraction

/// Link groups, their scores and their reasons (issue #12), and the cost of discovery on long
/// lists (issue #11: 4,000 `<li class="fl">` took 13.5 s).
@Suite("Link groups of listing pages")
struct LinkGroupTests {
    static func page(_ html: String, url: String = "https://news.example.com/list/") -> Page {
        let u = URL(string: url)!
        return Page(requestedURL: u, url: u, text: html)
    }

    @Test("class and id names split into whole tokens at -, _, camelCase and digits", arguments: [
        ("position-relative", ["position", "relative"]),
        ("sideBySide", ["side", "by", "side"]),
        ("tower-inhouse-ad", ["tower", "inhouse", "ad"]),
        ("list2 news_item", ["list", "2", "news", "item"]),
        ("md:hover:bg-black/50", ["md", "hover", "bg", "black", "50"]),
        ("", []),
    ])
    func tokens(name: String, expected: [String]) {
        #expect(NameTokens.tokens(name) == expected)
    }

    @Test("no furniture word matches inside a longer class name")
    func wholeTokens() {
        for name in ["position-relative", "sidebyside", "shadow", "navy-blue", "adventure", "tagline", "admin"] {
            let hints = NameTokens.tokens(name).compactMap { PageRegions.furnitureTokens[$0] }
            #expect(hints.isEmpty, "\(name): \(hints)")
        }
        #expect(NameTokens.tokens("site-footer").compactMap { PageRegions.furnitureTokens[$0] } == [.navigation])
    }

    @Test("URL templates blank ids, dates and slugs but keep section words", arguments: [
        ("https://x.example.com/news/2025/11/ferry-timetable-changes", "x.example.com/news/9/9/s"),
        ("https://x.example.com/news/2025/12/library-opens", "x.example.com/news/9/9/s"),
        ("https://x.example.com/world/", "x.example.com/world"),
        ("https://x.example.com/vb.html", "x.example.com/w.html"),
        ("https://x.example.com/forum/index.php?threads/old-recipes.22530/", "x.example.com/forum/w.php/?threads/s"),
        ("https://x.example.com/article.php?id=5821&cat=1", "x.example.com/w.php/?cat=&id="),
    ])
    func templates(url: String, template: String) {
        #expect(URLTemplate.of(URL(string: url)!) == template)
    }

    @Test("a long list of short titles of one URL shape is kept; the menu of short links beside it is not")
    func shortTitles() throws {
        let items = (1...12).map { "<li><a href=\"/essay\($0).html\">Essay \(["Cities", "Wealth", "Taste", "Lies"][$0 % 4])</a></li>" }.joined()
        let html = """
        <html><body><ul class="menu"><li><a href="/">Home</a></li><li><a href="/books.html">Books</a></li>
        <li><a href="/about.html">About</a></li></ul><div><ul>\(items)</ul></div></body></html>
        """
        let links = LinkDiscoverer().discover(page: Self.page(html, url: "https://essays.example.com/"), limit: 100).links
        #expect(links.map(\.url.path) == (1...12).map { "/essay\($0).html" })
    }

    @Test("a card wrapped in one anchor (image, kicker, headline, summary) gives its headline")
    func cards() throws {
        let cards = (1...6).map { i in
            """
            <a class="card" href="/culture/how-libraries-became-town-squares-\(i)"><img src="/i\(i).jpg" alt="">
            <span class="kicker">Culture</span><div class="t">How city libraries became the new town square, part \(i)</div>
            <p>A long summary of the feature that runs on for two sentences, with details that are not the title of the story at all.</p></a>
            """
        }.joined()
        let links = LinkDiscoverer().discover(page: Self.page("<html><body><main>\(cards)</main></body></html>"), limit: 100).links
        #expect(links.count == 6)
        #expect(links.first?.title == "How city libraries became the new town square, part 1")
    }

    @Test("the limit applies after discovery: a 467-item list gives all its links, a smaller limit its first ones")
    func limitAfterScoring() throws {
        let items = (1...467).map { "<li><a href=\"/rank/2025/item-\($0)\">Ranked story number \($0) of the year</a></li>" }.joined()
        let page = Self.page("<html><body><ol>\(items)</ol></body></html>")
        let all = LinkDiscoverer().discover(page: page, limit: 1000).links
        #expect(all.count == 467)
        let first = LinkDiscoverer().discover(page: page, limit: 50).links
        #expect(first == Array(all.prefix(50)))
    }

    @Test("--explain names every group with its parts and a reason, and its sum is the score")
    func explanation() throws {
        let items = (1...5).map { "<li><a href=\"/news/2025/11/2\($0)/story-about-the-harbour-\($0)\">Story about the harbour and the ferry, part \($0)</a></li>" }.joined()
        let html = "<html><body><nav><a href=\"/\">Home</a><a href=\"/news/\">News</a></nav><ul class=\"list\">\(items)</ul></body></html>"
        let explanation = LinkDiscoverer().explain(page: Self.page(html))
        #expect(explanation.result.links.count == 5)
        let kept = explanation.groups.filter(\.kept)
        #expect(kept.count == 1)
        #expect(kept.first?.path.hasSuffix("ul.list > li > a") == true)
        #expect(kept.first?.reason.hasPrefix("kept") == true)
        #expect(kept.first?.urls == explanation.result.links.map(\.url.absoluteString))
        let nav = try #require(explanation.groups.first { $0.path.contains("nav") })
        #expect(nav.reason == "dropped: inside <nav>")
        #expect(nav.urls == ["https://news.example.com/", "https://news.example.com/news/"])
        for g in explanation.groups {
            #expect(abs(g.parts.text + g.parts.url + g.parts.structure + g.parts.furniture - g.score) < 1e-9)
        }
    }

    @Test("a page built by script gets the advice render = true; a server-built page the advice of a selector")
    func noLinksAdvice() throws {
        let shell = """
        <html><head><script>\(String(repeating: "window.__APP__={};", count: 400))</script></head>
        <body><div id="root"></div><noscript>You need to enable JavaScript to run this app.</noscript></body></html>
        """
        let page = Self.page(shell)
        let discoverer = LinkDiscoverer()
        #expect(discoverer.discover(page: page, limit: 50).links.isEmpty)
        let signs = DiscoveryDiagnosis.signs(of: try #require(HTMLDocument(html: shell, url: page.url)))
        #expect(signs.looksScriptBuilt && signs.hasNoscriptNotice)
        let message = DiscoveryDiagnosis.noArticleLinks(pageURL: page.url, signs: signs, groups: discoverer.explain(page: page).groups,
                                                        feed: nil, sitemaps: [], selector: nil)
        #expect(message.hasPrefix("no article links on https://news.example.com/list/: tried "))
        #expect(message.contains("a feed (the page advertises none)") && message.contains("a sitemap"))
        #expect(message.contains("render = true"))

        let menuOnly = "<html><body><nav><a href=\"/a\">A</a><a href=\"/b\">B</a></nav><p>\(String(repeating: "Plain words of a page. ", count: 40))</p></body></html>"
        let menuPage = Self.page(menuOnly)
        let menuSigns = DiscoveryDiagnosis.signs(of: try #require(HTMLDocument(html: menuOnly, url: menuPage.url)))
        #expect(!menuSigns.looksScriptBuilt)
        let advice = DiscoveryDiagnosis.noArticleLinks(pageURL: menuPage.url, signs: menuSigns, groups: discoverer.explain(page: menuPage).groups,
                                                       feed: nil, sitemaps: [URL(string: "https://news.example.com/sitemap.xml")!], selector: "div.none a")
        #expect(advice.contains("1 link group on the page (none scored as an article list"))
        #expect(advice.contains("the selector [discover] links = \"div.none a\" (no match)"))
        #expect(advice.contains("the sitemap https://news.example.com/sitemap.xml (no article URLs)"))
        #expect(advice.contains("[discover] links to a CSS selector") && !advice.contains("render = true"))
    }

    /// Elements in the page, for the bound below.
    static func elementCount(_ html: String) -> Int {
        var n = 0
        HTMLDocument(html: html, url: URL(string: "https://news.example.com/")!)?.root?.walk { node in
            if node.isElement { n += 1 }
            return true
        }
        return n
    }

    static func operations(_ html: String) throws -> Int {
        let url = URL(string: "https://news.example.com/list/")!
        let document = try #require(HTMLDocument(html: html, url: url))
        return PageLinkAnalysis(document: document, pageURL: url, configuration: .init()).analyze().operations
    }

    /// The page of issue #11: one two-column layout (div.fl beside div.fr) whose list items
    /// all carry the primary column's class, so every item once re-read all its siblings.
    static func floatedList(_ n: Int) -> String {
        let items = (0..<n).map { "<li class=\"fl\"><a href=\"/news/2025/11/\($0)/a-story-with-a-long-title-\($0)\">A story with a long enough title, number \($0)</a></li>" }.joined()
        return "<html><body><div class=\"fl\"><ul>\(items)</ul></div><div class=\"fr\"><a href=\"/about\">About</a></div></body></html>"
    }

    @Test("work grows linearly with the page: 10× the list (40,000 items) costs 10× the operations, bounded per element")
    func linearOnLongSiblingRuns() throws {
        let small = try Self.operations(Self.floatedList(4_000))
        let large = try Self.operations(Self.floatedList(40_000))
        #expect(Double(large) <= 10.5 * Double(small), "\(small) → \(large)")
        // Each element is read a bounded number of times (its ancestors' walks are capped by libxml2's depth limit).
        let html = Self.floatedList(40_000)
        #expect(large <= 16 * Self.elementCount(html), "\(large) operations for \(Self.elementCount(html)) elements")
    }

    @Test("10× the largest labelled listing costs at most 10× its operations")
    func linearOnRepeatedFixture() throws {
        let folder = Fixture.directory.appendingPathComponent("listings")
        let largest = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.fileSizeKey])
            .filter { $0.pathExtension == "html" }
            .max { try $0.resourceValues(forKeys: [.fileSizeKey]).fileSize! < $1.resourceValues(forKeys: [.fileSizeKey]).fileSize! }
        let html = String(decoding: try Data(contentsOf: try #require(largest)), as: UTF8.self)
        let body = html.range(of: "<body").map { String(html[$0.lowerBound...]) } ?? html
        let once = try Self.operations("<html>" + body)
        let tenfold = try Self.operations("<html>" + String(repeating: body, count: 10))
        #expect(Double(tenfold) <= 10.5 * Double(once), "\(once) → \(tenfold)")
    }
}
