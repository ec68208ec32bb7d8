import Foundation
import Extraction
import TidingsCore

/// Chooses the article links among all links of a listing page, with no configuration.
///
/// Signals, all measured on the page itself:
/// - placement: links inside navigation, header, footer, sidebars (热点/推荐/排行), share bars,
///   pagination, forms and ads are never articles;
/// - repetition: article links come in repeated structures (a `ul` of `li`, rows of a table,
///   a grid of cards) that hold several headline-like links;
/// - text: headlines are long (`HeadlineText`), menu entries are short;
/// - URL shape: article URLs carry dates, long ids, `content_123.html`, slugs
///   (`ArticleURLShape`); section, tag and pagination URLs do not;
/// - same site: links to other sites are ads, share buttons or partners.
struct PageLinkAnalysis {
    /// A repeated structure counts as an article list when it holds at least this many
    /// headline-like links…
    static let minimumListSize = 2
    /// …and at least this share of its links are headline-like (menus and tag clouds in the
    /// labelled set stay below 0.2, article lists above 0.6).
    static let minimumHeadlineShare = 0.4

    let document: HTMLDocument
    let pageURL: URL
    let configuration: DiscoveryConfiguration

    struct Candidate {
        let url: URL
        let title: String
        let anchor: HTMLNode
        let placement: LinkPlacement
        let shape: ArticleURLShape
        let isHeadline: Bool
    }

    func articleLinks(limit: Int) -> [DiscoveredLink] {
        let candidates = collectCandidates()
        var groups: [String: (members: Int, headlines: Int)] = [:]
        for c in candidates where !c.placement.isBoilerplate && c.shape != .notArticle {
            var g = groups[c.placement.groupKey] ?? (0, 0)
            g.members += 1
            if c.isHeadline { g.headlines += 1 }
            groups[c.placement.groupKey] = g
        }
        var listKeys = Set(groups.filter { _, g in
            g.headlines >= Self.minimumListSize && Double(g.headlines) / Double(g.members) >= Self.minimumHeadlineShare
        }.keys)
        let secondary = secondaryColumn(candidates: candidates, listKeys: listKeys)
        if let secondary {
            listKeys = listKeys.filter { key in
                !candidates.contains { $0.placement.groupKey == key && $0.placement.column?.element == secondary }
            }
        }

        var seen = Set<String>()
        var links: [DiscoveredLink] = []
        for c in candidates where links.count < limit {
            guard !c.placement.isBoilerplate, c.isHeadline, c.shape != .notArticle else { continue }
            guard listKeys.contains(c.placement.groupKey) || c.shape == .article else { continue }
            if let secondary, c.placement.column?.element == secondary { continue }
            guard seen.insert(c.url.absoluteString).inserted else { continue }
            links.append(DiscoveredLink(url: c.url, title: c.title,
                                        dateHint: dateHint(for: c), via: .pageLinks))
        }
        return links
    }

    /// The secondary (right) column of a two-column layout whose primary (left/main) column
    /// holds an article list: the right column's lists are then teasers for other sections
    /// (the seed corpus page's 生活指南/民生 boxes, often longer than the page's own list).
    /// Nil when the primary column has no list (government sites put the list right of a menu).
    func secondaryColumn(candidates: [Candidate], listKeys: Set<String>) -> HTMLNode? {
        let primaryColumns = candidates.compactMap { c -> HTMLNode? in
            guard listKeys.contains(c.placement.groupKey), !c.placement.isBoilerplate,
                  let column = c.placement.column, column.role == .primary else { return nil }
            return column.element
        }
        guard let primary = primaryColumns.first else { return nil }
        for c in candidates {
            if let column = c.placement.column, column.role == .secondary, column.element.parent == primary.parent {
                return column.element
            }
        }
        return nil
    }

    /// Every `<a href>` that leads to a web page of this site, in document order.
    func collectCandidates() -> [Candidate] {
        var result: [Candidate] = []
        let pageKey = LinkTarget.withoutFragment(pageURL).absoluteString
        for anchor in document.select(xpath: "//a[@href]") {
            guard let href = anchor.attribute("href"), let url = LinkTarget.resolve(href, in: document) else { continue }
            guard url.absoluteString != pageKey else { continue }
            if configuration.sameSiteOnly && !SiteIdentity.isSameSite(url, pageURL) { continue }
            let title = LinkTarget.title(of: anchor)
            result.append(Candidate(url: url, title: title, anchor: anchor,
                                    placement: LinkPlacement(anchor: anchor),
                                    shape: ArticleURLShape.classify(url, site: pageURL),
                                    isHeadline: HeadlineText.looksLikeHeadline(title)))
        }
        return result
    }

    /// A date printed in the link's list item (or table row), else one in its URL.
    func dateHint(for candidate: Candidate) -> Timestamp? {
        var node = candidate.anchor.parent
        for _ in 0..<2 {
            guard let element = node else { break }
            let text = element.text
            if text.count > DateHintParser.maximumContextCharacters { break }
            if let t = DateHintParser.parse(text: text, zone: configuration.timeZone) { return t }
            node = element.parent
        }
        return DateHintParser.parse(url: candidate.url, zone: configuration.timeZone)
    }
}
