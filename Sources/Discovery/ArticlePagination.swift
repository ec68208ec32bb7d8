import Foundation
import Extraction
import TidingsCore

/// Multi-page articles: finds the next part of an article split over several pages
/// (`下一页`, `rel="next"`, `content_1041_2.html`, `?page=2`), so the Refresh stage can fetch
/// the parts and merge their bodies into one entry.
public enum ArticlePagination {
    /// Stop following parts after this many pages (portals split long photo stories into
    /// 10–20 pages; more is a loop or a gallery).
    public static let maximumPages = 20
    /// Anchor texts that mean "next part" on the pages the tests were shaped on.
    static let nextTexts: Set<String> = ["下一页", "下页", "下一頁", "下頁", "next", "next page", "next »", "next ›", "›", "»", "next>", "下一页>", "下一页>>"]
    // nonisolated(unsafe): a Regex is never mutated after creation.
    nonisolated(unsafe) static let partSuffix = #/^(.+?)[_-](\d{1,2})$/#

    /// The URL of the next part of the article at `pageURL`, or nil when it is the last part
    /// (or a single page). Only URLs that continue this article qualify: same folder and a
    /// file name extending this one's (`content_1041_2.html`), or the same path with a page
    /// number in the query. "Next article" links to other stories never qualify.
    public static func nextPage(in document: HTMLDocument, pageURL: URL) -> URL? {
        var candidates: [URL] = []
        for link in document.select(xpath: "//link[@rel='next'][@href] | //a[@rel='next'][@href]") {
            if let url = document.absoluteURL(link.attribute("href") ?? "") { candidates.append(url) }
        }
        for anchor in document.select(xpath: "//a[@href]") {
            let text = HeadlineText.normalize(anchor.text).lowercased()
            if nextTexts.contains(text), let href = anchor.attribute("href"),
               let url = LinkTarget.resolve(href, in: document) {
                candidates.append(url)
            }
        }
        return candidates.first { isContinuation($0, of: pageURL) }
    }

    /// True when `next` continues the article at `current` (see `nextPage`).
    public static func isContinuation(_ next: URL, of current: URL) -> Bool {
        guard SiteIdentity.isSameSite(next, current), next.host == current.host else { return false }
        let a = URLCanonicalizer.canonical(current), b = URLCanonicalizer.canonical(next)
        guard a != b else { return false }
        let folderA = a.deletingLastPathComponent().path, folderB = b.deletingLastPathComponent().path
        if a.path == b.path {
            // Same path: the query must differ only by a page number.
            let pa = query(a), pb = query(b)
            let changed = Set(pa.keys).union(pb.keys).filter { pa[$0] != pb[$0] }
            return !changed.isEmpty && changed.allSatisfy { ["page", "p", "pg", "pageno", "pn"].contains($0.lowercased()) }
                && changed.allSatisfy { Int(pb[$0] ?? "") != nil }
        }
        guard folderA == folderB else {
            // `/story/123/` → `/story/123/2/`
            return b.path.hasPrefix(a.path.hasSuffix("/") ? a.path : a.path + "/") && Int(b.lastPathComponent) != nil
        }
        let stemA = stem(a.lastPathComponent), stemB = stem(b.lastPathComponent)
        guard let next = stemB.wholeMatch(of: partSuffix), let n = Int(next.2) else { return false }
        // Part 1 is unnumbered: content_2210 → content_2210_2.
        if String(next.1) == stemA { return n >= 2 }
        // A later part: content_2210_2 → content_2210_3 (a current "_1" is an id, not a part).
        if let current = stemA.wholeMatch(of: partSuffix), let k = Int(current.2), k >= 2 {
            return String(current.1) == String(next.1) && n > k
        }
        return false
    }

    static func stem(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    static func query(_ url: URL) -> [String: String] {
        var result: [String: String] = [:]
        for item in URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? [] {
            result[item.name] = item.value ?? ""
        }
        return result
    }
}
