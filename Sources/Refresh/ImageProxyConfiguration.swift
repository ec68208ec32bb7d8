import Foundation
import TidingsCore

/// Options of the image proxy and of WebSub pings (`images` and `hub` in tidings.toml).
public struct ImageProxyConfiguration: Sendable, Hashable {
    /// The mode of sources that do not set `images` themselves.
    public var images: ImagesMode
    /// The largest image the proxy passes on (issue #18: 5 MiB, larger than nearly every
    /// photo a news page shows, small enough that a hostile URL cannot fill memory).
    public var maxImageBytes: Int
    /// Bytes the image cache may take on disk; the least recently used go first.
    public var cacheLimit: Int
    /// How long a cached image is served without asking its site again.
    public var freshFor: TimeInterval

    public static let defaultMaxImageBytes = 5 * 1024 * 1024
    /// 256 MiB: a few thousand news photos, small beside a feed server's disk.
    public static let defaultCacheLimit = 256 * 1024 * 1024
    /// A week: news images practically never change under the same URL.
    public static let defaultFreshFor: TimeInterval = 7 * 86400

    public init(images: ImagesMode = .direct, maxImageBytes: Int = defaultMaxImageBytes,
                cacheLimit: Int = defaultCacheLimit, freshFor: TimeInterval = defaultFreshFor) {
        self.images = images
        self.maxImageBytes = maxImageBytes
        self.cacheLimit = cacheLimit
        self.freshFor = freshFor
    }

    /// The mode `source` publishes with.
    public func mode(of source: Source) -> ImagesMode { source.images ?? images }
}

/// When a failed WebSub ping is tried again: `firstRetry`, doubling up to `longestRetry`.
public struct HubRetry: Sendable, Hashable {
    public var firstRetry: TimeInterval
    public var longestRetry: TimeInterval

    /// 30 s, then doubling to at most an hour: a hub that is down briefly hears of the
    /// change within a minute, one that is down for a day costs a request an hour.
    public init(firstRetry: TimeInterval = 30, longestRetry: TimeInterval = 3600) {
        self.firstRetry = firstRetry
        self.longestRetry = longestRetry
    }

    /// The pause after the `attempts`-th failure in a row (1 = the first).
    public func delay(afterAttempts attempts: Int) -> TimeInterval {
        let exponent = Double(max(0, min(attempts - 1, 30)))
        return min(firstRetry * pow(2, exponent), longestRetry)
    }
}
