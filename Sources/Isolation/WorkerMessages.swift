import Discovery
import Extraction
import Fetching
import Foundation
import TidingsCore

/// What the daemon asks a worker, and what it answers. A request carries the page and what
/// the parsers need of its source (time zone, extraction and discovery rules).
enum WorkerRequest {
    case article(Page, Source)
    case links(Page, Source, DiscoverRules, limit: Int)
    case sitemaps(robotsTxt: String, robotsURL: URL)
    /// What the no-links diagnosis needs of a listing.
    case evidence(Page, Source)
    /// A fetched body to inflate (a gzip file) and decode to text.
    case body([UInt8], contentType: String?, url: URL, limit: Int)
    /// A robots.txt body to read for one product token.
    case robots([UInt8], productToken: String)

    enum Kind: UInt8 { case article = 1, links, sitemaps, evidence, body, robots }

    func encoded() -> [UInt8]? {
        var w = WireWriter(capacity: 256 + pageBytes)
        switch self {
        case .article(let page, let source):
            w.u8(Kind.article.rawValue)
            w.source(source)
            w.page(page)
        case .links(let page, let source, let rules, let limit):
            w.u8(Kind.links.rawValue)
            w.source(source)
            w.page(page)
            w.discoverRules(rules)
            w.int(limit)
        case .sitemaps(let text, let url):
            w.u8(Kind.sitemaps.rawValue)
            w.string(text)
            w.url(url)
        case .evidence(let page, let source):
            w.u8(Kind.evidence.rawValue)
            w.source(source)
            w.page(page)
        case .body(let bytes, let contentType, let url, let limit):
            w.u8(Kind.body.rawValue)
            w.raw(bytes)
            w.optional(contentType) { $0.string($1) }
            w.url(url)
            w.int(limit)
        case .robots(let bytes, let token):
            w.u8(Kind.robots.rawValue)
            w.raw(bytes)
            w.string(token)
        }
        return w.frame()
    }

    private var pageBytes: Int {
        switch self {
        case .article(let page, _), .links(let page, _, _, _), .evidence(let page, _): return page.text.utf8.count + (page.undecodedBody?.count ?? 0)
        case .sitemaps(let text, _): return text.utf8.count
        case .body(let bytes, _, _, _), .robots(let bytes, _): return bytes.count
        }
    }

    static func decoded(_ payload: [UInt8]) throws(WireError) -> WorkerRequest {
        var r = WireReader(payload)
        guard let kind = Kind(rawValue: try r.u8()) else { throw WireError(description: "unknown request") }
        switch kind {
        case .article:
            let source = try r.source()
            return .article(try r.page(), source)
        case .links:
            let source = try r.source()
            let page = try r.page()
            let rules = try r.discoverRules()
            return .links(page, source, rules, limit: try r.int())
        case .sitemaps:
            return .sitemaps(robotsTxt: try r.string(), robotsURL: try r.url())
        case .evidence:
            let source = try r.source()
            return .evidence(try r.page(), source)
        case .body:
            let bytes = try r.raw()
            let contentType = try r.optional { (r: inout WireReader) throws(WireError) in try r.string() }
            return .body(bytes, contentType: contentType, url: try r.url(), limit: try r.int())
        case .robots:
            return .robots(try r.raw(), productToken: try r.string())
        }
    }
}

/// A worker's answer to one request.
enum WorkerResponse {
    case article(ArticlePage)
    case links(DiscoveryResult)
    case sitemaps([URL])
    case evidence(DiscoveryDiagnosis.ListingEvidence)
    case body(Result<DecodedBody, BodyReadFailure>)
    case robots(RobotsRules)
    /// The worker could not read the request (a bug, not the page's fault).
    case refused(String)

    func encoded() -> [UInt8]? {
        var w = WireWriter(capacity: 4096)
        switch self {
        case .article(let page):
            w.u8(1)
            switch page.article {
            case .success(let article): w.bool(true); w.article(article)
            case .failure(let failure): w.bool(false); w.failure(failure)
            }
            w.optional(page.nextPage) { $0.url($1) }
        case .links(let result):
            w.u8(2)
            w.discovery(result)
        case .sitemaps(let urls):
            w.u8(3)
            w.array(urls) { $0.url($1) }
        case .evidence(let evidence):
            w.u8(4)
            w.evidence(evidence)
        case .body(.success(let body)):
            w.u8(5)
            w.string(body.text)
            w.string(body.charset)
            w.string(body.reason)
            w.int(body.byteCount)
        case .body(.failure(let failure)):
            w.u8(6)
            switch failure {
            case .tooLarge: w.u8(0)
            case .brokenGzip(let cause): w.u8(1); w.string(cause)
            case .unreadable(let cause): w.u8(2); w.string(cause)
            }
        case .robots(let rules):
            w.u8(7)
            w.array(rules.entries) { w, entry in
                w.bool(entry.allows)
                w.raw(entry.pattern)
            }
        case .refused(let reason):
            w.u8(0)
            w.string(reason)
        }
        return w.frame()
    }

    static func decoded(_ payload: [UInt8]) throws(WireError) -> WorkerResponse {
        var r = WireReader(payload)
        switch try r.u8() {
        case 1:
            let article: Result<Article, ExtractionFailure> = try r.bool() ? .success(try r.article()) : .failure(try r.failure())
            return .article(ArticlePage(article: article, nextPage: try r.optional { (r: inout WireReader) throws(WireError) in try r.url() }))
        case 2: return .links(try r.discovery())
        case 3: return .sitemaps(try r.array { (r: inout WireReader) throws(WireError) in try r.url() })
        case 4: return .evidence(try r.evidence())
        case 5: return .body(.success(DecodedBody(text: try r.string(), charset: try r.string(), reason: try r.string(), byteCount: try r.int())))
        case 6:
            switch try r.u8() {
            case 0: return .body(.failure(.tooLarge))
            case 1: return .body(.failure(.brokenGzip(try r.string())))
            case 2: return .body(.failure(.unreadable(try r.string())))
            case let other: throw WireError(description: "unknown body failure \(other)")
            }
        case 7:
            return .robots(RobotsRules(entries: try r.array { (r: inout WireReader) throws(WireError) -> (allows: Bool, pattern: [UInt8]) in
                (try r.bool(), try r.raw())
            }))
        case 0: return .refused(try r.string())
        case let other: throw WireError(description: "unknown answer \(other)")
        }
    }
}

// MARK: The values, field by field

extension WireWriter {
    /// The parts of a source the parsers read; the rest stays with the daemon.
    mutating func source(_ source: Source) {
        string(source.id)
        url(source.url)
        optional(source.timeZone) { $0.string($1) }
        let rules = source.extract
        for selector in [rules.content, rules.title, rules.date, rules.author] { optional(selector) { $0.string($1) } }
        array(rules.remove) { $0.string($1) }
        discoverRules(source.discover)
    }

    mutating func discoverRules(_ rules: DiscoverRules) {
        optional(rules.links) { $0.string($1) }
        optional(rules.limit) { $0.int($1) }
        optional(rules.sitemap) { $0.url($1) }
    }

    mutating func page(_ page: Page) {
        url(page.requestedURL)
        url(page.url)
        int(page.status)
        optional(page.contentType) { $0.string($1) }
        string(page.text)
        string(page.charset)
        optional(page.undecodedBody) { $0.raw($1) }
    }

    mutating func article(_ a: Article) {
        url(a.url)
        url(a.canonicalURL)
        optional(a.canonicalHint) { $0.url($1) }
        string(a.title)
        optional(a.author) { $0.string($1) }
        optional(a.published) { $0.timestamp($1) }
        optional(a.outlet) { $0.string($1) }
        optional(a.language) { $0.string($1) }
        optional(a.leadImage) { $0.url($1) }
        string(a.html)
        string(a.text)
        string(a.summary)
        optional(a.keywords) { $0.array($1) { $0.string($1) } }
        optional(a.fingerprint) { $0.u64($1) }
    }

    mutating func failure(_ f: ExtractionFailure) {
        string(f.reason.rawValue)
        string(f.detail)
        optional(f.metadata) { $0.article($1) }
    }

    mutating func discovery(_ d: DiscoveryResult) {
        array(d.links) { w, link in
            w.url(link.url)
            w.string(link.title)
            w.optional(link.dateHint) { $0.timestamp($1) }
            w.string(link.via.rawValue)
            w.array(link.ignoredParameters.sorted()) { $0.string($1) }
        }
        optional(d.feedURL) { $0.url($1) }
        array(d.sitemapURLs) { $0.url($1) }
        array(d.warnings) { $0.string($1) }
    }
}

extension WireWriter {
    mutating func evidence(_ e: DiscoveryDiagnosis.ListingEvidence) {
        optional(e.signs) { w, signs in
            w.int(signs.visibleCharacters)
            w.int(signs.scriptCharacters)
            w.bool(signs.hasNoscriptNotice)
        }
        array(e.groups) { w, group in
            w.string(group.path)
            w.int(group.links)
            w.array(group.sample) { $0.string($1) }
            w.array(group.urls) { $0.string($1) }
            for part in [group.parts.text, group.parts.url, group.parts.structure, group.parts.furniture] { w.double(part) }
            w.double(group.score)
            w.bool(group.kept)
            w.string(group.reason)
        }
    }
}

extension WireReader {
    mutating func evidence() throws(WireError) -> DiscoveryDiagnosis.ListingEvidence {
        let signs = try optional { (r: inout WireReader) throws(WireError) in
            DiscoveryDiagnosis.PageSigns(visibleCharacters: try r.int(), scriptCharacters: try r.int(), hasNoscriptNotice: try r.bool())
        }
        let groups = try array { (r: inout WireReader) throws(WireError) -> LinkGroupExplanation in
            let path = try r.string(), links = try r.int()
            let sample = try r.array { (r: inout WireReader) throws(WireError) in try r.string() }
            let urls = try r.array { (r: inout WireReader) throws(WireError) in try r.string() }
            let parts = LinkGroupExplanation.Parts(text: try r.double(), url: try r.double(), structure: try r.double(), furniture: try r.double())
            return LinkGroupExplanation(path: path, links: links, sample: sample, urls: urls, parts: parts, score: try r.double(), kept: try r.bool(),
                                        reason: try r.string())
        }
        return DiscoveryDiagnosis.ListingEvidence(signs: signs, groups: groups)
    }

    mutating func source() throws(WireError) -> Source {
        let id = try string(), url = try url()
        let timeZone = try optional { (r: inout WireReader) throws(WireError) in try r.string() }
        var selectors: [String?] = []
        for _ in 0..<4 { selectors.append(try optional { (r: inout WireReader) throws(WireError) in try r.string() }) }
        let remove = try array { (r: inout WireReader) throws(WireError) in try r.string() }
        let rules = ExtractRules(content: selectors[0], title: selectors[1], date: selectors[2], author: selectors[3], remove: remove)
        return Source(id: id, title: id, url: url, timeZone: timeZone, discover: try discoverRules(), extract: rules)
    }

    mutating func discoverRules() throws(WireError) -> DiscoverRules {
        let links = try optional { (r: inout WireReader) throws(WireError) in try r.string() }
        let limit = try optional { (r: inout WireReader) throws(WireError) in try r.int() }
        return DiscoverRules(links: links, limit: limit, sitemap: try optional { (r: inout WireReader) throws(WireError) in try r.url() })
    }

    mutating func page() throws(WireError) -> Page {
        let requested = try url(), final = try url(), status = try int()
        let contentType = try optional { (r: inout WireReader) throws(WireError) in try r.string() }
        var page = Page(requestedURL: requested, url: final, status: status, contentType: contentType, text: try string(), charset: try string())
        page.undecodedBody = try optional { (r: inout WireReader) throws(WireError) in try r.raw() }
        return page
    }

    mutating func article() throws(WireError) -> Article {
        let pageURL = try url(), canonical = try url()
        let canonicalHint = try optional { (r: inout WireReader) throws(WireError) in try r.url() }
        let title = try string()
        let author = try optional { (r: inout WireReader) throws(WireError) in try r.string() }
        let published = try optional { (r: inout WireReader) throws(WireError) in try r.timestamp() }
        let outlet = try optional { (r: inout WireReader) throws(WireError) in try r.string() }
        let language = try optional { (r: inout WireReader) throws(WireError) in try r.string() }
        let leadImage = try optional { (r: inout WireReader) throws(WireError) in try r.url() }
        var article = Article(url: pageURL, canonicalURL: canonical, title: title, author: author, published: published, outlet: outlet,
                              language: language, leadImage: leadImage, html: try string(), text: try string(), summary: try string())
        article.canonicalHint = canonicalHint
        article.keywords = try optional { (r: inout WireReader) throws(WireError) in
            try r.array { (r: inout WireReader) throws(WireError) in try r.string() }
        }
        article.fingerprint = try optional { (r: inout WireReader) throws(WireError) in try r.u64() }
        return article
    }

    mutating func failure() throws(WireError) -> ExtractionFailure {
        let reasonText = try string()
        guard let reason = ExtractionFailure.Reason(rawValue: reasonText) else { throw WireError(description: "unknown reason \(reasonText)") }
        var failure = ExtractionFailure(reason, try string())
        failure.metadata = try optional { (r: inout WireReader) throws(WireError) in try r.article() }
        return failure
    }

    mutating func discovery() throws(WireError) -> DiscoveryResult {
        let links = try array { (r: inout WireReader) throws(WireError) -> DiscoveredLink in
            let linkURL = try r.url(), title = try r.string()
            let dateHint = try r.optional { (r: inout WireReader) throws(WireError) in try r.timestamp() }
            let viaText = try r.string()
            guard let via = DiscoveredLink.Via(rawValue: viaText) else { throw WireError(description: "unknown link kind \(viaText)") }
            var link = DiscoveredLink(url: linkURL, title: title, dateHint: dateHint, via: via)
            link.ignoredParameters = Set(try r.array { (r: inout WireReader) throws(WireError) in try r.string() })
            return link
        }
        let feedURL = try optional { (r: inout WireReader) throws(WireError) in try r.url() }
        let sitemaps = try array { (r: inout WireReader) throws(WireError) in try r.url() }
        return DiscoveryResult(links: links, feedURL: feedURL, sitemapURLs: sitemaps,
                               warnings: try array { (r: inout WireReader) throws(WireError) in try r.string() })
    }
}
