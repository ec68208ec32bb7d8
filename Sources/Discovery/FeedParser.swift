import Foundation
import Extraction
import TidingsCore

/// Why a site's feed or sitemap could not be used.
public struct FeedError: Error, Sendable, Hashable, CustomStringConvertible {
    public var url: URL
    public var reason: String

    public init(url: URL, reason: String) {
        self.url = url
        self.reason = reason
    }

    public var description: String { "feed \(url.absoluteString): \(reason)" }
}

/// A parsed feed or sitemap: its items as discovery links.
public struct ParsedFeed: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable { case rss, rdf, atom, sitemap, sitemapIndex }
    public var format: Format
    public var title: String?
    /// Items in feed order; for a sitemap index, the child sitemaps (`via: .sitemap`).
    public var links: [DiscoveredLink]
}

/// Reads RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0 and sitemaps (incl. Google News) safely.
public struct FeedParser: Sendable {

    public let configuration: DiscoveryConfiguration

    public init(configuration: DiscoveryConfiguration = .init()) {
        self.configuration = configuration
    }

    /// True when a fetched page is a feed or a sitemap rather than HTML.
    public static func looksLikeFeed(_ page: Page) -> Bool {
        let type = (page.contentType ?? "").lowercased()
        if type.contains("html") { return false }
        let head = page.text.prefix(2048).drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        for root in ["<rss", "<feed", "<rdf:RDF", "<urlset", "<sitemapindex"] where head.contains(root) {
            if head.hasPrefix("<?xml") || head.hasPrefix(root) || head.hasPrefix("<!--") { return true }
        }
        return false
    }

    /// The first `<link rel="alternate">` to an RSS or Atom feed, excluding comment feeds.
    public static func advertisedFeed(in document: HTMLDocument) -> URL? {
        let xpath = "//link[contains(concat(' ', translate(@rel, 'ALTERNATE', 'alternate'), ' '), ' alternate ')][@href]"
        for link in document.select(xpath: xpath) {
            let type = (link.attribute("type") ?? "").lowercased()
            guard type.contains("rss+xml") || type.contains("atom+xml") || type.contains("rdf+xml") else { continue }
            let title = (link.attribute("title") ?? "").lowercased()
            let href = link.attribute("href") ?? ""
            if title.contains("comment") || title.contains("评论") || href.contains("comments/feed") { continue }
            if let url = document.absoluteURL(href) { return url }
        }
        return nil
    }

    public func parse(text: String, url: URL) -> Result<ParsedFeed, FeedError> {
        guard let tree = XMLTree(text: text, url: url), let root = tree.root else {
            return .failure(FeedError(url: url, reason: "not well-formed XML"))
        }
        if tree.isCutShortByNesting {
            return .failure(FeedError(url: url, reason: "too deeply nested: libxml2 stops reading at 256 levels and the rest would be lost"))
        }
        switch root.localName {
        case "rss":
            guard let channel = root.child("channel") else { return .failure(FeedError(url: url, reason: "<rss> without <channel>")) }
            return .success(ParsedFeed(format: .rss, title: channel.child("title")?.text,
                                       links: channel.children(named: "item").compactMap { rssItem($0, feedURL: url) }))
        case "RDF":
            return .success(ParsedFeed(format: .rdf, title: root.child("channel")?.child("title")?.text,
                                       links: root.children(named: "item").compactMap { rssItem($0, feedURL: url) }))
        case "feed":
            return .success(ParsedFeed(format: .atom, title: root.child("title")?.text,
                                       links: root.children(named: "entry").compactMap { atomEntry($0, feedURL: url) }))
        case "urlset":
            return .success(ParsedFeed(format: .sitemap, title: nil,
                                       links: root.children(named: "url").compactMap { sitemapURL($0, feedURL: url) }))
        case "sitemapindex":
            return .success(ParsedFeed(format: .sitemapIndex, title: nil,
                                       links: root.children(named: "sitemap").compactMap { sitemapURL($0, feedURL: url) }))
        default:
            return .failure(FeedError(url: url, reason: "root element <\(root.localName)> is not rss, RDF, feed, urlset or sitemapindex"))
        }
    }

    func rssItem(_ item: XMLTreeElement, feedURL: URL) -> DiscoveredLink? {
        var href = item.child("link")?.text ?? ""
        if href.isEmpty, let guid = item.child("guid"), guid.attribute("isPermaLink")?.lowercased() != "false" {
            href = guid.text
        }
        if href.isEmpty { href = item.attribute("about") ?? "" }
        guard let url = resolve(href, base: item.baseURL ?? feedURL) else { return nil }
        let date = [item.child("pubDate"), item.child("date"), item.child("published"), item.child("updated")]
            .compactMap { $0 }.lazy.compactMap { FeedDate.parse($0.text, zone: self.configuration.timeZone) }.first
        return link(url: url, title: item.child("title")?.text ?? "", date: date)
    }

    func atomEntry(_ entry: XMLTreeElement, feedURL: URL) -> DiscoveredLink? {
        let links = entry.children(named: "link")
        let alternate = links.first { ($0.attribute("rel") ?? "alternate") == "alternate" && $0.attribute("href") != nil }
        let href = alternate?.attribute("href") ?? links.first?.attribute("href") ?? entry.child("id")?.text ?? ""
        guard let url = resolve(href, base: (alternate ?? entry).baseURL ?? feedURL) else { return nil }
        let date = [entry.child("published"), entry.child("updated"), entry.child("issued"), entry.child("modified")]
            .compactMap { $0 }.lazy.compactMap { FeedDate.parse($0.text, zone: self.configuration.timeZone) }.first
        return link(url: url, title: atomText(entry.child("title")) ?? "", date: date)
    }

    func sitemapURL(_ element: XMLTreeElement, feedURL: URL) -> DiscoveredLink? {
        guard let url = resolve(element.child("loc")?.text ?? "", base: feedURL) else { return nil }
        let news = element.child("news")
        let dateText = news?.child("publication_date")?.text ?? element.child("lastmod")?.text
        return DiscoveredLink(url: url, title: news?.child("title")?.text ?? "",
                              dateHint: dateText.flatMap { FeedDate.parse($0, zone: configuration.timeZone) },
                              via: .sitemap)
    }

    func link(url: URL, title: String, date: Timestamp?) -> DiscoveredLink {
        DiscoveredLink(url: url, title: HeadlineText.normalize(Self.plainText(title)), dateHint: date, via: .feed)
    }

    func resolve(_ href: String, base: URL) -> URL? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
              let scheme = url.scheme?.lowercased(), ["http", "https", "file"].contains(scheme) else { return nil }
        return url
    }

    /// Atom text constructs: `type="html"` is escaped markup, `type="xhtml"` is inline markup.
    func atomHTML(_ element: XMLTreeElement?) -> String? {
        guard let element else { return nil }
        switch element.attribute("type") ?? "text" {
        case "xhtml": return element.innerXML
        case "html", "text/html": return element.text
        default: return element.text.isEmpty ? nil : Self.escape(element.text)
        }
    }

    func atomText(_ element: XMLTreeElement?) -> String? {
        guard let element else { return nil }
        return (element.attribute("type") ?? "text") == "text" ? element.text : Self.plainText(atomHTML(element) ?? "")
    }

    /// Markup to text, entities decoded, whitespace collapsed.
    static func plainText(_ html: String) -> String {
        guard html.contains("<") || html.contains("&") else { return HeadlineText.normalize(html) }
        let document = HTMLDocument(html: "<html><body><div>" + html + "</div></body></html>",
                                    url: URL(string: "about:blank")!)
        return HeadlineText.normalize(document?.root?.text ?? html)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
