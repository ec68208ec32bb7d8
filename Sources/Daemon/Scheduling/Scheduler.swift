import Foundation
import Refresh
import TidingsCore

/// Decides when each source is refreshed. A pure state machine: every call takes the current
/// time on a monotonic clock (seconds from any origin) and nothing here sleeps, reads a clock
/// or touches the network; `SchedulerDriver` feeds it time from a Dispatch timer.
public struct Scheduler: Sendable {
    struct Entry: Sendable {
        var source: Source
        /// The politeness key of the source's host (`HostSpread.host`).
        var host: String
        var nextDue: Double
        var consecutiveFailures = 0
        var isRunning = false
        /// Asked for by a person (signal, HTTP): goes before sources that are merely due.
        var isUrgent = false
        /// Asked for while running: starts again right after the current run.
        var isRerunRequested = false
        /// Which of the source's tickets in the due queue is the current one.
        var generation = 0

        init(source: Source, nextDue: Double, consecutiveFailures: Int = 0, isUrgent: Bool = false) {
            self.source = source
            self.host = HostSpread.host(of: source)
            self.nextDue = nextDue
            self.consecutiveFailures = consecutiveFailures
            self.isUrgent = isUrgent
        }
    }

    public let configuration: SchedulerConfiguration
    /// Sources refreshed at once: the configured number, or one per host of the catalog.
    public private(set) var limit: Int
    private var entries: [String: Entry] = [:]
    /// Every source that is not running, with one live ticket each.
    private var queue = DueQueue()
    public private(set) var runningCount = 0
    public private(set) var failingCount = 0
    /// Running refreshes per host.
    private var busyHosts: [String: Int] = [:]
    private var random: AnyRandom
    public private(set) var isStopping = false

    /// - Parameters:
    ///   - sources: the catalog at start. A source never refreshed has its first run soon,
    ///     spread over `firstRunSpreadWindow` (or its interval, when shorter); one refreshed
    ///     before (a restart) keeps its rhythm, and if it is overdue, runs within `overdueSpreadWindow`.
    ///   - now: the current time on the caller's monotonic clock.
    ///   - lastAttempts: when each source was last refreshed, on the same clock (from stored health).
    ///   - failures: each source's failures in a row before the restart (from stored health):
    ///     a source that was failing still counts as failing and keeps backing off.
    ///   - random: the jitter's source of randomness (seeded in tests).
    public init(sources: [Source], now: Double, lastAttempts: [String: Double] = [:], failures: [String: Int] = [:],
                configuration: SchedulerConfiguration = .init(),
                random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.configuration = configuration
        self.random = AnyRandom(base: random)
        self.limit = configuration.limit(for: sources)
        for source in sources where entries[source.id] == nil {
            let failed = max(0, failures[source.id] ?? 0)
            entries[source.id] = Entry(source: source,
                                       nextDue: firstDue(of: source, lastAttempt: lastAttempts[source.id], failures: failed, now: now),
                                       consecutiveFailures: failed)
            if failed > 0 { failingCount += 1 }
            enqueue(source.id)
        }
    }

    /// Sources overdue at start (the daemon was down) run within this window, not all at once:
    /// 5 minutes spreads 1,000 overdue sources to about 3 a second.
    public static let overdueSpreadWindow: TimeInterval = 300
    /// Sources never refreshed run within this window after start: a new daemon shows its
    /// feeds in about a minute, and 1,000 new sources still start at no more than ~17 a second.
    public static let firstRunSpreadWindow: TimeInterval = 60

    // MARK: Queries

    public var sourceIDs: [String] { entries.keys.sorted() }

    public func state(of sourceID: String) -> ScheduledSourceState? {
        entries[sourceID].map {
            ScheduledSourceState(sourceID: sourceID, nextDue: $0.nextDue,
                                 consecutiveFailures: $0.consecutiveFailures, isRunning: $0.isRunning)
        }
    }

    public func source(named sourceID: String) -> Source? { entries[sourceID]?.source }

    /// The earliest due time of a source that is waiting, or nil when nothing can start
    /// before a running refresh ends (all slots busy, nothing waiting, or stopping).
    public var nextWakeUp: Double? {
        guard !isStopping, runningCount < limit else { return nil }
        return queue.top?.nextDue
    }

    /// The earliest due time of a source that is not running (for status lines).
    public var nextDue: Double? { queue.top?.nextDue }

    /// Sources due at `now` that wait for a free slot (a walk over the queue: for status lines).
    public func waitingCount(now: Double) -> Int {
        queue.tickets.lazy.filter { self.isLive($0) && ($0.isUrgent || $0.nextDue <= now) }.count
    }

    /// Candidates looked at past those taken, to find one on a host with nothing running
    /// before taking them in order: enough for dozens of hosts, a bound on each decision.
    static let hostLookahead = 64

    // MARK: Events

    /// Marks as running and returns the sources to refresh now, as many as the limit allows:
    /// those a person asked for first, then the longest overdue. One source per host goes
    /// first (`HostSpread`: sources of one host wait for each other at the fetcher anyway),
    /// looking `hostLookahead` candidates ahead, except that a source overdue by a whole
    /// interval is never passed over: no source waits longer than that while others run twice.
    public mutating func takeDueSources(now: Double) -> [Source] {
        guard !isStopping else { return [] }
        let free = limit - runningCount
        guard free > 0 else { return [] }
        var taken: [String] = []
        var passedOver: [DueQueue.Ticket] = []
        var hosts = busyHosts
        while taken.count < free, let ticket = queue.top, ticket.isUrgent || ticket.nextDue <= now {
            queue.pop()
            guard let entry = entries[ticket.sourceID] else { continue }
            let isStarving = now - entry.nextDue >= entry.source.every
            if hosts[entry.host, default: 0] == 0 || isStarving || passedOver.count >= Self.hostLookahead {
                hosts[entry.host, default: 0] += 1
                taken.append(ticket.sourceID)
            } else {
                passedOver.append(ticket)
            }
            queue.dropStale(isLive: isLive)
        }
        for ticket in passedOver {
            if taken.count < free { taken.append(ticket.sourceID) } else { queue.push(ticket) }
        }
        queue.dropStale(isLive: isLive)
        for id in taken { markRunning(id) }
        return taken.compactMap { entries[$0]?.source }
    }

    /// Records the end of a refresh and schedules the next: one jittered interval after a
    /// success, an exponential backoff after a failure (never sooner than Retry-After).
    /// A result for a source removed meanwhile is ignored.
    public mutating func refreshFinished(sourceID: String, result: RefreshResult, now: Double) {
        guard var entry = entries[sourceID], entry.isRunning else { return }
        entry.isRunning = false
        runningCount -= 1
        busyHosts[entry.host, default: 1] -= 1
        if busyHosts[entry.host] == 0 { busyHosts[entry.host] = nil }
        let wasFailing = entry.consecutiveFailures > 0
        switch result {
        case .success:
            entry.consecutiveFailures = 0
            entry.nextDue = now + jittered(entry.source.every)
        case .failure(let retryAfter):
            entry.consecutiveFailures += 1
            let delay = jittered(backoff(every: entry.source.every, failures: entry.consecutiveFailures))
            entry.nextDue = now + max(delay, retryAfter ?? 0)
        }
        failingCount += (entry.consecutiveFailures > 0 ? 1 : 0) - (wasFailing ? 1 : 0)
        if entry.isRerunRequested {
            entry.isRerunRequested = false
            entry.isUrgent = true
            entry.nextDue = now
        }
        entries[sourceID] = entry
        enqueue(sourceID)
    }

    /// "Refresh this source now" (HTTP or command line). Failure backoff does not apply:
    /// a person asked.
    public mutating func requestRefresh(sourceID: String, now: Double) -> RefreshRequestOutcome {
        guard !isStopping else { return .stopping }
        guard var entry = entries[sourceID] else { return .unknownSource }
        if entry.isRunning {
            entry.isRerunRequested = true
            entries[sourceID] = entry
            return .queuedAfterCurrentRun
        }
        entry.nextDue = min(entry.nextDue, now)
        entry.isUrgent = true
        entries[sourceID] = entry
        enqueue(sourceID)
        return .scheduled
    }

    /// "Refresh every source now" (SIGUSR1, POST /refresh).
    @discardableResult
    public mutating func requestRefreshOfAll(now: Double) -> [String: RefreshRequestOutcome] {
        var outcomes: [String: RefreshRequestOutcome] = [:]
        for id in entries.keys { outcomes[id] = requestRefresh(sourceID: id, now: now) }
        return outcomes
    }

    /// Applies a reloaded catalog: new sources run at once (someone just added them), removed
    /// ones are dropped (a running refresh finishes, its result is ignored), changed ones keep
    /// their failure count; a changed `every` alone moves the next run no later than one new
    /// interval from now, any other change runs the source at once.
    public mutating func reload(sources: [Source], now: Double) -> ReloadSummary {
        var summary = ReloadSummary()
        limit = configuration.limit(for: sources)
        let incoming = Dictionary(sources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in entries.keys.sorted() where incoming[id] == nil {
            if let gone = entries.removeValue(forKey: id) {
                if gone.consecutiveFailures > 0 { failingCount -= 1 }
                if gone.isRunning {
                    runningCount -= 1
                    busyHosts[gone.host, default: 1] -= 1
                    if busyHosts[gone.host] == 0 { busyHosts[gone.host] = nil }
                }
            }
            summary.removed.append(id)
        }
        for source in sources.sorted(by: { $0.id < $1.id }) where incoming[source.id] == source {
            guard var entry = entries[source.id] else {
                entries[source.id] = Entry(source: source, nextDue: now, isUrgent: true)
                enqueue(source.id)
                summary.added.append(source.id)
                continue
            }
            if entry.source == source {
                summary.unchanged += 1
                continue
            }
            var sameButInterval = entry.source
            sameButInterval.every = source.every
            if sameButInterval == source {
                entry.nextDue = min(entry.nextDue, now + jittered(source.every))
            } else if entry.isRunning {
                entry.isRerunRequested = true
            } else {
                entry.nextDue = now
                entry.isUrgent = true
            }
            let newHost = HostSpread.host(of: source)
            if entry.isRunning && newHost != entry.host {
                busyHosts[entry.host, default: 1] -= 1
                if busyHosts[entry.host] == 0 { busyHosts[entry.host] = nil }
                busyHosts[newHost, default: 0] += 1
            }
            entry.source = source
            entry.host = newHost
            entries[source.id] = entry
            if !entry.isRunning { enqueue(source.id) }
            summary.changed.append(source.id)
        }
        queue.dropStale(isLive: isLive)
        queue.compact(isLive: isLive)
        return summary
    }

    /// Stops handing out work; running refreshes may still report.
    public mutating func stop() { isStopping = true }

    // MARK: The due queue

    /// Gives a waiting source a fresh ticket (its older ones go stale).
    private mutating func enqueue(_ sourceID: String) {
        guard var entry = entries[sourceID], !entry.isRunning else { return }
        entry.generation += 1
        entries[sourceID] = entry
        queue.push(.init(isUrgent: entry.isUrgent, nextDue: entry.nextDue, sourceID: sourceID, generation: entry.generation))
        queue.dropStale(isLive: isLive)
        if queue.tickets.count > 4 * entries.count + 64 { queue.compact(isLive: isLive) }
    }

    private func isLive(_ ticket: DueQueue.Ticket) -> Bool {
        guard let entry = entries[ticket.sourceID] else { return false }
        return !entry.isRunning && entry.generation == ticket.generation
    }

    private mutating func markRunning(_ sourceID: String) {
        guard var entry = entries[sourceID], !entry.isRunning else { return }
        entry.isRunning = true
        entry.isUrgent = false
        entries[sourceID] = entry
        runningCount += 1
        busyHosts[entry.host, default: 0] += 1
        queue.dropStale(isLive: isLive)
    }

    // MARK: Arithmetic

    /// Waiting time after `failures` failures in a row: the interval doubled per failure,
    /// capped at `maximumBackoff` (but never shorter than the interval itself).
    public func backoff(every: TimeInterval, failures: Int) -> TimeInterval {
        guard failures > 0 else { return every }
        let doubled = every * pow(2, Double(min(failures, 62)))
        return max(every, min(doubled, configuration.maximumBackoff))
    }

    /// The wait before a source's next run after `result`, with `failures` in a row counted
    /// (this one included), the same rules as `refreshFinished`: for a schedule the store keeps.
    public mutating func delay(after result: RefreshResult, every: TimeInterval, failures: Int) -> TimeInterval {
        switch result {
        case .success: return jittered(every)
        case .failure(let retryAfter): return max(jittered(backoff(every: every, failures: failures)), retryAfter ?? 0)
        }
    }

    /// When a source never refreshed runs first, from now (the same spread as at start).
    public mutating func firstRunDelay(every: TimeInterval) -> TimeInterval {
        min(every, Self.firstRunSpreadWindow) * Double.random(in: 0..<1, using: &random)
    }

    private mutating func jittered(_ interval: TimeInterval) -> TimeInterval {
        let spread = configuration.jitterFraction
        guard spread > 0 else { return interval }
        return interval * Double.random(in: (1 - spread)...(1 + spread), using: &random)
    }

    private mutating func firstDue(of source: Source, lastAttempt: Double?, failures: Int, now: Double) -> Double {
        guard let lastAttempt else {
            return now + min(source.every, Self.firstRunSpreadWindow) * Double.random(in: 0..<1, using: &random)
        }
        let wait = backoff(every: source.every, failures: failures)
        let regular = lastAttempt + jittered(wait)
        if regular > now { return min(regular, now + wait) }
        return now + min(source.every, Self.overdueSpreadWindow) * Double.random(in: 0..<1, using: &random)
    }
}

/// Lets the scheduler keep any generator: an existential cannot be passed as `inout some
/// RandomNumberGenerator`, a struct forwarding to it can.
struct AnyRandom: RandomNumberGenerator, Sendable {
    var base: any RandomNumberGenerator & Sendable
    mutating func next() -> UInt64 { base.next() }
}
