import Foundation
import TidingsCore

/// One URL to fetch, with the validators of the last successful fetch.
public struct FetchRequest: Sendable {
    public var url: URL
    public var etag: String?
    public var lastModified: String?
    /// Extra headers (per-source), e.g. Referer or Cookie.
    public var headers: [String: String]
    /// `file:` is allowed only when a source's configured URL is itself a file URL.
    public var allowFileScheme: Bool

    public init(url: URL, etag: String? = nil, lastModified: String? = nil,
                headers: [String: String] = [:], allowFileScheme: Bool = false) {
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.headers = headers
        self.allowFileScheme = allowFileScheme
    }
}

/// What a fetch gave: a page, or word that it has not changed since the validators sent.
public enum FetchOutcome: Sendable {
    case page(Page)
    case notModified(URL)
}

/// Options of the Fetcher.
public struct FetcherConfiguration: Sendable {
    public static let defaultUserAgent = "Tidings/\(TidingsVersion.current) (+https://github.com/tidings-feeds/tidings)"

    public var userAgent: String
    /// Allow loopback and private ranges (tests, intranets). Link-local stays refused.
    public var allowPrivateNetworks: Bool
    /// Decoded-body cap in bytes.
    public var maxBodyBytes: Int
    public var connectTimeout: TimeInterval
    public var totalTimeout: TimeInterval
    public var maxRedirects: Int
    public var globalConcurrency: Int
    public var perHostConcurrency: Int
    /// Minimum pause between two requests to the same host, in seconds.
    public var hostGap: TimeInterval
    public var proxy: String?

    public init(userAgent: String = FetcherConfiguration.defaultUserAgent, allowPrivateNetworks: Bool = false,
                maxBodyBytes: Int = 10 << 20, connectTimeout: TimeInterval = 10, totalTimeout: TimeInterval = 30,
                maxRedirects: Int = 5, globalConcurrency: Int = 16, perHostConcurrency: Int = 1,
                hostGap: TimeInterval = 1, proxy: String? = nil) {
        self.userAgent = userAgent
        self.allowPrivateNetworks = allowPrivateNetworks
        self.maxBodyBytes = maxBodyBytes
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxRedirects = maxRedirects
        self.globalConcurrency = globalConcurrency
        self.perHostConcurrency = perHostConcurrency
        self.hostGap = hostGap
        self.proxy = proxy
    }
}
