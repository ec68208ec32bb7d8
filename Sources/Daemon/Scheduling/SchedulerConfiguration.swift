import Foundation
import Refresh
import TidingsCore

/// The knobs of the scheduler's decisions (the timer shell has none of its own).
public struct SchedulerConfiguration: Sendable, Hashable {
    /// Each run is moved by up to this fraction of the interval, earlier or later, so sources
    /// defined with the same `every` drift apart instead of hitting the network together.
    public var jitterFraction: Double
    /// The most sources refreshed at once across the whole daemon (`sources_at_once`); nil:
    /// one per host of the catalog, between 4 and `transfers` (`HostSpread.defaultSourcesAtOnce`).
    public var maximumConcurrentRefreshes: Int?
    /// Transfers the fetcher runs at once (`concurrency`): the most sources worth running at once.
    public var transfers: Int
    /// The longest wait after failures, however many there were in a row.
    public var maximumBackoff: TimeInterval

    /// ±10 %: enough to spread 1,000 sources with one interval over a minute per 10 minutes.
    public static let defaultJitterFraction = 0.10
    /// The fetcher's own default `concurrency` (FetcherConfiguration.globalConcurrency).
    public static let defaultTransfers = 16
    /// 24 h: a site that is down for days is still retried once a day.
    public static let defaultMaximumBackoff: TimeInterval = 24 * 3600

    public init(jitterFraction: Double = defaultJitterFraction, maximumConcurrentRefreshes: Int? = nil,
                transfers: Int = defaultTransfers, maximumBackoff: TimeInterval = defaultMaximumBackoff) {
        self.jitterFraction = max(0, min(jitterFraction, 0.5))
        self.maximumConcurrentRefreshes = maximumConcurrentRefreshes.map { max(1, $0) }
        self.transfers = max(1, transfers)
        self.maximumBackoff = maximumBackoff
    }

    /// Sources refreshed at once for this catalog.
    func limit(for sources: [Source]) -> Int {
        maximumConcurrentRefreshes ?? HostSpread.defaultSourcesAtOnce(for: sources, transfers: transfers)
    }
}
