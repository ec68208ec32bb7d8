import Foundation

/// What a crawler must remember about each host beyond one Fetcher's life: Retry-After
/// holds, parsed robots.txt and when each host was last asked (its gap). A daemon builds a
/// new Fetcher when its settings are reloaded (SIGHUP); handing it the same memory keeps a
/// host that said "wait an hour" from being asked again ten seconds later.
public final class PolitenessMemory: @unchecked Sendable {
    // @unchecked Sendable: `robotsByToken` is guarded by `lock`; the other members are
    // thread-safe themselves.
    let holds = HostHolds()
    let starts = HostStarts()
    private let lock = NSLock()
    private var robotsByToken: [String: RobotsCache] = [:]

    public init() {}

    /// robots.txt verdicts for one product token: a changed User-Agent reads the rules anew.
    func robots(for productToken: String) -> RobotsCache {
        lock.withLock {
            if let cache = robotsByToken[productToken] { return cache }
            let cache = RobotsCache()
            robotsByToken[productToken] = cache
            return cache
        }
    }
}

/// When each host (politeness key) last had a transfer start, on the uptime clock that the
/// transfer engines' schedulers use. A new engine starts from it instead of from nothing.
final class HostStarts: @unchecked Sendable {
    // @unchecked Sendable: `starts` is guarded by `lock`.
    private let lock = NSLock()
    private var starts: [String: TimeInterval] = [:]

    /// Hosts remembered before old entries are dropped.
    static let capacity = 10_000
    /// Older starts than this are dropped when over capacity: no host gap is an hour long.
    static let forgetAfter: TimeInterval = 3600

    func record(_ host: String, at instant: TimeInterval) {
        lock.withLock {
            starts[host] = max(instant, starts[host] ?? instant)
            if starts.count > Self.capacity {
                starts = starts.filter { $0.value >= instant - Self.forgetAfter }
            }
        }
    }

    func last(_ host: String) -> TimeInterval? { lock.withLock { starts[host] } }
}
