import Foundation
import Extraction
import TidingsCore

/// Options of the link discoverer.
public struct DiscoveryConfiguration: Sendable {
    public init() {}
}

/// One article link found on a listing page.
public struct DiscoveredLink: Sendable, Hashable {
    public enum Via: String, Sendable, Hashable { case pageLinks, feed, sitemap, selector }
    public var url: URL
    public var title: String
    public var dateHint: Timestamp?
    public var via: Via

    public init(url: URL, title: String, dateHint: Timestamp? = nil, via: Via) {
        self.url = url
        self.title = title
        self.dateHint = dateHint
        self.via = via
    }
}

/// The article links a page offers now, in page order.
public struct DiscoveryResult: Sendable {
    public var links: [DiscoveredLink]
    /// A feed the page advertises with `<link rel="alternate">`.
    public var feedURL: URL?

    public init(links: [DiscoveredLink], feedURL: URL? = nil) {
        self.links = links
        self.feedURL = feedURL
    }
}

/// Finds article links on listing pages.
public struct LinkDiscoverer: Sendable {
    public let configuration: DiscoveryConfiguration

    public init(configuration: DiscoveryConfiguration = .init()) {
        self.configuration = configuration
    }

    public func discover(page: Page, rules: DiscoverRules, limit: Int) -> DiscoveryResult {
        guard let document = HTMLDocument(html: page.text, url: page.url) else { return DiscoveryResult(links: []) }
        var seen = Set<String>()
        var links: [DiscoveredLink] = []
        for anchor in document.select(xpath: "//a[@href]") {
            guard let href = anchor.attribute("href"), let url = document.absoluteURL(href) else { continue }
            let title = anchor.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard Self.looksLikeArticle(url: url, title: title, listing: page.url), seen.insert(url.absoluteString).inserted else { continue }
            links.append(DiscoveredLink(url: url, title: title, via: .pageLinks))
            if links.count >= limit { break }
        }
        return DiscoveryResult(links: links)
    }

    static func looksLikeArticle(url: URL, title: String, listing: URL) -> Bool {
        guard url.scheme == listing.scheme, url.host == listing.host else { return false }
        let path = url.path
        let articleShape = path.range(of: #"(\d{4}[-/]?\d{2}[-/]?\d{2}|\d{5,}|content_)"#, options: .regularExpression) != nil
            && (path.hasSuffix(".html") || path.hasSuffix(".shtml") || path.hasSuffix(".htm"))
        let cjk = title.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count
        let words = title.split(whereSeparator: \.isWhitespace).count
        return articleShape && (cjk >= 8 || words >= 4)
    }
}
