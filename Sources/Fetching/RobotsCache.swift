import Foundation

/// robots.txt per origin, fetched once and kept for a while (RFC 9309 §2.4: at most 24 h).
/// Concurrent requests to one origin share a single fetch of its robots.txt. A lock rather
/// than an actor: the common case (a fresh verdict) is a dictionary read that needs no hop.
final class RobotsCache: @unchecked Sendable {
    // @unchecked Sendable: `entries` is guarded by `lock`.
    /// What the origin's robots.txt says for us.
    enum Verdict: Sendable {
        case rules(RobotsRules)
        /// A 5xx answer: complete disallow (§2.3.1.4), with the reason.
        case unreachable(String)
        /// No answer at all (DNS, connect, TLS, timeout, refused address): complete disallow
        /// for now, and the page fails with the same cause. Not cached: the next request asks again.
        case failed(FetchError)
    }

    /// §2.4: crawlers SHOULD NOT use a cached robots.txt for more than 24 hours.
    static let lifetime: TimeInterval = 24 * 3600
    /// A robots.txt answering 5xx (complete disallow) is asked again sooner, so one outage
    /// does not silence a source for a day; 15 min is the shortest polling interval we expect.
    static let unreachableLifetime: TimeInterval = 15 * 60
    /// Most origins remembered; the oldest half is dropped past it.
    static let capacity = 10_000

    private enum Entry {
        case loading(Task<(Verdict, fetchedAt: Date), Never>)
        case ready(Verdict, expires: Date)
    }

    private enum Lookup {
        case cached(Verdict)
        /// The fetch in flight; its owner stores the result.
        case pending(Task<(Verdict, fetchedAt: Date), Never>, isOwner: Bool)
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// `load` gives the verdict and when the robots.txt behind it was fetched (earlier than
    /// now when it comes from the state folder): the verdict's lifetime counts from then.
    func verdict(for origin: String, now: Date, load: @escaping @Sendable () async -> (Verdict, fetchedAt: Date)) async -> Verdict {
        let lookup = lock.withLock { () -> Lookup in
            switch entries[origin] {
            case .ready(let verdict, let expires) where expires > now:
                return .cached(verdict)
            case .loading(let task):
                return .pending(task, isOwner: false)
            default:
                let task = Task { await load() }
                entries[origin] = .loading(task)
                return .pending(task, isOwner: true)
            }
        }
        switch lookup {
        case .cached(let verdict):
            return verdict
        case .pending(let task, let isOwner):
            let (verdict, fetchedAt) = await task.value
            if isOwner { store(verdict, for: origin, fetchedAt: fetchedAt) }
            return verdict
        }
    }

    /// Keeps a fresh verdict for its lifetime; a network failure is forgotten at once.
    private func store(_ verdict: Verdict, for origin: String, fetchedAt: Date) {
        let lifetime = Self.usableFor(verdict)
        lock.withLock {
            guard let lifetime else {
                entries[origin] = nil
                return
            }
            if entries.count > Self.capacity { dropOldest() }
            entries[origin] = .ready(verdict, expires: fetchedAt.addingTimeInterval(lifetime))
        }
    }

    /// How long a verdict may be used; nil: not at all after this request.
    static func usableFor(_ verdict: Verdict) -> TimeInterval? {
        switch verdict {
        case .rules: lifetime
        case .unreachable: unreachableLifetime
        case .failed: nil
        }
    }

    /// Call with `lock` held.
    private func dropOldest() {
        let ready = entries.compactMap { key, entry -> (String, Date)? in
            if case .ready(_, let expires) = entry { return (key, expires) }
            return nil
        }.sorted { $0.1 < $1.1 }
        for (key, _) in ready.prefix(ready.count / 2) { entries[key] = nil }
    }
}
