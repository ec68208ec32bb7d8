import Foundation
import TidingsCore

/// Options for `LinkDiscoverer`. One value per source is typical: the time zone comes from
/// the source's `timezone` key.
public struct DiscoveryConfiguration: Sendable {
    /// Zone for dates printed without an offset (listing dates such as `2025-11-28`, RSS dates
    /// without a zone). Defaults to UTC.
    public var timeZone: TimeZone
    /// Keep only links on the page's own site (same registrable domain). Feeds and selectors
    /// are trusted to point elsewhere (e.g. a feed on a CDN host), page heuristics are not.
    public var sameSiteOnly: Bool

    public init(timeZone: TimeZone = .gmt, sameSiteOnly: Bool = true) {
        self.timeZone = timeZone
        self.sameSiteOnly = sameSiteOnly
    }
}

extension DiscoveryConfiguration {
    /// The configuration for one source: its `timezone` (UTC when unset or unknown).
    public init(source: Source) {
        self.init(timeZone: source.timeZone.flatMap(TimeZone.init(identifier:)) ?? .gmt)
    }
}
