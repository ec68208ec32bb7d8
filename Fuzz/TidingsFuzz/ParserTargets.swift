import Discovery
import Extraction
import Fetching
import Foundation
import TidingsCore

/// The parsers of outside data, each fed the fuzzer's bytes the way Tidings meets them.
enum ParserTargets {
    static let pageURL = URL(string: "https://news.example.com/section/story-1.html")!
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// An article page, through extraction (metadata, content, sanitizer) and pagination.
    @Sendable static func extract(_ bytes: [UInt8]) {
        let page = Page(requestedURL: pageURL, url: pageURL, contentType: "text/html", text: bytes.text)
        _ = Extractor(configuration: ExtractorConfiguration(timeZone: zone)).extract(page)
        if let document = HTMLDocument(html: page.text, url: pageURL) {
            _ = ArticlePagination.nextPage(in: document, pageURL: pageURL)
        }
    }

    /// A listing page; the first line is the source's `[discover] links` selector (empty: heuristics).
    @Sendable static func discover(_ bytes: [UInt8]) {
        let (selector, body) = bytes.firstLineAndRest
        let page = Page(requestedURL: pageURL, url: pageURL, contentType: "text/html", text: body.text)
        let rules = DiscoverRules(links: selector.isEmpty ? nil : selector)
        _ = LinkDiscoverer(configuration: DiscoveryConfiguration(timeZone: zone)).discover(page: page, rules: rules, limit: 50)
        // What the no-links diagnosis reads of a listing (a worker's 'evidence' answer).
        _ = DiscoveryDiagnosis.evidence(on: page, configuration: DiscoveryConfiguration(timeZone: zone))
    }

    /// An RSS, RDF or Atom feed, a sitemap or a sitemap index.
    @Sendable static func feed(_ bytes: [UInt8]) {
        let text = bytes.text
        _ = FeedParser(configuration: DiscoveryConfiguration(timeZone: zone)).parse(text: text, url: pageURL)
        let page = Page(requestedURL: pageURL, url: pageURL, contentType: "application/xml", text: text)
        _ = LinkDiscoverer(configuration: DiscoveryConfiguration(timeZone: zone)).discover(page: page, limit: 50)
    }

    /// A source file and a tidings.toml.
    @Sendable static func toml(_ bytes: [UInt8]) {
        let text = bytes.text
        _ = SourceParser.parse(fileName: "fuzz.toml", text: text, baseDirectory: URL(fileURLWithPath: "/nonexistent"))
        _ = Settings.parse(text: text, fileName: "tidings.toml")
    }

    /// A robots.txt: our group, a few paths asked, and its Sitemap lines.
    @Sendable static func robots(_ bytes: [UInt8]) {
        let text = bytes.text
        let rules = RobotsRules(parsing: text, productToken: "Tidings")
        for path in ["/", "/section/story-1.html?x=1", "/a%2Fb/*$", "/%E4%B8%AD"] { _ = rules.allows(path) }
        _ = SitemapLocator.sitemaps(inRobotsTxt: text, robotsURL: URL(string: "https://news.example.com/robots.txt")!)
    }

    /// A Content-Type header (first line) and a body read as the Fetcher's body reader reads
    /// it: a gzip file inflated (a .gz URL), the charset sniffed and decoded.
    @Sendable static func charset(_ bytes: [UInt8]) {
        let (contentType, body) = bytes.firstLineAndRest
        _ = InProcessBodyReader.decodedBody(body, contentType: contentType.isEmpty ? nil : contentType,
                                            url: URL(string: "https://news.example.com/sitemap.xml.gz")!, limit: 4 << 20)
        _ = CharsetDecoder.canonicalName(contentType)
    }

    /// The date module's readers (RFC 3339, HTTP dates, feed dates, dates in text and in
    /// URLs) and its formatter on whatever they read.
    @Sendable static func date(_ bytes: [UInt8]) {
        let text = bytes.text
        var found: [Timestamp] = []
        found += [Timestamp(rfc3339: text), FeedDate.parse(text, zone: zone), HTTPDate.parse(text).map { Timestamp(date: $0, offsetSeconds: 0) }]
            .compactMap { $0 }
        found += DateScanner(text).all(limit: 8).map { $0.timestamp(in: zone) }
        if let url = URL(string: text), let inURL = DateScanner.first(inURL: url) { found.append(inURL.timestamp(in: zone)) }
        for timestamp in found {
            for style in [Timestamp.Style.rfc3339, .rfc822, .imfFixdate, .day, .readable] { _ = timestamp.formatted(style) }
            _ = timestamp.printable
        }
    }

    /// A link as found on a page: resolved against the page, canonicalized, keyed; also as
    /// the page's canonical hint.
    @Sendable static func url(_ bytes: [UInt8]) {
        let text = bytes.text
        if let url = URL(string: text) {
            _ = URLCanonicalizer.canonical(url)
            _ = URLCanonicalizer.identityKey(url)
            _ = ArticlePagination.isContinuation(url, of: pageURL)
        }
        let escaped = text.replacingOccurrences(of: "\"", with: "&quot;")
        let html = "<html><head><link rel=\"canonical\" href=\"\(escaped)\"><base href=\"\(escaped)\"></head>"
            + "<body><a href=\"\(escaped)\">x</a></body></html>"
        guard let document = HTMLDocument(html: html, url: pageURL) else { return }
        if let resolved = document.absoluteURL(text) {
            _ = URLCanonicalizer.canonical(resolved)
            _ = URLCanonicalizer.identityKey(resolved)
        }
        // The page's canonical hint against its fetched URL and a second page's, as a refresh weighs them.
        let hint = document.absoluteURL(text)
        let other = URL(string: "https://news.example.com/2024/01/02/other.html")!
        _ = IdentityResolver(listingURLs: [URL(string: "https://news.example.com/")!]).identities(of: [
            IdentityResolver.Page(link: DiscoveredLink(url: pageURL, title: "a", via: .pageLinks), fetchedURL: pageURL, canonicalHint: hint, fingerprint: 1),
            IdentityResolver.Page(link: DiscoveredLink(url: other, title: "b", via: .feed), fetchedURL: other, canonicalHint: hint, fingerprint: 2),
        ])
    }
}
