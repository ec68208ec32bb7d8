import Foundation
import Testing
import TidingsCore
@testable import Discovery
import Extraction

/// The failure classes of the labelled set's second round (issue #12): forum rows, image-only
/// cards, mega menus, numbered pagers and lone links in side boxes. Each page is shaped like
/// the real page that failed (made-up text, same structure and URL shapes).
@Suite("Records of listing pages: forums, cards, menus, pagers, lone links")
struct RecordStructureTests {
    static func links(_ html: String, url: String) -> [String] {
        let u = URL(string: url)!
        return LinkDiscoverer().discover(page: Page(requestedURL: u, url: u, text: html), limit: 1000).links.map(\.url.absoluteString)
    }

    /// `LinkTarget.isInProse` of the first anchor of `html` (the document is kept alive meanwhile).
    static func inProse(_ html: String) -> Bool {
        guard let document = HTMLDocument(html: "<html><body>\(html)</body></html>", url: URL(string: "https://x.example.com/")!),
              let anchor = document.select(xpath: "//a").first else { return false }
        return withExtendedLifetime(document) { LinkTarget.isInProse(anchor) }
    }

    static func explain(_ html: String, url: String) -> DiscoveryExplanation {
        let u = URL(string: url)!
        return LinkDiscoverer().explain(page: Page(requestedURL: u, url: u, text: html))
    }

    @Test("routes in the query are paths: a forum without rewritten URLs has threads (ids) and members (people)", arguments: [
        ("https://f.example.com/forum/index.php?threads/old-english-ale-recipes.22530/", ArticleURLShape.article),
        ("https://f.example.com/forum/index.php?members/billy-brew.1234/", .notArticle),
        ("https://f.example.com/forum/memberlist.php?mode=viewprofile&u=30608", .notArticle),
        ("https://f.example.com/developer/user/4450420", .notArticle),
        ("https://f.example.com/search.php?keywords=ale", .notArticle),
        ("https://f.example.com/developer/column/1088/page-2", .notArticle),
        ("https://f.example.com/news/seite-3.html", .notArticle),
        ("https://f.example.com/topic/15662/bearings-dont-fit/", .article),
        ("https://f.example.com/spine-tattoos/", .neutral),
        ("https://f.example.com/about/", .notArticle),
        ("https://podcast.example.com/downloads/sat/sat-20181110-0812-reforming-food-production-02.ogg", .notArticle),
        ("https://podcast.example.com/audio/episode-41-the-long-road-home.m4a", .notArticle),
    ])
    func shapes(url: String, shape: ArticleURLShape) {
        #expect(ArticleURLShape.classify(URL(string: url)!) == shape)
    }

    /// XenForo without friendly URLs: each row's title cell holds the thread link and the
    /// starter's member link; the last-post cell a date link and the poster's link.
    static func xenForoList(_ n: Int) -> String {
        let names = ["Looking for basic British ales", "Blonde experiment done", "House ale, second try", "Printing recipes"]
        let rows = (1...n).map { i in
            """
            <div class="structItem"><div class="structItem-cell structItem-cell--main">
            <div class="structItem-title"><a href="index.php?threads/thread-number-\(i).\(2000 + i)/">\(names[i % 4]) \(i)</a></div>
            <div class="structItem-minor"><ul class="structItem-parts"><li><a href="index.php?members/brewer-\(i).\(300 + i)/">brewer\(i)</a></li>
            <li class="structItem-startDate"><a href="index.php?threads/thread-number-\(i).\(2000 + i)/">Jul \(i), 2022</a></li></ul></div></div>
            <div class="structItem-cell structItem-cell--latest"><a href="index.php?threads/thread-number-\(i).\(2000 + i)/latest">Mar \(i), 2024</a>
            <a href="index.php?members/poster-\(i).\(500 + i)/">poster\(i)</a></div></div>
            """
        }.joined()
        return "<html><body><div class=\"p-body\"><div class=\"block-body\"><div class=\"structItemContainer\">\(rows)</div></div></div></body></html>"
    }

    @Test("a forum's thread list gives its threads, not the members beside them")
    func forumThreads() {
        let found = Self.links(Self.xenForoList(20), url: "https://f.example.com/forum/index.php?forums/recipes.4/")
        let threads = (1...20).map { "https://f.example.com/forum/index.php?threads/thread-number-\($0).\(2000 + $0)/" }
        #expect(Set(threads).isSubset(of: Set(found)))
        #expect(!found.contains { $0.contains("members/") })
    }

    static let forums = ["General discussion", "Carpentry", "Where can I find", "Wood projects", "Tools and machinery", "Finishing",
                         "Turning", "Jigs", "Sharpening", "Shop safety", "Timber", "Introductions"]

    @Test("a forum index gives its forums, not the last-post links in the same rows")
    func forumIndex() {
        let rows = (1...12).map { i in
            """
            <li class="row"><dl class="row-item"><dt><div class="list-inner">
            <a href="./viewforum.php?f=\(i)" class="forumtitle">\(Self.forums[i - 1])</a><br>Tools and machinery of the shop</div></dt>
            <dd class="topics">\(i * 7)</dd><dd class="lastpost"><span><a href="./viewtopic.php?f=\(i)&amp;p=\(13000 + i)" class="lastsubject">Re: A question about the lift table \(i)</a>
            by <a href="./memberlist.php?mode=viewprofile&amp;u=\(i)">carpenter\(i)</a></span></dd></dl></li>
            """
        }.joined()
        let html = "<html><body><div class=\"forabg\"><ul class=\"topiclist forums\">\(rows)</ul></div></body></html>"
        let found = Self.links(html, url: "https://f.example.com/forum/index.php")
        #expect(found == (1...12).map { "https://f.example.com/forum/viewforum.php?f=\($0)" })
    }

    /// Shaped like stuff.co.nz's section boxes: each section's stories split into two halves, a
    /// lead and two more on one side, one more on the other; the other side's story alternates
    /// with the leads section by section, as a forum's last-post link alternates with its titles.
    @Test("a section box split into two halves keeps both: its halves interleave by section, not record by record")
    func sectionHalves() {
        let sections = ["national", "world", "business", "sport"]
        var expected: [String] = []
        let boxes = sections.enumerated().map { k, section -> String in
            let story = { (n: Int, words: String) -> String in
                let url = "https://news.example.com/\(section)/\(108_200_000 + k * 10 + n)/\(words.lowercased().replacingOccurrences(of: " ", with: "-"))"
                expected.append(url)
                return url
            }
            let lead = story(1, "Council votes on the \(section) budget plan")
            let more = [story(2, "Residents rally outside the \(section) office"), story(3, "New figures show \(section) growth slowing")]
            let other = story(4, "Inquiry opens into the \(section) contract")
            return """
            <section class="hbox"><header><a href="/\(section)">\(section)</a></header><div class="hbox-body">
            <div class="half-a"><div class="asset"><h3><a href="\(lead)">Council votes on the \(section) budget plan</a></h3></div>
            \(more.map { "<div class=\"asset\"><div><h3><a href=\"\($0)\">\($0.split(separator: "/").last!.replacingOccurrences(of: "-", with: " "))</a></h3></div></div>" }.joined())
            </div><div class="half-b"><div class="asset"><div><h3><a href="\(other)">Inquiry opens into the \(section) contract</a></h3></div></div></div>
            </div></section>
            """
        }.joined()
        let html = "<html><body><main>\(boxes)</main></body></html>"
        let found = Self.links(html, url: "https://news.example.com/")
        #expect(Set(found) == Set(expected), "missing: \(Set(expected).subtracting(found).sorted())")
    }

    /// Shaped like an Elementor post grid in a box named like an ad slot (`ad-grid`, a weak
    /// furniture name): each card links its post twice (image and title), beside a dated news
    /// list that passes on its own.
    @Test("cards that link their post twice (image and title) are a list, where one link each would fall short")
    func twinLinkedCards() {
        let posts = ["authentic-italian", "pantry-basics", "knife-skills", "weeknight-pasta"]
        let cards = posts.map { slug in
            let title = slug.split(separator: "-").map { $0.capitalized }.joined(separator: " ") + " for every home cook"
            return "<article class=\"card\"><a href=\"/recipes/\(slug)\"><img src=\"/i/\(slug).jpg\" alt=\"\"></a><h3><a href=\"/recipes/\(slug)\">\(title)</a></h3></article>"
        }.joined()
        let news = (1...6).map { "<li><a href=\"/news/2025/03/0\($0)/kitchen-story-number-\($0)\">Kitchen story number \($0) about the new season menu</a></li>" }.joined()
        let html = "<html><body><ul class=\"latest\">\(news)</ul><div class=\"ad-grid\">\(cards)</div></body></html>"
        let found = Self.links(html, url: "https://cook.example.com/")
        #expect(Set(posts.map { "https://cook.example.com/recipes/\($0)" }).isSubset(of: Set(found)), "\(found)")
        #expect(found.count == 10)
    }

    /// Shaped like a magazine home page whose posts sit at the root under two-word slugs.
    @Test("headlines linking root-level two-word slugs are the list; one-word root pages stay sections")
    func rootLevelTwoWordSlugs() {
        let posts = ["spine-tattoos", "summer-hats", "linen-shirts", "hummingbird-tattoos", "denim-jackets", "winter-boots"]
        let grid = posts.map { slug in
            "<div class=\"item\"><h4><a href=\"/\(slug)/\">25 Delicate and Meaningful \(slug.replacingOccurrences(of: "-", with: " ").capitalized) Ideas</a></h4></div>"
        }.joined()
        let html = "<html><body><div class=\"menu\"><a href=\"/about/\">About</a><a href=\"/fashion/\">Fashion</a></div><div class=\"grid\">\(grid)</div></body></html>"
        let found = Self.links(html, url: "https://style.example.com/")
        #expect(found == posts.map { "https://style.example.com/\($0)/" })
    }

    /// Shaped like producthunt.com's launch list: each card names its product by one word under
    /// /products/, with a tagline and topic links beside it; the menu's links are single words too.
    @Test("described cards named by one word each are the list; a menu of single words is not")
    func describedCards() {
        let products = ["testsprite", "copperlane", "fastergh", "kiloclaw", "siteline", "happycapy", "superx", "lovon"]
        let cards = products.map { name in
            """
            <section class="group"><div class="flex"><img src="/i/\(name).png" alt="">
            <span class="flex"><a href="/products/\(name)">\(name.capitalized)</a></span>
            <div class="mt">An assistant that writes and checks your code while you sleep</div>
            <div class="flex"><a href="/topics/saas">SaaS</a> <a href="/topics/ai">AI</a></div></div></section>
            """
        }.joined()
        let menu = ["launches", "news", "forums", "advertise"].map { "<a href=\"/\($0)\">\($0.capitalized)</a>" }.joined(separator: " ")
        // a strip of makers' quotes: no list, yet the page's best group were the cards not a list
        let strip = "<a href=\"/makers/gabe\">Gabe</a><a href=\"/makers/tanay\">Tanay: hey everyone, I am the maker of the tool you see here</a>"
            + "<a href=\"/makers/rita\">Rita: we built it for teams that ship every single day</a>"
        let html = "<html><body><div class=\"top\">\(menu)</div><main><div class=\"flex\">\(cards)</div></main><div class=\"flex\">\(strip)</div></body></html>"
        let found = Self.links(html, url: "https://hunt.example.com/")
        #expect(found == products.map { "https://hunt.example.com/products/\($0)" })
    }

    @Test("a section's 'more on this topic' links, boxed with its stories' headlines and summaries, are not described cards")
    func topicLinksAboveStories() {
        let topics = ["klima", "wahlen", "energie", "verkehr", "schule"]
        let sections = topics.map { topic in
            let stories = (1...3).map { k in
                "<article><h3><a href=\"/\(topic)/meldung-\(k)-zum-thema-\(topic)-1000\(k)\">Neue Meldung \(k) über das Thema \(topic) in der Region</a></h3><p>Eine kurze Zusammenfassung der Meldung mit einigen Sätzen.</p></article>"
            }.joined()
            return "<section><h2><a href=\"/thema/\(topic)/\">Mehr zum Thema \(topic.capitalized)</a></h2>\(stories)</section>"
        }.joined()
        let found = Self.links("<html><body><main>\(sections)</main></body></html>", url: "https://zeitung.example.de/")
        #expect(!found.contains { $0.contains("/thema/") })
        #expect(found.count == 15)
    }

    @Test("campaign-tracked links: the site's own tracked articles are records, its shop and marketplace promotions are not")
    func campaignTrackedLinks() {
        let picks = (1...5).map { k in
            "<li><a href=\"/news/46102\(k)/council-approves-new-harbour-plan-part-\(k)/?utm_source=Home&utm_medium=EditorsPick\">Council approves the new harbour plan, part \(k) of the series</a></li>"
        }.joined()
        let promos = (1...5).map { k in
            "<li><a href=\"https://shop.news.example.com/edition/best-books-of-the-year-\(k)?utm_medium=display&utm_campaign=shopbox\">The best books of the year in one beautiful edition, volume \(k)</a></li>"
        }.joined()
        let html = "<html><body><main><h2>Editor's picks</h2><ul class=\"picks\">\(picks)</ul><h2>From our shop</h2><ul class=\"shop\">\(promos)</ul></main></body></html>"
        let found = Self.links(html, url: "https://news.example.com/")
        #expect(found.count == 5)
        #expect(found.allSatisfy { $0.hasPrefix("https://news.example.com/news/") })
    }

    /// Shaped like a Shopify collection page: each product card links its image and its name;
    /// two promotional cards with long texts sit in the same grid.
    @Test("a shop grid's products are the list, not furniture beside two long promotional cards")
    func productGridBesidePromoCards() {
        let names = ["Dark Roast Coffee", "Medium Roast Coffee", "Espresso Roast", "Cold Brew Pack", "Decaf Blend",
                     "Organic Light Roast", "Hazelnut Pods", "Vanilla Pods", "French Roast", "Breakfast Blend"]
        var items = names.map { name in
            let slug = name.lowercased().replacingOccurrences(of: " ", with: "-")
            return """
                <li class="grid__item"><div class="card-wrapper"><div class="card"><div class="card__inner"><div class="card__media">
                <a href="/products/\(slug)"><img src="/cdn/\(slug).jpg" alt=""></a></div>
                <div class="card__content"><div class="card__information"><h3 class="card__heading"><a href="/products/\(slug)">\(name)</a></h3>
                <span class="price">$19.99</span></div></div></div></div></div></li>
                """
        }
        items.insert("<li class=\"grid__item\"><div class=\"card-wrapper\"><a href=\"/pages/subscription\">Save 30% off your first order and get free shipping when you subscribe today</a></div></li>", at: 3)
        items.insert("<li class=\"grid__item\"><div class=\"card-wrapper\"><a href=\"/pages/bundles\">Bundle and save up to 15% off when you build your own coffee bundle</a></div></li>", at: 8)
        let html = "<html><body><main><h1>Coffee</h1><ul class=\"product-grid\" id=\"product-grid\">\(items.joined())</ul></main></body></html>"
        let found = Self.links(html, url: "https://coffee.example.com/collections/coffee")
        #expect(found.filter { $0.contains("/products/") }.count == names.count)
    }

    @Test("the element a skip link lands on (id=\"skip-to-products\") is the main content, not a skip link")
    func skipLinkTarget() {
        let names = ["Pegasus Premium", "Vomero Plus", "Invincible Four", "Structure Twenty", "Zoom Fly Six", "Streakfly Two",
                     "Winflo Eleven", "Downshifter Thirteen"]
        let cards = names.map { name in
            let slug = name.lowercased().replacingOccurrences(of: " ", with: "-")
            return "<div class=\"product-card\"><figure><a href=\"/t/\(slug)-shoes\">\(name)</a></figure></div>"
        }.joined()
        let filters = ["Maximum Cushioning", "Responsive Cushioning", "Supportive Cushioning", "Trail Running", "Road Racing"].map { f in
            "<a href=\"/w/\(f.lowercased().replacingOccurrences(of: " ", with: "-"))-shoes\">\(f)</a>"
        }.joined()
        let html = """
            <html><body><a class="skip-link" href="#skip-to-products">Skip to products</a>
            <div class="results"><div class="filters"><div class="filter-group">\(filters)</div></div>
            <section><div class="product-grid__items" id="skip-to-products">\(cards)</div></section></div></body></html>
            """
        let found = Self.links(html, url: "https://shoes.example.com/w/mens-running-shoes")
        #expect(found.filter { $0.contains("/t/") }.count == names.count)
    }

    @Test("image-only cards are named by their images and share a route ending in a name")
    func imageCards() {
        let shows = ["gearmediatech", "onitapps", "techcastdaily", "vrbootcamp", "teslapodcast", "dailydev",
                     "gadgetweekly", "codetalk", "netnews", "cloudcast", "bytesize", "pixelpod"]
        let cards = shows.map { name in
            """
            <div class="col"><div class="card"><div class="card-image"><a href="/shows/view/id/\(name)"><img src="/img/\(name).jpg" alt="\(name)'s Podcast"></a></div>
            <div class="card-content"><h5 class="card-title">\(name.uppercased())</h5></div>
            <div class="card-action"><a class="btn">More</a> <a class="btn" href="/shows/view/id/\(name)">Show</a></div></div></div>
            """
        }.joined()
        let html = "<html><body><div class=\"container\"><div class=\"row\">\(cards)</div></div></body></html>"
        let found = Self.links(html, url: "https://directory.example.com/shows/technology")
        #expect(found == shows.map { "https://directory.example.com/shows/view/id/\($0)" })
    }

    /// Shaped like the cloud vendor's column page of the labelled set: one `div.nav-dropdown-menu`
    /// holds five dropdowns of product links (most of the page's links and, by their number,
    /// most of its headline-long texts) above a column of 12 articles.
    @Test("a mega menu holding most of the page's links and headlines is a menu, not the list")
    func megaMenu() {
        let products = ["云服务器", "轻量应用服务器", "GPU云服务器", "云数据库", "对象存储", "内容分发网络", "负载均衡", "私有网络",
                        "云函数", "容器服务", "消息队列", "云监控"]
        let items = (0..<24).map { "<li class=\"menu-item\"><a href=\"/product/p\($0)\">\(products[$0 % 12])</a></li>" }
        let documents = (1...3).map { "<li class=\"menu-item\"><a href=\"/document/product/\(200 + $0)/\(4000 + $0)\">云服务器产品文档与最佳实践指南第\($0)部分</a></li>" }
        let menus = (1...5).map { _ in "<div class=\"menu-area\"><ul>\((items + documents).joined())</ul></div>" }.joined()
        let articles = (1...12).map { "<section><h3><a href=\"/developer/article/\(1_670_000 + $0)\">基于持续交付的测试用例管理方案第\($0)篇</a></h3><p>导语 介绍一种管理测试用例的方法。</p></section>" }.joined()
        let html = """
        <html><body><div class="c-nav-dropdown"><div class="nav-dropdown-menu" id="qcLeftNav">\(menus)</div></div>
        <div class="body"><div class="com-article-list">\(articles)</div></div></body></html>
        """
        let found = Self.links(html, url: "https://cloud.example.com/developer/column/1088")
        #expect(found == (1...12).map { "https://cloud.example.com/developer/article/\(1_670_000 + $0)" })
    }

    @Test("a list named for navigation but made of headlines keeps its links")
    func headlineListNamedNav() {
        let items = (1...12).map { "<section><a href=\"/2025-11-\($0)/doc-ihn\($0)abc.shtml\">农业农村部谈猪肉价格上涨较快的几个因素第\($0)条</a></section>" }.joined()
        let menu = ["国内", "国际", "军事", "财经"].enumerated().map { "<a href=\"/\($0.offset)/\">\($0.element)</a>" }.joined()
        let html = "<html><body><nav>\(menu)</nav><section class=\"card_module\"><div class=\"carditems\" id=\"j_nav_list\">\(items)</div></section></body></html>"
        let found = Self.links(html, url: "https://news.example.cn/china/")
        #expect(found.count == 12)
    }

    @Test("a numbered pager is not a list of titles, in any script", arguments: [
        ["第 1 页", "第 2 页", "第 3 页", "第 4 页", "第 5 页", "第 6 页", "第 7 页", "第 8 页", "第 9 页"],
        ["Page 1", "Page 2", "Page 3", "Page 4", "Page 5", "Page 6", "Page 7", "Page 8", "Page 9"],
    ])
    func numberedPager(labels: [String]) {
        let pager = labels.enumerated().map { "<a href=\"/list/column/\($0.offset + 1)/\">\($0.element)</a>" }.joined()
        let items = (1...6).map { "<li><a href=\"/developer/article/\(1_600_000 + $0)\">关于持续交付中分支管理的思考与实践第\($0)篇</a></li>" }.joined()
        let html = "<html><body><ul class=\"articles\">\(items)</ul><div class=\"com-v-box\">\(pager)</div></body></html>"
        let found = Self.links(html, url: "https://cloud.example.com/list/")
        #expect(found == (1...6).map { "https://cloud.example.com/developer/article/\(1_600_000 + $0)" })
        #expect(PageLinkAnalysis.isNumberedSequence(labels))
        #expect(!PageLinkAnalysis.isNumberedSequence(["Best of Year 2023", "Best of Year 2023", "Best of Year 2023"]))
    }

    @Test("a lone headline in a side box is dropped; a lone big teaser in the main column is kept")
    func loneLinks() throws {
        let list = (1...8).map { "<li><a href=\"/news/2025/11/\($0)/ferry-timetable-change-\($0)\">Ferry timetable changes again this winter, part \($0)</a></li>" }.joined()
        let html = """
        <html><body><div class="main"><div class="lead"><a href="/feature/how-the-harbour-was-rebuilt-after-the-storm-88123">How the harbour was rebuilt after the great storm</a></div>
        <ul class="news">\(list)</ul></div>
        <div class="promo-box"><a href="/shop/harbour-calendar-2026-edition-77001">Order the new harbour calendar for next year now</a></div></body></html>
        """
        let explanation = Self.explain(html, url: "https://news.example.com/")
        let found = explanation.result.links.map(\.url.path)
        #expect(found.first == "/feature/how-the-harbour-was-rebuilt-after-the-storm-88123")
        #expect(found.count == 9)
        let promo = try #require(explanation.groups.first { $0.path.contains("promo") })
        #expect(!promo.kept && promo.reason.contains("lone"))
    }

    @Test("the records' title group wins over later groups in the same rows, and a later list after the list is kept")
    func titleFirst() {
        let rows = (1...10).map { i in
            "<li class=\"event\"><p class=\"artists\"><a href=\"/concerts/\(43_000_000 + i)-singer-at-the-hall\">Singer number \(i) and the band at the hall</a></p><p class=\"location\"><span class=\"venue\"><a href=\"/venues/\(4_600_000 + i)-the-hall\">The Hall on Fillmore Street, number \(i)</a></span></p></li>"
        }.joined()
        let after = (1...8).map { "<li><a href=\"/news/2025/11/\($0)/tour-announced-\($0)\">A new tour was announced for the coming summer, part \($0)</a></li>" }.joined()
        let html = "<html><body><ul class=\"listings\">\(rows)</ul><ul class=\"news\">\(after)</ul></body></html>"
        let found = Self.links(html, url: "https://events.example.com/metro/sf")
        #expect(found.filter { $0.contains("/concerts/") }.count == 10)
        #expect(!found.contains { $0.contains("/venues/") })
        #expect(found.filter { $0.contains("/news/") }.count == 8)
    }

    /// Shaped like a tech site's story stream: every quick post is a card whose only link to
    /// the post is an empty overlay anchor named by `aria-label`; the summary links inside
    /// sentences lead to older stories.
    @Test("overlay card links named by aria-label are the list; links inside summary sentences are not")
    func overlayCardsAndProse() {
        let cards = (1...12).map { i in
            """
            <div class="content-card quick-post" role="article"><a aria-label="The company is delaying its new feature, update \(i)." class="yy0d3l8" href="/tech/\(891_000 + i)/company-delays-feature-\(i)"></a>
            <div class="body"><p class="markup">The launch slips again, as \(i == 1 ? "<a href=\"/tech/654223/older-story-about-the-launch\">we reported last spring</a>" : "we reported") in an earlier story about the plan.</p></div></div>
            """
        }.joined()
        let html = "<html><body><main><div class=\"river\">\(cards)</div></main></body></html>"
        let found = Self.links(html, url: "https://verge.example.com/")
        #expect(found == (1...12).map { "https://verge.example.com/tech/\(891_000 + $0)/company-delays-feature-\($0)" })
        #expect(Self.inProse("<p>The launch slips again, as <a href=\"/x\">we reported</a> in an earlier story.</p>"))
        #expect(!Self.inProse("<li><a href=\"/x\">Ferry timetable changes again</a> | 2025-11-28</li>"))
        #expect(!Self.inProse("<p>by <a href=\"/x\">Anna Smith</a></p>"))
    }

    @Test("a lone headline in a rail scores below the threshold and is dropped, whatever its route")
    func loneLinkInRail() throws {
        let list = (1...8).map { "<li><a href=\"/news/\(880_000 + $0)/ferry-timetable-change-\($0)\">Ferry timetable changes again this winter, part \($0)</a></li>" }.joined()
        let html = """
        <html><body><div class="main"><ul class="river">\(list)</ul></div>
        <div class="rail"><div><a href="/news/870001/how-the-harbour-was-rebuilt">How the harbour was rebuilt after the storm</a></div></div></body></html>
        """
        let explanation = Self.explain(html, url: "https://news.example.com/")
        #expect(explanation.result.links.count == 8)
        let rail = try #require(explanation.groups.first { $0.path.contains("rail") })
        #expect(!rail.kept && rail.score < PageLinkAnalysis.keepThreshold)
    }

    /// Shaped like a code host's trending page: each record is an `<article>` whose title link
    /// reads `owner / repo` (two short words, a URL of two words), beside star and fork counts.
    @Test("a page where no group passes gives its best group outside page furniture, not nothing")
    func bestGroupWhenNoneKept() throws {
        let names = ["octo / tools", "acme / skills", "zed / agents", "jido / core", "kilo / code", "mira / fish",
                     "deep / seek", "nano / chat", "open / notes", "fast / api", "tiny / vm"]
        let rows = names.map { name in
            let path = name.replacingOccurrences(of: " / ", with: "/")
            return """
            <article class="Box-row"><h2 class="h3"><a href="/\(path)">\(name)</a></h2><p>A tool for everyone.</p>
            <div class="f6"><a href="/\(path)/stargazers">1,234</a> <a href="/\(path)/forks">56</a></div></article>
            """
        }.joined()
        let html = """
        <html><body><header><nav><a href="/features">Features</a><a href="/pricing">Pricing</a><a href="/login">Sign in</a></nav></header>
        <main><div class="Box">\(rows)</div></main><footer><a href="/terms">Terms</a><a href="/privacy">Privacy</a></footer></body></html>
        """
        let explanation = Self.explain(html, url: "https://code.example.com/trending")
        #expect(explanation.result.links.map(\.url.path) == names.map { "/" + $0.replacingOccurrences(of: " / ", with: "/") })
        let kept = try #require(explanation.groups.first { $0.kept })
        #expect(kept.reason.contains("none passed"))
    }

    /// Shaped like the same trending page's language filter: a closed `<details>` dropdown of
    /// 40 short names of one URL shape, its class names neutral (no `menu`, no `modal`).
    @Test("links inside a closed <details> (a dropdown shown only when opened) are not the list")
    func closedDisclosureIsFurniture() throws {
        let names = ["octo / tools", "acme / skills", "zed / agents", "jido / core", "kilo / code", "mira / fish",
                     "deep / seek", "nano / chat", "open / notes", "fast / api", "tiny / vm"]
        let rows = names.map { name in
            "<article class=\"row\"><h2><a href=\"/\(name.replacingOccurrences(of: " / ", with: "/"))\">\(name)</a></h2><p>A tool for everyone.</p></article>"
        }.joined()
        let languages = ["Abkhazian", "Afar", "Afrikaans", "Akan", "Albanian", "Amharic", "Arabic", "Aragonese",
                         "Armenian", "Assamese", "Avaric", "Avestan", "Aymara", "Azerbaijani", "Bambara", "Bashkir",
                         "Basque", "Belarusian", "Bengali", "Bislama", "Bosnian", "Breton", "Bulgarian", "Burmese",
                         "Catalan", "Chamorro", "Chechen", "Chichewa", "Chinese", "Chuvash", "Cornish", "Corsican",
                         "Cree", "Croatian", "Czech", "Danish", "Divehi", "Dutch", "Dzongkha", "English"]
        let options = languages.map { "<div class=\"c1\"><a href=\"/trending?spoken_language_code=\($0.prefix(2).lowercased())\">\($0)</a></div>" }.joined()
        let html = """
        <html><body><main><div class="c2"><details class="c3"><summary>Spoken language</summary>
        <div class="c4"><div class="c5">\(options)</div></div></details></div>
        <div class="c6">\(rows)</div></main></body></html>
        """
        let explanation = Self.explain(html, url: "https://code.example.com/trending")
        #expect(explanation.result.links.map(\.url.path) == names.map { "/" + $0.replacingOccurrences(of: " / ", with: "/") })
        let dropdown = try #require(explanation.groups.first { $0.path.contains("details") })
        #expect(!dropdown.kept && dropdown.reason.contains("inside <details>"))
    }

    @Test("a table row's cells are its columns: the title cell's stories, not the meta cell's discussion and site links")
    func tableCellColumns() throws {
        let id = "19-en-link-aggregator-table-rows"
        let truth = try LabelledListingTests.truth(id)
        let page = try Fixture.page("listings/\(id).html", url: truth.url)
        #expect(LinkDiscoverer().discover(page: page, limit: 1000).links.map(\.url.absoluteString) == truth.links)
    }

    @Test("cells alternating row1/row2 classes are one column")
    func alternatingCellClasses() {
        let rows = (1...8).map { i in
            "<tr><td class=\"row\(i % 2 + 1)\"><a href=\"/viewtopic.php?t=\(4000 + i)\">Printer bed will not level after the firmware update \(i)</a></td></tr>"
        }.joined()
        let html = "<html><body><table class=\"forumline\">\(rows)</table></body></html>"
        #expect(Self.links(html, url: "https://f.example.com/viewforum.php?f=6").count == 8)
    }
}
