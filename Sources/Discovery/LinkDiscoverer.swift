import Foundation
import Extraction
import TidingsCore

/// Finds the article links a source offers now, from one fetched page: a listing or home
/// page (heuristics or the source's selector) or a site's own RSS/Atom feed.
///
/// Pure: it never fetches. When a listing page advertises a feed, `DiscoveryResult.feedURL`
/// names it; the caller may fetch it and call `discover` again with the feed's page.
public struct LinkDiscoverer: Sendable {
    public let configuration: DiscoveryConfiguration

    public init(configuration: DiscoveryConfiguration = .init()) {
        self.configuration = configuration
    }

    /// The article links of `page`, in page order, at most `limit`.
    /// - A feed (RSS 0.9x/1.0/2.0, Atom) gives its items (`via: .feed`).
    /// - `rules.links` (CSS subset or XPath) gives the matched links (`via: .selector`); an
    ///   invalid selector or one matching nothing falls back to the heuristics, with a warning.
    /// - Otherwise the heuristics of `PageLinkAnalysis` choose (`via: .pageLinks`).
    public func discover(page: Page, rules: DiscoverRules = .init(), limit: Int) -> DiscoveryResult {
        var result = links(page: page, rules: rules, limit: limit)
        result.links = ListingParameters.marked(result.links)
        return result
    }

    private func links(page: Page, rules: DiscoverRules, limit: Int) -> DiscoveryResult {
        let limit = max(0, rules.limit.map { min($0, limit) } ?? limit)
        if FeedParser.looksLikeFeed(page) {
            switch FeedParser(configuration: configuration).parse(text: page.text, url: page.url) {
            case .success(let feed):
                switch feed.format {
                case .sitemapIndex:
                    return DiscoveryResult(sitemapURLs: feed.links.map(\.url))
                case .sitemap:
                    return DiscoveryResult(links: Array(Self.newestFirst(feed.links).prefix(limit)))
                case .rss, .rdf, .atom:
                    return DiscoveryResult(links: Array(feed.links.prefix(limit)))
                }
            case .failure(let error):
                return DiscoveryResult(warnings: ["\(page.url.absoluteString): \(error)"])
            }
        }
        guard let document = HTMLDocument(html: page.text, url: page.url) else {
            return DiscoveryResult(warnings: ["\(page.url.absoluteString): the page could not be parsed as HTML"])
        }
        return links(document: document, pageURL: page.url, rules: rules, limit: limit)
    }

    /// Same as `discover(page:…)` for an already parsed HTML document.
    public func discover(document: HTMLDocument, pageURL: URL, rules: DiscoverRules = .init(), limit: Int) -> DiscoveryResult {
        var result = links(document: document, pageURL: pageURL, rules: rules, limit: limit)
        result.links = ListingParameters.marked(result.links)
        return result
    }

    private func links(document: HTMLDocument, pageURL: URL, rules: DiscoverRules, limit: Int) -> DiscoveryResult {
        var result = DiscoveryResult(feedURL: FeedParser.advertisedFeed(in: document))
        if let selector = rules.links {
            switch selectorLinks(selector, document: document, limit: limit) {
            case .success(let links) where !links.isEmpty:
                result.links = links
                return result
            case .success:
                result.warnings.append("[discover] links = \"\(selector)\" matched no links on \(pageURL.absoluteString); using automatic discovery")
            case .failure(let error):
                result.warnings.append("[discover] links: \(error); using automatic discovery")
            }
        }
        result.links = PageLinkAnalysis(document: document, pageURL: pageURL, configuration: configuration)
            .articleLinks(limit: limit)
        return result
    }

    /// Every candidate link group of an HTML page with its score parts and verdict, and the
    /// links `discover` gives for it (all of them: no limit). Feeds and sitemaps have no groups.
    public func explain(page: Page, rules: DiscoverRules = .init()) -> DiscoveryExplanation {
        let result = discover(page: page, rules: rules, limit: Int.max)
        guard !FeedParser.looksLikeFeed(page), let document = HTMLDocument(html: page.text, url: page.url) else {
            return DiscoveryExplanation(groups: [], result: result)
        }
        let (groups, _) = PageLinkAnalysis(document: document, pageURL: page.url, configuration: configuration).explanation()
        return DiscoveryExplanation(groups: groups, result: result)
    }

    /// Sitemaps list URLs in no useful order: dated ones newest first, then undated ones in file order.
    static func newestFirst(_ links: [DiscoveredLink]) -> [DiscoveredLink] {
        let dated = links.enumerated().filter { $0.element.dateHint != nil }
            .sorted { ($0.element.dateHint!.date, -$0.offset) > ($1.element.dateHint!.date, -$1.offset) }.map(\.element)
        return dated + links.filter { $0.dateHint == nil }
    }

    /// Links matched by a selector: matched `<a href>` elements, or the first `<a href>` inside
    /// each matched element (so `li.item` works as well as `li.item a`).
    func selectorLinks(_ selector: String, document: HTMLDocument, limit: Int) -> Result<[DiscoveredLink], SelectorError> {
        let xpath: String
        switch SelectorTranslator.xpath(for: selector) {
        case .success(let x): xpath = x
        case .failure(let e): return .failure(e)
        }
        var seen = Set<String>()
        var links: [DiscoveredLink] = []
        for node in document.select(xpath: xpath) where links.count < limit {
            let anchor = node.name == "a" && node.attribute("href") != nil ? node : node.descendants(named: "a").first { $0.attribute("href") != nil }
            guard let anchor, let href = anchor.attribute("href"), let url = LinkTarget.resolve(href, in: document) else { continue }
            guard seen.insert(url.absoluteString).inserted else { continue }
            let title = LinkTarget.title(of: anchor)
            var hint: Timestamp?
            if let parent = anchor.parent, let text = PageLinkAnalysis.text(of: parent, upTo: PageLinkAnalysis.dateContextCharacters) {
                hint = DateScanner.first(in: text)?.timestamp(in: configuration.timeZone)
            }
            links.append(DiscoveredLink(url: url, title: title,
                                        dateHint: hint ?? DateScanner.first(inURL: url)?.timestamp(in: configuration.timeZone),
                                        via: .selector))
        }
        return .success(links)
    }
}
