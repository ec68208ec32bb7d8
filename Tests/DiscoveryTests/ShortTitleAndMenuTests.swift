import Foundation
import Testing
import TidingsCore
@testable import Discovery

/// Round 3 of issue #12: evidence from each record's own box, and short titles beside a list
/// of headlines. Pages are shaped like the shop and aggregator pages of the labelled set's
/// dev half (made-up names, same structure and URL shapes).
@Suite("Menus split over several boxes, short titles beside headlines")
struct ShortTitleAndMenuTests {
    static func links(_ html: String, url: String) -> [String] {
        let u = URL(string: url)!
        return LinkDiscoverer().discover(page: Page(requestedURL: u, url: u, text: html), limit: 1000).links.map(\.url.absoluteString)
    }

    static func explain(_ html: String, url: String) -> DiscoveryExplanation {
        let u = URL(string: url)!
        return LinkDiscoverer().explain(page: Page(requestedURL: u, url: u, text: html))
    }

    static let stories = ["Ferry timetable changes for the winter season", "Council approves new cycle lanes on the river road",
                          "Library extends opening hours during exam weeks", "New bakery opens its doors on the market square",
                          "Harbour festival returns with a longer programme", "School choir wins the regional competition"]

    static func storyList(_ n: Int) -> String {
        (1...n).map { "<li class=\"story\"><h3><a href=\"/news/2025/11/\($0)/story-number-\($0)\">\(stories[$0 % 6]) \($0)</a></h3></li>" }.joined()
    }

    /// Three tab panels, each a `<nav>` of four-word section names: one group by tag path,
    /// whose common container (the tab strip) is no `<nav>`.
    static let tabMenus: String = {
        let names = ["Guitars and Basses Range", "Drums and Percussion Range", "Studio and Recording Gear", "Cables Plugs and Adapters"]
        let panels = (1...3).map { panel in
            "<div class=\"tab-panel\"><nav class=\"flyin\" id=\"menu-\(panel)\"><ul class=\"flyin__menu\">"
                + names.map { "<li class=\"flyin__item\"><a href=\"/shop/\(panel)/\($0.lowercased().replacingOccurrences(of: " ", with: "-"))/\">\($0)</a></li>" }.joined()
                + "</ul></nav></div>"
        }.joined()
        return "<div class=\"tabs\"><div class=\"tabs__contents\">\(panels)</div></div>"
    }()

    @Test("menus split over several <nav>s are navigation, though their common box is not a <nav>")
    func menusSplitOverNavs() {
        let html = "<html><body>\(Self.tabMenus)<main><ul class=\"stories\">\(Self.storyList(10))</ul></main></body></html>"
        let found = Self.links(html, url: "https://courier.example.com/news/")
        #expect(found == (1...10).map { "https://courier.example.com/news/2025/11/\($0)/story-number-\($0)" })
        let menu = Self.explain(html, url: "https://courier.example.com/news/").groups.first { $0.sample.first == "Guitars and Basses Range" }
        #expect(menu?.kept == false)
        #expect(menu?.reason.hasPrefix("dropped: inside <nav>") == true)
    }

    /// A shop's category tiles (short titles, `.html` leaves) above its product grid (long
    /// titles, `.htm` leaves), as on the music and computer shops of the labelled set.
    static func shop(tiles: Bool, products: Bool) -> String {
        let names = ["Electric Guitar Sets", "ST Style Guitars", "T Style Guitars", "Single Cut Guitars", "Double Cut Guitars",
                     "Hollow Body Guitars", "Baritone Guitars", "Seven String Guitars", "Left Handed Guitars", "Travel Guitars"]
        let tileHTML = names.map { "<a class=\"tile\" href=\"/gb/\($0.lowercased().replacingOccurrences(of: " ", with: "_")).html\"><img src=\"/c.jpg\" alt=\"\"><span>\($0)</span></a>" }.joined()
        let productHTML = (1...12).map { "<div class=\"product\"><a href=\"/gb/hollis_st_\($0)_standard_series_sunburst.htm\"><span class=\"title\">Hollis ST-\($0) Standard Series Sunburst</span> <span class=\"price\">£\(80 + $0)</span></a></div>" }.joined()
        return "<html><body><main><div class=\"category-grid\">\(tiles ? tileHTML : "")</div><div class=\"product-grid\"><div class=\"grid\">\(products ? productHTML : "")</div></div></main></body></html>"
    }

    @Test("category tiles of short titles beside a product grid of headlines are not products")
    func categoryTilesBesideProducts() {
        let url = "https://shop.example.com/gb/electric_guitars.html"
        let found = Self.links(Self.shop(tiles: true, products: true), url: url)
        #expect(found == (1...12).map { "https://shop.example.com/gb/hollis_st_\($0)_standard_series_sunburst.htm" })
        let tiles = Self.explain(Self.shop(tiles: true, products: true), url: url).groups.first { $0.sample.first == "Electric Guitar Sets" }
        #expect(tiles?.reason.hasPrefix("dropped: short titles of another URL template") == true)
    }

    @Test("a long list of short titles alone on its page is still the list")
    func shortTitlesAlone() {
        let found = Self.links(Self.shop(tiles: true, products: false), url: "https://shop.example.com/gb/electric_guitars.html")
        #expect(found.count == 10)
        #expect(found.first == "https://shop.example.com/gb/electric_guitar_sets.html")
    }

    @Test("short titles of the headline list's own URL template stay beside it")
    func shortTitlesOfTheSameTemplate() {
        let short = ["Cities", "Very Bad", "Trains", "Winter", "Bread", "The Sea", "Rain", "Choirs"]
        let shortList = short.enumerated().map { "<li class=\"brief\"><a href=\"/news/2025/10/\($0.offset + 1)/brief-\($0.offset + 1)\">\($0.element)</a></li>" }.joined()
        let html = "<html><body><main><ul class=\"stories\">\(Self.storyList(10))</ul><div class=\"briefs\"><ol>\(shortList)</ol></div></main></body></html>"
        let found = Self.links(html, url: "https://courier.example.com/news/")
        #expect(found.count == 18)
        #expect(found.contains("https://courier.example.com/news/2025/10/1/brief-1"))
    }

    /// A page-builder home page: every block is an `elementor-widget`, section blocks of
    /// teasers and one sidebar-named box of most-read links, as on the German weekly's home
    /// page of the labelled set.
    static func builderPage() -> String {
        let kinds = ["posts", "loop-grid", "portfolio"]
        let blocks = kinds.enumerated().map { block, kind in
            "<div class=\"elementor-widget-\(kind) elementor-widget\"><div class=\"elementor-widget-container\"><div class=\"loop\">"
                + (1...6).map { "<article class=\"l-post\"><h2 class=\"is-title\"><a href=\"/\(kind)-story-number-\($0)-of-block-\(block)/\">\(Self.stories[$0 % 6]) in block \(block)</a></h2></article>" }.joined()
                + "</div></div></div>"
        }.joined()
        let mostRead = (1...4).map { "<li><a href=\"/most-read-story-number-\($0)/\">Most read story number \($0) of the week</a></li>" }.joined()
        return """
        <html><body><div class="elementor"><div class="elementor-column">\(blocks)</div>
        <div class="elementor-column"><div class="sidebar-box elementor-widget"><ul>\(mostRead)</ul></div></div></div></body></html>
        """
    }

    @Test("a furniture name on the boxes of most headlines is the page builder's vocabulary; the other names still count")
    func builderVocabulary() {
        let url = "https://weekly.example.de/"
        let found = Self.links(Self.builderPage(), url: url)
        let teasers = ["posts", "loop-grid", "portfolio"].enumerated().flatMap { block, kind in (1...6).map { "https://weekly.example.de/\(kind)-story-number-\($0)-of-block-\(block)/" } }
        #expect(found == teasers)
        let block = Self.explain(Self.builderPage(), url: url).groups.first { $0.sample.first?.hasSuffix("in block 0") == true }
        #expect(block?.reason.contains("widget ignored") == true)
    }

    /// A WordPress blog's post loop: each post's box carries its taxonomy terms as classes
    /// (`tag-hot-coffee`, `category-social-media`), words of the post's subject.
    static func taxonomyLoop() -> String {
        let terms = ["category-culture tag-city", "category-culture tag-hot-coffee", "category-culture tag-river",
                     "category-culture tag-schools", "category-culture tag-harbour", "category-culture tag-choirs"]
        let posts = terms.enumerated().map { k, term in
            "<div class=\"post-\(100 + k) post type-post status-publish hentry \(term) entry\"><article><div class=\"post-header\"><h2 class=\"post-title\">"
                + "<a href=\"/culture/\(Self.stories[k].lowercased().replacingOccurrences(of: " ", with: "-"))/\">\(Self.stories[k])</a></h2></div></article></div>"
        }.joined()
        return "<html><body><section class=\"main\" id=\"main\"><div class=\"loop-container\">\(posts)</div></section></body></html>"
    }

    @Test("a post's taxonomy classes (tag-hot-coffee) name its subject, not furniture: every post of the loop is kept")
    func taxonomyClassesAreNoFurniture() {
        let found = Self.links(Self.taxonomyLoop(), url: "https://satire.example.net/")
        let posts = Self.stories.map { "https://satire.example.net/culture/\($0.lowercased().replacingOccurrences(of: " ", with: "-"))/" }
        #expect(found == posts)
    }

    /// A news theme's home page: three story blocks, the second with a "load more" pager, which
    /// the theme announces on the block itself (`td_with_ajax_pagination`), as on the tech and
    /// music magazines of the candidate pages.
    static func pagedBlocks() -> String {
        func block(_ n: Int, _ classes: String) -> String {
            "<div class=\"td_block_wrap td_block_\(n) \(classes)\"><div class=\"td_block_inner\" id=\"tdi_\(n)_\(["fbf", "a0a", "c0c"][n - 1])\">"
                + (0..<6).map { "<div class=\"td-block-span\"><div class=\"td_module_\(n)\"><h3 class=\"entry-title\"><a href=\"/2025/11/\(n)\($0)/story-\(n)-\($0)/\">\(Self.stories[$0]) \(n)</a></h3></div></div>" }.joined()
                + "</div><div class=\"td-next-prev-wrap\"><a href=\"#\" class=\"td-ajax-next-page\">Next</a></div></div>"
        }
        return "<html><body><div class=\"td-main-content\">\(block(1, "td-pb-border-top"))\(block(2, "td_with_ajax_pagination td-pb-border-top"))"
            + "\(block(3, "td-pb-border-top"))</div></body></html>"
    }

    @Test("a class announcing what a block holds (td_with_ajax_pagination, has-…, no-…) does not make the block a pager")
    func featureModifiersAreNoFurniture() {
        let found = Self.links(Self.pagedBlocks(), url: "https://gadgets.example.hk/")
        let stories = [1, 2, 3].flatMap { n in (0..<6).map { "https://gadgets.example.hk/2025/11/\(n)\($0)/story-\(n)-\($0)/" } }
        #expect(found == stories)
    }
}
