import Foundation
import Testing
import TidingsCore
@testable import Discovery

/// Product pages under a shop section (`/shop/<slug>`, Squarespace's `/shop/<generated id>`):
/// shaped like the URBN and Squarespace shop collections among the unlabelled WCXB listing
/// pages of devsplit/fit (made-up names, same structure and URL shapes).
@Suite("Products under /shop/")
struct StoreURLTests {
    @Test("a segment after /shop names one product; /shop alone is a section", arguments: [
        ("https://gallery.example.com/shop/stone-pendant-necklace", ArticleURLShape.article),
        ("https://gallery.example.com/shop/zxx8gp49byrig0475yyazzef5l470q", .article),   // its "0475" is an id
        ("https://gallery.example.com/shop/baby-hats", .neutral),
        ("https://gallery.example.com/shop", .notArticle),
        ("https://gallery.example.com/shop/", .notArticle),
        ("https://gallery.example.com/tag/stone-pendant-necklace", .notArticle),
    ])
    func shopSegments(url: String, shape: ArticleURLShape) {
        #expect(ArticleURLShape.classify(URL(string: url)!) == shape)
    }

    static let products = ["Romy Fruity Strawberry Glass Candle", "Spring Swan Floral Figural Candle", "Davie Ocho Cowboy Hat Candle",
                           "Walnut Cheese Board by Cullen", "Sterling Silver Fern Cuff", "Barn Swallow Embroidered Zipper Tote"]

    @Test("a product grid of /shop/<slug> links is the page's list")
    func productGrid() {
        let tiles = (0..<12).map { i -> String in
            let name = "\(Self.products[i % 6]) \(i)"
            let slug = name.lowercased().replacingOccurrences(of: " ", with: "-")
            return "<div class=\"tile-grid-tile\"><div class=\"product-tile\"><a href=\"/shop/\(slug)?color=010\"><img src=\"/p\(i).jpg\" alt=\"\"><span>\(name)</span></a></div></div>"
        }.joined()
        let html = "<html><body><header><nav><ul><li><a href=\"/shop\">Shop</a></li><li><a href=\"/sale-all\">Sale</a></li></ul></nav></header>"
            + "<main><div class=\"tile-grid\"><div class=\"tile-grid-inner\">\(tiles)</div></div></main></body></html>"
        let u = URL(string: "https://store.example.com/collection-decorative-candles")!
        let found = LinkDiscoverer().discover(page: Page(requestedURL: u, url: u, text: html), limit: 1000).links.map(\.url.path)
        #expect(found.count == 12)
        #expect(found.allSatisfy { $0.hasPrefix("/shop/") })
    }
}
