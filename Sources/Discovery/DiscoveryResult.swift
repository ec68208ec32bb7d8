import Foundation
import TidingsCore

/// One article link found on a listing page, in a feed or in a sitemap.
public struct DiscoveredLink: Sendable, Hashable {
    /// How a link was found.
    public enum Via: String, Sendable, Hashable, Codable, CaseIterable {
        /// Chosen among the page's links by the heuristics (no configuration).
        case pageLinks
        /// An item of an RSS or Atom feed.
        case feed
        /// A `<url>` of a sitemap.
        case sitemap
        /// Matched by the source's `[discover] links` selector.
        case selector
    }

    /// Absolute URL, fragment removed (not canonicalized: see `URLCanonicalizer`).
    public var url: URL
    /// The anchor text or the feed item's title, whitespace collapsed; may be empty.
    public var title: String
    /// A publication date printed next to the link, in its URL, or in the feed item.
    /// Dates without a time are midnight in the configured zone.
    public var dateHint: Timestamp?
    public var via: Via
    /// Query parameters (lower-cased) with one value on every link of the page this link was
    /// found on (`ListingParameters`): identity ignores them.
    public var ignoredParameters: Set<String> = []

    public init(url: URL, title: String, dateHint: Timestamp? = nil, via: Via) {
        self.url = url
        self.title = title
        self.dateHint = dateHint
        self.via = via
    }
}

extension DiscoveredLink {
    /// `URLCanonicalizer.identityKey(url)` without the listing's constant parameters: equal for
    /// scheme/www/trailing-slash and tracking variants.
    public var identityKey: String { URLCanonicalizer.identityKey(url, ignoring: ignoredParameters) }
}

/// What `LinkDiscoverer.discover` found on one page.
public struct DiscoveryResult: Sendable, Hashable {
    /// Article links in page order (newest first on a typical listing), at most `limit`.
    public var links: [DiscoveredLink]
    /// The site's own RSS/Atom feed advertised by `<link rel="alternate">`, if any. The caller
    /// may fetch it and pass it to `discover(page:…)` again; feed items carry dates.
    public var feedURL: URL?
    /// Child sitemaps when the page was a sitemap index (`<sitemapindex>`): fetch them and
    /// call `discover(page:…)` on each; the index itself lists no articles.
    public var sitemapURLs: [URL]
    /// Things the user should know, e.g. a configured selector that matched nothing.
    public var warnings: [String]

    public init(links: [DiscoveredLink] = [], feedURL: URL? = nil, sitemapURLs: [URL] = [], warnings: [String] = []) {
        self.links = links
        self.feedURL = feedURL
        self.sitemapURLs = sitemapURLs
        self.warnings = warnings
    }

    /// Combines a page's links with its feed's items: feed items first (they carry dates
    /// and summaries), then page links whose identity the feed did not list; at most `limit`.
    public func merged(with other: DiscoveryResult, limit: Int) -> DiscoveryResult {
        var seen = Set<String>()
        var links: [DiscoveredLink] = []
        for link in other.links + self.links where links.count < limit {
            if seen.insert(link.identityKey).inserted { links.append(link) }
        }
        return DiscoveryResult(links: links, feedURL: feedURL ?? other.feedURL,
                               sitemapURLs: sitemapURLs + other.sitemapURLs, warnings: warnings + other.warnings)
    }
}
