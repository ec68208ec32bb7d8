import Foundation

/// The knobs of the scheduler's decisions (the timer shell has none of its own).
public struct SchedulerConfiguration: Sendable, Hashable {
    /// Each run is moved by up to this fraction of the interval, earlier or later, so sources
    /// defined with the same `every` drift apart instead of hitting the network together.
    public var jitterFraction: Double
    /// The most sources refreshed at once across the whole daemon.
    public var maximumConcurrentRefreshes: Int
    /// The longest wait after failures, however many there were in a row.
    public var maximumBackoff: TimeInterval

    /// ±10 %: enough to spread 1,000 sources with one interval over a minute per 10 minutes.
    public static let defaultJitterFraction = 0.10
    /// Four: one or two connections per host (the Fetcher's own limit) times a few hosts,
    /// small enough for a 1-core VPS and a home connection.
    public static let defaultMaximumConcurrentRefreshes = 4
    /// 24 h: a site that is down for days is still retried once a day.
    public static let defaultMaximumBackoff: TimeInterval = 24 * 3600

    public init(jitterFraction: Double = defaultJitterFraction,
                maximumConcurrentRefreshes: Int = defaultMaximumConcurrentRefreshes,
                maximumBackoff: TimeInterval = defaultMaximumBackoff) {
        self.jitterFraction = max(0, min(jitterFraction, 0.5))
        self.maximumConcurrentRefreshes = max(1, maximumConcurrentRefreshes)
        self.maximumBackoff = maximumBackoff
    }
}
