import Foundation
import Testing
import TidingsCore
@testable import Discovery

/// The one decision of which stored entry an article is (#11 identity, #19 one owner).
@Suite("Article identity: which URL pairs are one entry")
struct ArticleIdentityTests {
    struct Visit {
        var link: String
        var fetched: String? = nil
        var hint: String? = nil
        var text: UInt64? = nil
    }

    static let listing = "https://news.example.com/local/"

    /// The identity keys of `visits`, resolved as one refresh whose listing linked to `links`.
    func keys(_ visits: [Visit], listingLinks: [String]? = nil, batch: Bool = true) -> [String] {
        let marked = ListingParameters.marked((listingLinks ?? visits.map(\.link)).map {
            DiscoveredLink(url: URL(string: $0)!, title: "", via: .pageLinks)
        })
        let resolver = IdentityResolver(listingURLs: [URL(string: Self.listing)!])
        let pages = visits.map { visit in
            let link = marked.first { $0.url.absoluteString == visit.link }
                ?? DiscoveredLink(url: URL(string: visit.link)!, title: "", via: .pageLinks)
            return IdentityResolver.Page(link: link, fetchedURL: URL(string: visit.fetched ?? visit.link)!,
                                         canonicalHint: visit.hint.flatMap(URL.init(string:)), fingerprint: visit.text)
        }
        if batch { return resolver.identities(of: pages).map(\.key) }
        return pages.map { resolver.identities(of: [$0])[0].key }
    }

    static let article = "https://news.example.com/2025/11/28/harbour-bridge.html"

    @Test("the same article under another spelling is one entry", arguments: [
        [Visit(link: article), Visit(link: "http://www.news.example.com/2025/11/28/harbour-bridge.html/")],
        [Visit(link: article), Visit(link: article + "?utm_source=rss&utm_medium=feed&fbclid=abc")],
        [Visit(link: article, text: 0xAB), Visit(link: "https://m.example.com/a/1041", hint: article, text: 0xAB)],  // mobile copy naming the desktop page
        [Visit(link: article, text: 0xAB), Visit(link: "https://news.example.com/amp/1041", hint: article, text: 0xAB)],
        [Visit(link: article), Visit(link: "https://news.example.com/go/1041", fetched: article)],     // a redirect to it
        [Visit(link: article, text: 0xF0F0), Visit(link: article + "?from=top", hint: article, text: 0xF0F0)],
        [Visit(link: "https://news.example.com/s?id=7", hint: "https://news.example.com/story/7-harbour-bridge", text: 0xCD),
         Visit(link: "https://news.example.com/story/7-harbour-bridge", text: 0xCD)],
    ])
    func merged(visits: [Visit]) {
        #expect(Set(keys(visits)).count == 1, "\(visits.map(\.link))")
        #expect(Set(keys(visits, batch: false)).count == 1, "across refreshes: \(visits.map(\.link))")
    }

    @Test("distinct articles are never one entry", arguments: [
        // #11: rel=canonical at the home page, the listing, or a section above the article
        [Visit(link: article, hint: "https://news.example.com/"),
         Visit(link: "https://news.example.com/2025/11/27/ferry.html", hint: "https://news.example.com/")],
        [Visit(link: article, hint: "https://news.example.com/index.html"),
         Visit(link: "https://news.example.com/2025/11/27/ferry.html", hint: "https://news.example.com/index.html")],
        [Visit(link: article, hint: listing), Visit(link: "https://news.example.com/local/ferry-1.html", hint: listing)],
        [Visit(link: "https://news.example.com/news/2025/a.html", hint: "https://news.example.com/news/"),
         Visit(link: "https://news.example.com/news/2025/b.html", hint: "https://news.example.com/news/")],
        // #11: parameters that carry the article id
        [Visit(link: "https://news.example.com/story.php?ref=101"), Visit(link: "https://news.example.com/story.php?ref=102")],
        [Visit(link: "https://news.example.com/read?from=3301"), Visit(link: "https://news.example.com/read?from=3302")],
        [Visit(link: "https://news.example.com/item?feed=88"), Visit(link: "https://news.example.com/item?feed=89")],
        [Visit(link: "https://news.example.com/p?via=a1"), Visit(link: "https://news.example.com/p?via=a2")],
        // … and a canonical that drops that id
        [Visit(link: "https://news.example.com/story.php?ref=101", hint: "https://news.example.com/story.php"),
         Visit(link: "https://news.example.com/story.php?ref=102", hint: "https://news.example.com/story.php")],
        // two pages whose template names a third article as canonical, with different texts
        [Visit(link: article, text: 0x0000_0000_0000_0000),
         Visit(link: "https://news.example.com/2025/11/27/ferry.html", hint: article, text: 0xFFFF_FFFF_0000_0000),
         Visit(link: "https://news.example.com/2025/11/26/market.html", hint: article, text: 0x0000_0000_FFFF_FFFF)],
        // other sites, other schemes
        [Visit(link: article, hint: "https://aggregator.example.net/x/1041"),
         Visit(link: "https://news.example.com/2025/11/27/ferry.html", hint: "https://aggregator.example.net/x/1041")],
        [Visit(link: article, hint: "javascript:alert(1)"), Visit(link: "https://news.example.com/2025/11/27/ferry.html", hint: "javascript:alert(1)")],
        [Visit(link: "https://alice.github.io/2025/post-one.html", hint: "https://bob.github.io/"),
         Visit(link: "https://alice.github.io/2025/post-two.html", hint: "https://bob.github.io/")],
    ])
    func distinct(visits: [Visit]) {
        let batch = keys(visits)
        #expect(Set(batch).count == visits.count, "\(visits.map(\.link)) → \(batch)")
    }

    @Test("a parameter the listing puts on every link with one value is not part of identity")
    func constantParameters() {
        let links = ["https://news.example.com/a.html?from=timeline&spm=1", "https://news.example.com/b.html?from=timeline"]
        let marked = ListingParameters.marked(links.map { DiscoveredLink(url: URL(string: $0)!, title: "", via: .pageLinks) })
        #expect(marked.map(\.identityKey) == ["news.example.com/a.html", "news.example.com/b.html"])
        // A value that differs, or a parameter on one link only, may be an id and stays.
        #expect(ListingParameters.constant(in: ["https://x.example/a?from=1", "https://x.example/b?from=2"].map { URL(string: $0)! }).isEmpty)
        #expect(ListingParameters.constant(in: [URL(string: "https://x.example/a?ref=9")!]).isEmpty)
    }

    @Test("a hint that is used becomes the published URL, tracking removed; one ignored says why")
    func published() throws {
        let resolver = IdentityResolver(listingURLs: [])
        let link = DiscoveredLink(url: URL(string: "https://m.example.com/a/1041?utm_source=x")!, title: "", via: .pageLinks)
        let used = resolver.identity(.init(link: link, fetchedURL: link.url, canonicalHint: URL(string: "https://www.example.com/a/1041?spm=2")))
        #expect(used.canonicalURL.absoluteString == "https://www.example.com/a/1041")
        #expect(used.ignoredHint == nil)
        let home = resolver.identity(.init(link: link, fetchedURL: link.url, canonicalHint: URL(string: "https://www.example.com/")))
        #expect(home.canonicalURL.absoluteString == "https://m.example.com/a/1041")
        #expect(home.ignoredHint?.contains("home page") == true)
    }
}
