import Foundation

/// Exponential backoff with jitter for a source that keeps failing: the delay doubles with
/// each consecutive failure up to a cap, and a random part spreads retries so many sources
/// failing together do not return together. The caller keeps the failure count (per source)
/// and resets it on success; a host's Retry-After, when longer, wins.
public struct RetryBackoff: Sendable, Hashable {
    /// The delay after the first failure.
    public var base: TimeInterval
    /// The longest delay, whatever the number of failures.
    public var cap: TimeInterval
    /// Share of each delay that is random (0 = none, 1 = anywhere from 0 to the full delay).
    public var jitter: Double

    /// Defaults fit a feed polled every 15–60 min: 5 min, 10, 20, … up to 6 h, half of it random.
    public init(base: TimeInterval = 300, cap: TimeInterval = 6 * 3600, jitter: Double = 0.5) {
        self.base = base
        self.cap = cap
        self.jitter = min(1, max(0, jitter))
    }

    /// The delay before the next attempt after `failures` consecutive failures (1 = the first).
    /// `random` is a number in 0..<1 (inject it in tests).
    public func delay(afterFailures failures: Int, random: Double) -> TimeInterval {
        guard failures > 0 else { return 0 }
        let exponent = Double(min(failures - 1, 62))
        let full = min(cap, base * pow(2, exponent))
        return full * (1 - jitter) + full * jitter * min(max(random, 0), 1)
    }

    /// As `delay(afterFailures:random:)` with the system's random numbers, but never shorter
    /// than the wait the error carries (Retry-After of a 429/503).
    public func delay(afterFailures failures: Int, error: FetchError?) -> TimeInterval {
        let backoff = delay(afterFailures: failures, random: Double.random(in: 0..<1))
        return max(backoff, error?.retryAfter ?? 0)
    }
}
