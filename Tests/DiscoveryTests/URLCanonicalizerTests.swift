import Foundation
import Testing
import Extraction
import TidingsCore
@testable import Discovery

@Suite("Canonical URLs and stable entry identity")
struct URLCanonicalizerTests {
    @Test("tracking parameters go, meaningful ones stay (sorted), host and scheme lower-cased", arguments: [
        ("https://News.Example.com/a/2025/1128/content_1041.html?utm_source=wechat&utm_medium=social&spm=a2c4.1",
         "https://news.example.com/a/2025/1128/content_1041.html"),
        ("https://www.example.com/article.php?id=5821&from=timeline&share=1&isappinstalled=0",
         "https://www.example.com/article.php?from=timeline&id=5821&share=1"),   // #11: generic names may be ids
        ("https://www.example.com/story?ref=123&fbclid=x&gclid=y&mc_cid=z&spm=1.2", "https://www.example.com/story?ref=123"),
        ("https://www.example.com/a?via=rss&feed=7&from=home", "https://www.example.com/a?feed=7&from=home&via=rss"),
        ("https://www.example.com/view?page=2&id=7&fbclid=IwAR0xyz", "https://www.example.com/view?id=7&page=2"),
        ("HTTP://www.example.com:80/news/../2025/11/25/story.html#comments", "http://www.example.com/2025/11/25/story.html"),
        ("https://www.example.com:443//news//a%2fb.html?", "https://www.example.com/news/a%2Fb.html"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/p?WT.mc_id=rss&pk_campaign=x&at_medium=y&q=1", "https://example.com/p?q=1"),
    ])
    func canonical(raw: String, expected: String) {
        #expect(URLCanonicalizer.canonical(URL(string: raw)!).absoluteString == expected)
    }

    @Test("odd but valid URLs canonicalize without crashing", arguments: [
        "http://x.example.com/a%zz/b?q=%E4%B8%AD&utm_source=1",
        "http://x.example.com/%e4%b8%ad%e6%96%87.html",
        "http://x.example.com/?",
        "http://x.example.com/a?&&=&x",
        "http://[::1]:8080/a/../../b",
        "file:///tmp/site/index.html#top",
        "http://x.example.com/a;jsessionid=ABC?b=1#c",
        "http://user:pw@x.example.com:8080/a b",
    ])
    func oddURLs(raw: String) throws {
        guard let url = URL(string: raw) else { return }
        let canonical = URLCanonicalizer.canonical(url)
        #expect(canonical.fragment == nil)
        #expect(URLCanonicalizer.canonical(canonical) == canonical)   // idempotent
        _ = URLCanonicalizer.identityKey(url)
    }

    @Test("one identity key for scheme, www., trailing slash and tracking variants")
    func identityKey() {
        let variants = [
            "https://www.example.com/2025/11/28/story/",
            "http://example.com/2025/11/28/story",
            "https://WWW.example.com/2025/11/28/story/?utm_source=rss#top",
        ]
        #expect(Set(variants.map { URLCanonicalizer.identityKey(URL(string: $0)!) }).count == 1)
        #expect(URLCanonicalizer.identityKey(URL(string: "https://example.com/2025/11/28/other")!)
                != URLCanonicalizer.identityKey(URL(string: variants[0])!))
    }

    @Test("identity keys can ignore the parameters a listing puts on every link")
    func ignoring() {
        let url = URL(string: "https://www.example.com/a.html?from=timeline&id=7")!
        #expect(URLCanonicalizer.identityKey(url, ignoring: ["from"]) == "example.com/a.html?id=7")
        #expect(URLCanonicalizer.identityKey(url) == "example.com/a.html?from=timeline&id=7")
    }

    @Test("three refreshes where links gain tracking parameters and titles are edited: no duplicate, no changed id")
    func threeRefreshes() throws {
        // What the Store does with these functions: key articles by identity, mint the id once.
        var ids: [String: String] = [:]
        var entries: [String] = []
        let firstSeen = Date(timeIntervalSince1970: 1_764_300_000)
        let refreshes: [[(String, String)]] = [
            [("http://127.0.0.1:8080/2025/1128/content_1041.html", "青溪市老城区雨污分流改造工程全面完工"),
             ("http://127.0.0.1:8080/2025/1127/content_1038.html", "青溪职业技术学院新增三个智能制造专业方向")],
            [("http://127.0.0.1:8080/2025/1128/content_1041.html?utm_source=wechat&spm=a1.b2", "老城区雨污分流改造全面完工（更新）"),
             ("http://127.0.0.1:8080/2025/1127/content_1038.html?isappinstalled=0#comments", "青溪职业技术学院新增三个智能制造专业方向")],
            [("http://127.0.0.1:8080/2025/1129/content_1047.html?mc_cid=1", "青溪至南岭城际公交线路十二月起开通运营"),
             ("HTTP://127.0.0.1:8080/2025/1128/./content_1041.html?utm_campaign=x", "青溪老城区雨污分流改造工程全面完工"),
             ("http://127.0.0.1:8080/2025/1127/content_1038.html", "青溪职院新增三个智能制造专业方向")],
        ]
        var idsAfterFirst: [String: String] = [:]
        for (round, links) in refreshes.enumerated() {
            for (raw, _) in links {
                let url = URL(string: raw)!
                let key = URLCanonicalizer.identityKey(url)
                if ids[key] == nil {
                    ids[key] = EntryIdentity.tagURI(canonicalURL: URLCanonicalizer.canonical(url),
                                                   firstSeen: firstSeen.addingTimeInterval(Double(round) * 86_400))
                    entries.append(key)
                }
            }
            if round == 0 { idsAfterFirst = ids }
        }
        #expect(entries.count == 3)
        for (key, id) in idsAfterFirst { #expect(ids[key] == id) }
        // The explicit port leads the specific part of the tag (EntryIdentity).
        #expect(ids["127.0.0.1/2025/1128/content_1041.html"] == "tag:127.0.0.1,2025-11-28:8080/2025/1128/content_1041.html")
    }
}
