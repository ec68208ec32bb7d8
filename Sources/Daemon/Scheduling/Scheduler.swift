import Foundation
import Refresh
import TidingsCore

/// Decides when each source is refreshed. A pure state machine: every call takes the current
/// time on a monotonic clock (seconds from any origin) and nothing here sleeps, reads a clock
/// or touches the network; `SchedulerDriver` feeds it time from a Dispatch timer.
public struct Scheduler: Sendable {
    struct Entry: Sendable {
        var source: Source
        var nextDue: Double
        var consecutiveFailures = 0
        var isRunning = false
        /// Asked for by a person (signal, HTTP): goes before sources that are merely due.
        var isUrgent = false
        /// Asked for while running: starts again right after the current run.
        var isRerunRequested = false
    }

    public let configuration: SchedulerConfiguration
    /// Sources refreshed at once: the configured number, or one per host of the catalog.
    public private(set) var limit: Int
    private var entries: [String: Entry] = [:]
    private var random: AnyRandom
    public private(set) var isStopping = false

    /// - Parameters:
    ///   - sources: the catalog at start. A source never refreshed has its first run soon,
    ///     spread over `firstRunSpreadWindow` (or its interval, when shorter); one refreshed
    ///     before (a restart) keeps its rhythm, and if it is overdue, runs within `overdueSpreadWindow`.
    ///   - now: the current time on the caller's monotonic clock.
    ///   - lastAttempts: when each source was last refreshed, on the same clock (from stored health).
    ///   - random: the jitter's source of randomness (seeded in tests).
    public init(sources: [Source], now: Double, lastAttempts: [String: Double] = [:],
                configuration: SchedulerConfiguration = .init(),
                random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.configuration = configuration
        self.random = AnyRandom(base: random)
        self.limit = configuration.limit(for: sources)
        for source in sources {
            entries[source.id] = Entry(source: source, nextDue: firstDue(of: source, lastAttempt: lastAttempts[source.id], now: now))
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
    public var runningCount: Int { entries.values.lazy.filter(\.isRunning).count }
    public var failingCount: Int { entries.values.lazy.filter { $0.consecutiveFailures > 0 }.count }

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
        return entries.values.lazy.filter { !$0.isRunning }.map(\.nextDue).min()
    }

    /// The earliest due time of a source that is not running (for status lines).
    public var nextDue: Double? {
        entries.values.lazy.filter { !$0.isRunning }.map(\.nextDue).min()
    }

    /// Sources due at `now` that wait for a free slot.
    public func waitingCount(now: Double) -> Int {
        entries.values.lazy.filter { !$0.isRunning && $0.nextDue <= now }.count
    }

    // MARK: Events

    /// Marks as running and returns the sources to refresh now, as many as the limit allows:
    /// the due ones, those a person asked for first, then those overdue by a whole interval or
    /// more, then the longest overdue. One source per host goes first (`HostSpread`: sources of
    /// one host wait for each other at the fetcher anyway), except that a source overdue by an
    /// interval is never passed over: no source waits longer than that while others run twice.
    public mutating func takeDueSources(now: Double) -> [Source] {
        guard !isStopping else { return [] }
        let free = limit - runningCount
        guard free > 0 else { return [] }
        func isStarving(_ entry: Entry) -> Bool { now - entry.nextDue >= entry.source.every }
        let due = entries.values
            .filter { !$0.isRunning && $0.nextDue <= now }
            .sorted { a, b in
                if a.isUrgent != b.isUrgent { return a.isUrgent }
                if isStarving(a) != isStarving(b) { return isStarving(a) }
                if a.nextDue != b.nextDue { return a.nextDue < b.nextDue }
                return a.source.id < b.source.id
            }
        guard !due.isEmpty else { return [] }
        var busyHosts: [String: Int] = [:]
        for entry in entries.values where entry.isRunning { busyHosts[HostSpread.host(of: entry.source), default: 0] += 1 }
        let chosen = HostSpread.pick(due, count: free, running: busyHosts, host: { HostSpread.host(of: $0.source) },
                                     firm: isStarving).map { due[$0] }
        for entry in chosen {
            entries[entry.source.id]?.isRunning = true
            entries[entry.source.id]?.isUrgent = false
        }
        return chosen.map(\.source)
    }

    /// Records the end of a refresh and schedules the next: one jittered interval after a
    /// success, an exponential backoff after a failure (never sooner than Retry-After).
    /// A result for a source removed meanwhile is ignored.
    public mutating func refreshFinished(sourceID: String, result: RefreshResult, now: Double) {
        guard var entry = entries[sourceID], entry.isRunning else { return }
        entry.isRunning = false
        switch result {
        case .success:
            entry.consecutiveFailures = 0
            entry.nextDue = now + jittered(entry.source.every)
        case .failure(let retryAfter):
            entry.consecutiveFailures += 1
            let delay = jittered(backoff(every: entry.source.every, failures: entry.consecutiveFailures))
            entry.nextDue = now + max(delay, retryAfter ?? 0)
        }
        if entry.isRerunRequested {
            entry.isRerunRequested = false
            entry.isUrgent = true
            entry.nextDue = now
        }
        entries[sourceID] = entry
    }

    /// "Refresh this source now" (HTTP or command line). Failure backoff does not apply:
    /// a person asked.
    public mutating func requestRefresh(sourceID: String, now: Double) -> RefreshRequestOutcome {
        guard !isStopping else { return .stopping }
        guard var entry = entries[sourceID] else { return .unknownSource }
        defer { entries[sourceID] = entry }
        if entry.isRunning {
            entry.isRerunRequested = true
            return .queuedAfterCurrentRun
        }
        entry.nextDue = min(entry.nextDue, now)
        entry.isUrgent = true
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
            entries[id] = nil
            summary.removed.append(id)
        }
        for source in sources.sorted(by: { $0.id < $1.id }) where incoming[source.id] == source {
            guard var entry = entries[source.id] else {
                entries[source.id] = Entry(source: source, nextDue: now, isUrgent: true)
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
            entry.source = source
            entries[source.id] = entry
            summary.changed.append(source.id)
        }
        return summary
    }

    /// Stops handing out work; running refreshes may still report.
    public mutating func stop() { isStopping = true }

    // MARK: Arithmetic

    /// Waiting time after `failures` failures in a row: the interval doubled per failure,
    /// capped at `maximumBackoff` (but never shorter than the interval itself).
    public func backoff(every: TimeInterval, failures: Int) -> TimeInterval {
        guard failures > 0 else { return every }
        let doubled = every * pow(2, Double(min(failures, 62)))
        return max(every, min(doubled, configuration.maximumBackoff))
    }

    private mutating func jittered(_ interval: TimeInterval) -> TimeInterval {
        let spread = configuration.jitterFraction
        guard spread > 0 else { return interval }
        return interval * Double.random(in: (1 - spread)...(1 + spread), using: &random)
    }

    private mutating func firstDue(of source: Source, lastAttempt: Double?, now: Double) -> Double {
        guard let lastAttempt else {
            return now + min(source.every, Self.firstRunSpreadWindow) * Double.random(in: 0..<1, using: &random)
        }
        let regular = lastAttempt + jittered(source.every)
        if regular > now { return min(regular, now + source.every) }
        return now + min(source.every, Self.overdueSpreadWindow) * Double.random(in: 0..<1, using: &random)
    }
}

/// Lets the scheduler keep any generator: an existential cannot be passed as `inout some
/// RandomNumberGenerator`, a struct forwarding to it can.
struct AnyRandom: RandomNumberGenerator, Sendable {
    var base: any RandomNumberGenerator & Sendable
    mutating func next() -> UInt64 { base.next() }
}
