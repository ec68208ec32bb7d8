import Foundation
import TidingsCore

/// One URL to fetch, with the validators of the last successful fetch and per-source options.
public struct FetchRequest: Sendable {
    public var url: URL
    /// The ETag of the last fetch, sent back verbatim as If-None-Match.
    public var etag: String?
    /// The Last-Modified of the last fetch, sent back verbatim as If-Modified-Since.
    public var lastModified: String?
    /// The `Page.bodyHash` of the last fetch: an identical body gives `.notModified`
    /// without decoding (for servers that send no validators).
    public var previousBodyHash: String?
    /// Extra headers (per-source).
    public var headers: [String: String]
    /// A `Cookie` header value (per-source); not passed on to other hosts by redirects.
    public var cookies: String?
    public var referer: String?
    /// `file:` is allowed only when a source's configured URL is itself a file URL, never through a redirect.
    public var allowFileScheme: Bool
    /// False when a source opts out of robots.txt explicitly.
    public var obeysRobots: Bool
    /// Per-source override of `FetcherConfiguration.hostGap`.
    public var hostGap: TimeInterval?
    /// False: the page comes back with its bytes in `Page.undecodedBody` and no text, for a
    /// caller whose reader decodes and parses in one step (a gzip file is still inflated and
    /// decoded here, by the body reader).
    public var decodesBody = true

    public init(url: URL, etag: String? = nil, lastModified: String? = nil,
                headers: [String: String] = [:], allowFileScheme: Bool = false,
                previousBodyHash: String? = nil, cookies: String? = nil, referer: String? = nil,
                obeysRobots: Bool = true, hostGap: TimeInterval? = nil) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.headers = headers
        self.allowFileScheme = allowFileScheme
        self.previousBodyHash = previousBodyHash
        self.cookies = cookies
        self.referer = referer
        self.obeysRobots = obeysRobots
        self.hostGap = hostGap
    }

    /// A conditional request for the URL of an earlier page, carrying its validators and body hash.
    public init(revisiting page: Page) {
        self.init(url: page.requestedURL, etag: page.etag, lastModified: page.lastModified,
                  previousBodyHash: page.bodyHash)
    }
}

/// What a fetch gave: a page, or word that it has not changed since the validators
/// (or body hash) sent.
public enum FetchOutcome: Sendable {
    case page(Page)
    case notModified(URL)
}
