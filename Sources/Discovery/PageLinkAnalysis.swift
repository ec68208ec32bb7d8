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
    /// Elements after the link's own element searched for its date (title cell + date cell).
    static let dateSiblingsRead = 2
    /// An element holding more links than this is a list, not one item: its dates belong to
    /// other items (one item holds its title link, maybe an image and an author link).
    static let maximumLinksPerItem = 3

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
        let (candidates, linksInside) = collectCandidates()
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
                                        dateHint: dateHint(for: c, linksInside: linksInside), via: .pageLinks))
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

    /// Every `<a href>` that leads to a web page of this site, in document order, and how
    /// many links each element holds.
    func collectCandidates() -> ([Candidate], [HTMLNode: Int]) {
        var result: [Candidate] = []
        let pageKey = LinkTarget.withoutFragment(pageURL).absoluteString
        let anchors = document.select(xpath: "//a[@href]")
        var linksInside: [HTMLNode: Int] = [:]
        for anchor in anchors {
            var node = anchor.parent
            while let element = node { linksInside[element, default: 0] += 1; node = element.parent }
        }
        let wrapperSize = Double(anchors.count) * LinkPlacement.wrapperLinkShare
        let isWrapper: (HTMLNode) -> Bool = { Double(linksInside[$0] ?? 0) >= wrapperSize }
        for anchor in anchors {
            guard let href = anchor.attribute("href"), let url = LinkTarget.resolve(href, in: document) else { continue }
            guard url.absoluteString != pageKey else { continue }
            if configuration.sameSiteOnly && !SiteIdentity.isSameSite(url, pageURL) { continue }
            let title = LinkTarget.title(of: anchor)
            result.append(Candidate(url: url, title: title, anchor: anchor,
                                    placement: LinkPlacement(anchor: anchor, isWrapper: isWrapper),
                                    shape: ArticleURLShape.classify(url, site: pageURL),
                                    isHeadline: HeadlineText.looksLikeHeadline(title)))
        }
        return (result, linksInside)
    }

    /// The element's text, or nil when it is longer than `limit` (stops walking there, so a
    /// list of thousands of items is not read once per link).
    static func text(of element: HTMLNode, upTo limit: Int) -> String? {
        var text = ""
        return appendText(of: element, to: &text, limit: limit) ? text : nil
    }

    /// Depth-first text collection that stops as soon as the text passes `limit`.
    private static func appendText(of node: HTMLNode, to text: inout String, limit: Int) -> Bool {
        if node.isText {
            text += node.text
            return text.count <= limit
        }
        var child = node.children.first
        while let c = child {
            if !appendText(of: c, to: &text, limit: limit) { return false }
            child = c.nextSibling
        }
        return true
    }

    /// Text around a link longer than this is a teaser paragraph or a whole list, where a
    /// date would likely belong to something else.
    static let dateContextCharacters = 240

    /// A date printed in the link's own element or in one of the next two elements beside
    /// it (`<td><a/></td><td>2025-11-28</td>`, `<h3><a/></h3><span class="time">…`), else
    /// one in its URL. Containers of the whole list are never read (a date there belongs to
    /// another item, and reading them per link would be quadratic).
    func dateHint(for candidate: Candidate, linksInside: [HTMLNode: Int]) -> Timestamp? {
        let zone = configuration.timeZone
        let limit = Self.dateContextCharacters
        if let parent = candidate.anchor.parent, linksInside[parent, default: 0] <= Self.maximumLinksPerItem {
            if let text = Self.text(of: parent, upTo: limit), let t = DateScanner.first(in: text)?.timestamp(in: zone) { return t }
            var sibling = parent.nextSibling
            var elements = 0
            while let node = sibling, elements < Self.dateSiblingsRead {
                if node.isElement {
                    elements += 1
                    if linksInside[node, default: 0] > Self.maximumLinksPerItem { break }
                    if let text = Self.text(of: node, upTo: limit), let t = DateScanner.first(in: text)?.timestamp(in: zone) { return t }
                } else if node.isText, let t = DateScanner.first(in: node.text)?.timestamp(in: zone) {
                    return t
                }
                sibling = node.nextSibling
            }
        }
        return DateScanner.first(inURL: candidate.url)?.timestamp(in: zone)
    }
}
