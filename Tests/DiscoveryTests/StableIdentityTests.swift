import Foundation
import Testing
import TidingsCore
@testable import Discovery

/// Entry ids already published must not change: for ordinary article URLs (no query, or only
/// tracking parameters) the canonical URL, the identity key and the `tag:` id are exactly what
/// the code before Discovery owned identity produced (values pinned from that code, cf92bf1).
@Suite("Published ids stay the same for ordinary URLs")
struct StableIdentityTests {
    static let firstSeen = Date(timeIntervalSince1970: 1_764_300_000)   // 2025-11-28

    @Test("canonical URL, identity key and tag: id as before", arguments: [
        ("http://127.0.0.1:8080/2025/1128/content_1041.html", "http://127.0.0.1:8080/2025/1128/content_1041.html", "127.0.0.1/2025/1128/content_1041.html", "tag:127.0.0.1,2025-11-28:8080/2025/1128/content_1041.html"),
        ("http://127.0.0.1:8080/en/2025/11/25/riverside-library-reopens.html", "http://127.0.0.1:8080/en/2025/11/25/riverside-library-reopens.html", "127.0.0.1/en/2025/11/25/riverside-library-reopens.html", "tag:127.0.0.1,2025-11-28:8080/en/2025/11/25/riverside-library-reopens.html"),
        ("https://www.qingxi-news.example.cn/2025/1126/content_1032.html", "https://www.qingxi-news.example.cn/2025/1126/content_1032.html", "qingxi-news.example.cn/2025/1126/content_1032.html", "tag:www.qingxi-news.example.cn,2025-11-28:/2025/1126/content_1032.html"),
        ("http://www.lingshan.gov.cn/xwzx/zwdt/202511/t20251128_4512876.html", "http://www.lingshan.gov.cn/xwzx/zwdt/202511/t20251128_4512876.html", "lingshan.gov.cn/xwzx/zwdt/202511/t20251128_4512876.html", "tag:www.lingshan.gov.cn,2025-11-28:/xwzx/zwdt/202511/t20251128_4512876.html"),
        ("https://news.example.com.cn/c/2025-11-28/doc-inahqwre4812345.shtml", "https://news.example.com.cn/c/2025-11-28/doc-inahqwre4812345.shtml", "news.example.com.cn/c/2025-11-28/doc-inahqwre4812345.shtml", "tag:news.example.com.cn,2025-11-28:/c/2025-11-28/doc-inahqwre4812345.shtml"),
        ("https://www.example.com/world/2025/nov/28/eu-ministers-agree-plan", "https://www.example.com/world/2025/nov/28/eu-ministers-agree-plan", "example.com/world/2025/nov/28/eu-ministers-agree-plan", "tag:www.example.com,2025-11-28:/world/2025/nov/28/eu-ministers-agree-plan"),
        ("https://www.example.com/news/article.php?id=5821&cat=1", "https://www.example.com/news/article.php?cat=1&id=5821", "example.com/news/article.php?cat=1&id=5821", "tag:www.example.com,2025-11-28:/news/article.php?cat=1&id=5821"),
        ("https://www.example.com/?p=1234", "https://www.example.com/?p=1234", "example.com/?p=1234", "tag:www.example.com,2025-11-28:/?p=1234"),
        ("https://m.example.cn/rain/a/20251128A07XYZ00", "https://m.example.cn/rain/a/20251128A07XYZ00", "m.example.cn/rain/a/20251128A07XYZ00", "tag:m.example.cn,2025-11-28:/rain/a/20251128A07XYZ00"),
        ("https://www.example.com/news/2025/11/28/story.html?utm_source=rss&utm_medium=feed", "https://www.example.com/news/2025/11/28/story.html", "example.com/news/2025/11/28/story.html", "tag:www.example.com,2025-11-28:/news/2025/11/28/story.html"),
        ("HTTPS://WWW.Example.com:443/a/./b/../c.html#x", "https://www.example.com/a/c.html", "example.com/a/c.html", "tag:www.example.com,2025-11-28:/a/c.html"),
        ("https://example.com/%e4%b8%ad%e6%96%87.html", "https://example.com/%E4%B8%AD%E6%96%87.html", "example.com/中文.html", "tag:example.com,2025-11-28:/%E4%B8%AD%E6%96%87.html"),
        ("https://news.example.com/2025/11/28/harbour-bridge.html?spm=a2c4.1&fbclid=x", "https://news.example.com/2025/11/28/harbour-bridge.html", "news.example.com/2025/11/28/harbour-bridge.html", "tag:news.example.com,2025-11-28:/2025/11/28/harbour-bridge.html"),
    ])
    func pinned(raw: String, canonical: String, key: String, tag: String) throws {
        let url = try #require(URL(string: raw))
        let link = DiscoveredLink(url: url, title: "", via: .pageLinks)
        let identity = IdentityResolver(listingURLs: []).identity(.init(link: link, fetchedURL: url, canonicalHint: nil))
        #expect(identity.canonicalURL.absoluteString == canonical)
        #expect(identity.key == key)
        #expect(EntryIdentity.tagURI(canonicalURL: identity.canonicalURL, firstSeen: Self.firstSeen) == tag)
        // A page naming itself as canonical changes nothing.
        let selfNamed = IdentityResolver(listingURLs: []).identity(.init(link: link, fetchedURL: url, canonicalHint: URL(string: canonical)))
        #expect(selfNamed.key == key)
    }
}
