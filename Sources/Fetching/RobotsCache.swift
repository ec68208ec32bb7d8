import Foundation

/// robots.txt per origin, fetched once and kept for a while (RFC 9309 §2.4: at most 24 h).
/// Concurrent requests to one origin share a single fetch of its robots.txt.
actor RobotsCache {
    /// What the origin's robots.txt says for us.
    enum Verdict: Sendable {
        case rules(RobotsRules)
        /// 5xx or unreachable: complete disallow (§2.3.1.4), with the reason.
        case unreachable(String)
        /// The origin's address is refused by the address guard: so is every page there.
        case blockedAddress(String)
    }

    /// §2.4: crawlers SHOULD NOT use a cached robots.txt for more than 24 hours.
    static let lifetime: TimeInterval = 24 * 3600
    /// An unreachable robots.txt (complete disallow) is asked again sooner, so one outage
    /// does not silence a source for a day.
    static let unreachableLifetime: TimeInterval = 3600
    /// Most origins remembered; the oldest half is dropped past it.
    static let capacity = 10_000

    private enum Entry {
        case loading(Task<Verdict, Never>)
        case ready(Verdict, expires: Date)
    }

    private var entries: [String: Entry] = [:]

    func verdict(for origin: String, now: Date, load: @escaping @Sendable () async -> Verdict) async -> Verdict {
        switch entries[origin] {
        case .ready(let verdict, let expires) where expires > now:
            return verdict
        case .loading(let task):
            return await task.value
        default:
            break
        }
        let task = Task { await load() }
        entries[origin] = .loading(task)
        let verdict = await task.value
        let lifetime: TimeInterval
        switch verdict {
        case .rules: lifetime = Self.lifetime
        case .unreachable, .blockedAddress: lifetime = Self.unreachableLifetime
        }
        if entries.count > Self.capacity { dropOldest() }
        entries[origin] = .ready(verdict, expires: now.addingTimeInterval(lifetime))
        return verdict
    }

    private func dropOldest() {
        let ready = entries.compactMap { key, entry -> (String, Date)? in
            if case .ready(_, let expires) = entry { return (key, expires) }
            return nil
        }.sorted { $0.1 < $1.1 }
        for (key, _) in ready.prefix(ready.count / 2) { entries[key] = nil }
    }
}
