import Discovery
import Extraction
import Fetching
import Foundation
import TidingsCore

/// Turns fetched pages into what a refresh needs: the article on a page (and the link to its
/// next part), the links a listing, feed or sitemap offers, the sitemaps robots.txt names;
/// and, as the Fetcher's `BodyReader`, fetched bytes into text and robots.txt into rules.
/// Where the parsing runs is the reader's business: `InProcessPageReader` in this process
/// (the library, the tests, one-off commands), `WorkerPageReader` in worker processes that
/// may crash or hang on a page without taking the caller down.
public protocol PageReader: BodyReader {
    func article(on page: Page, of source: Source) async -> Result<ArticlePage, PageReadFailure>
    func links(on page: Page, of source: Source, rules: DiscoverRules, limit: Int) async -> Result<DiscoveryResult, PageReadFailure>
    func sitemaps(inRobotsTxt page: Page, robotsURL: URL) async -> Result<[URL], PageReadFailure>
    /// What the no-links diagnosis reads of a listing (its signs and link groups).
    func evidence(on listing: Page, of source: Source) async -> Result<DiscoveryDiagnosis.ListingEvidence, PageReadFailure>
}

/// A page the reader could not read at all: its worker crashed, ran past the time limit, or
/// could not be started. (A page that is simply not an article is an `ExtractionFailure`.)
public struct PageReadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The worker died reading the page (a trap, a signal, out of memory).
        case crashed
        /// The worker was still reading the page when the time limit ran out, and was killed.
        case timedOut = "timed_out"
        /// No worker could be started or spoken to.
        case unavailable
    }

    public var kind: Kind
    public var url: URL
    public var detail: String

    public init(_ kind: Kind, url: URL, detail: String) {
        self.kind = kind
        self.url = url
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .crashed: return "extractor crashed on \(url.absoluteString) (\(detail)); the page was skipped"
        case .timedOut: return "extractor timed out on \(url.absoluteString) (\(detail)); the page was skipped"
        case .unavailable: return "no extractor worker for \(url.absoluteString): \(detail)"
        }
    }
}

/// The parsing itself, the same wherever it runs.
enum PageReading {
    /// A page fetched undecoded (`Page.undecodedBody`) is decoded first: one step, so its
    /// bytes cross to a worker once and its text never comes back.
    static func article(on page: Page, of source: Source) -> ArticlePage {
        let extractor = Extractor(configuration: ExtractorConfiguration(
            timeZone: source.timeZone.flatMap(TimeZone.init(identifier:)), rules: source.extract))
        let text = page.undecodedBody.map { CharsetDecoder.decode($0, contentType: page.contentType).text } ?? page.text
        return ArticlePage.read(html: text, url: page.url, extractor: extractor)
    }

    static func links(on page: Page, of source: Source, rules: DiscoverRules, limit: Int) -> DiscoveryResult {
        LinkDiscoverer(configuration: DiscoveryConfiguration(source: source)).discover(page: page, rules: rules, limit: limit)
    }

    static func sitemaps(inRobotsTxt text: String, robotsURL: URL) -> [URL] {
        SitemapLocator.sitemaps(inRobotsTxt: text, robotsURL: robotsURL)
    }

    static func evidence(on listing: Page, of source: Source) -> DiscoveryDiagnosis.ListingEvidence {
        DiscoveryDiagnosis.evidence(on: listing, configuration: DiscoveryConfiguration(source: source))
    }

    static func answer(_ request: WorkerRequest) -> WorkerResponse {
        switch request {
        case .article(let page, let source): return .article(article(on: page, of: source))
        case .links(let page, let source, let rules, let limit): return .links(links(on: page, of: source, rules: rules, limit: limit))
        case .sitemaps(let text, let url): return .sitemaps(sitemaps(inRobotsTxt: text, robotsURL: url))
        case .evidence(let page, let source): return .evidence(evidence(on: page, of: source))
        case .body(let bytes, let contentType, let url, let limit):
            return .body(InProcessBodyReader.decodedBody(bytes, contentType: contentType, url: url, limit: limit))
        case .robots(let bytes, let token): return .robots(InProcessBodyReader.robotsRules(bytes, productToken: token))
        }
    }
}

/// Parses in the calling process: a trap here takes the process down. For the library, the
/// tests and one-off commands, where no worker executable is at hand.
public struct InProcessPageReader: PageReader {
    public init() {}

    public func article(on page: Page, of source: Source) async -> Result<ArticlePage, PageReadFailure> {
        .success(PageReading.article(on: page, of: source))
    }

    public func links(on page: Page, of source: Source, rules: DiscoverRules, limit: Int) async -> Result<DiscoveryResult, PageReadFailure> {
        .success(PageReading.links(on: page, of: source, rules: rules, limit: limit))
    }

    public func sitemaps(inRobotsTxt page: Page, robotsURL: URL) async -> Result<[URL], PageReadFailure> {
        .success(PageReading.sitemaps(inRobotsTxt: page.text, robotsURL: robotsURL))
    }

    public func evidence(on listing: Page, of source: Source) async -> Result<DiscoveryDiagnosis.ListingEvidence, PageReadFailure> {
        .success(PageReading.evidence(on: listing, of: source))
    }

    public func decodedBody(_ body: [UInt8], contentType: String?, url: URL, limit: Int) async -> Result<DecodedBody, BodyReadFailure> {
        InProcessBodyReader.decodedBody(body, contentType: contentType, url: url, limit: limit)
    }

    public func robotsRules(_ body: [UInt8], productToken: String, url: URL) async -> Result<RobotsRules, BodyReadFailure> {
        .success(InProcessBodyReader.robotsRules(body, productToken: productToken))
    }
}
