import Foundation

/// A fetched document, already decoded to text: what the Fetcher hands to later stages.
public struct Page: Sendable {
    /// The URL that was asked for.
    public var requestedURL: URL
    /// The URL after redirects; relative links resolve against it.
    public var url: URL
    public var status: Int
    public var contentType: String?
    /// The page as text (decoded from `charset`).
    public var text: String
    /// The encoding the bytes were decoded from, e.g. "GB18030" or "UTF-8".
    public var charset: String
    /// Why that encoding was chosen, e.g. "meta charset=gbk (mapped to GB18030)".
    public var charsetReason: String
    public var etag: String?
    public var lastModified: String?
    /// Size of the decoded body in bytes.
    public var byteCount: Int
    /// A hash of the body bytes ("tidings64:…"); an unchanged hash means an unchanged page
    /// when the server sends no validators. Change detection, not a security digest.
    public var bodyHash: String?
    /// Seconds the transfer took (connect to last byte), when fetched over the network.
    public var transferTime: TimeInterval?
    /// The HTTP version of the final response ("1.1", "2"), when HTTP was spoken.
    public var httpVersion: String?
    /// Connections opened for this page, redirects included: 0 when every hop reused an open
    /// one (keep-alive, or a stream on a shared HTTP/2 connection).
    public var connectionsOpened: Int
    /// The body as fetched, when the caller asked for it undecoded (`FetchRequest.decodesBody`
    /// false): `text` is then empty until whoever parses the page decodes it (a worker process
    /// decodes and extracts an article page in one step).
    public var undecodedBody: [UInt8]?

    public init(requestedURL: URL, url: URL, status: Int = 200, contentType: String? = nil,
                text: String, charset: String = "UTF-8", charsetReason: String = "given",
                etag: String? = nil, lastModified: String? = nil, byteCount: Int? = nil,
                bodyHash: String? = nil, transferTime: TimeInterval? = nil,
                httpVersion: String? = nil, connectionsOpened: Int = 0) {
        self.requestedURL = requestedURL
        self.url = url
        self.status = status
        self.contentType = contentType
        self.text = text
        self.charset = charset
        self.charsetReason = charsetReason
        self.etag = etag
        self.lastModified = lastModified
        self.byteCount = byteCount ?? text.utf8.count
        self.bodyHash = bodyHash
        self.transferTime = transferTime
        self.httpVersion = httpVersion
        self.connectionsOpened = connectionsOpened
    }
}
