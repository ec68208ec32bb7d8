import Foundation
import Refresh
import Storage
import TidingsCore

/// What the daemon is doing, kept up to date by the driver: the STATUS= line, /status.json
/// and /metrics read it.
public struct DaemonStatus: Sendable {
    public var sourceCount = 0
    public var failingCount = 0
    public var runningCount = 0
    public var secondsUntilNextRun: Double?
    /// Sources due that wait for a free slot (`sources_at_once`).
    public var waitingCount = 0
    public var catalogErrors: [String] = []
    /// Files of feeds/ with at least one problem (a file may have several).
    public var badFileCount = 0
    /// Feeds kept as they were because they would have lost entries, with the reasons.
    public var publishProblems: [String] = []
    public var isStopping = false
    public var metrics = RefreshMetrics()
    /// Why the last attempt to write the feeds failed; nil once a write succeeds.
    public var publishFailure: String?
    /// When the feeds were last written without an error.
    public var lastPublished: Date?
    /// Why the shared store (PostgreSQL) could not be reached lately; nil while it answers.
    public var storeFailure: String?
    /// This node's id and the store's view of all nodes, their leases and last runs, when
    /// several nodes share the store (read on each heartbeat).
    public var node: String?
    public var sharedWork: SharedWorkOverview?
    /// Hosts claimed by this node since start, and how long the claims took (seconds).
    public var claims = 0
    public var claimSecondsTotal = 0.0
    /// The last `claimSampleLimit` claims' durations, for quantiles.
    public var claimSeconds: [Double] = []
    static let claimSampleLimit = 1000

    mutating func recordClaim(seconds: Double) {
        claims += 1
        claimSecondsTotal += seconds
        if claimSeconds.count >= Self.claimSampleLimit { claimSeconds.removeFirst(claimSeconds.count - Self.claimSampleLimit + 1) }
        claimSeconds.append(seconds)
    }

    /// The `q` quantile (0…1) of the recent claim durations; nil before the first claim.
    public func claimQuantile(_ q: Double) -> Double? {
        guard !claimSeconds.isEmpty else { return nil }
        let sorted = claimSeconds.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }
    /// Changes whenever anything above may have changed (answers rendered from an older
    /// generation are stale).
    public var generation = 0

    public init() {}

    mutating func record(_ report: RefreshReport) { metrics.record(report) }

    /// True while the feeds are written as they should be: the healthy state of /healthz.
    public var isPublishingHealthy: Bool { publishFailure == nil && publishProblems.isEmpty }

    /// One line for systemd's STATUS=: "12 sources, 1 failing, 2 refreshing, next run in 4m 10s"
    /// (or "…, 30 due, waiting for a free slot" when sources are due but all slots are busy).
    public var summaryLine: String {
        if isStopping { return "stopping" }
        var parts = ["\(sourceCount) source\(sourceCount == 1 ? "" : "s")", "\(failingCount) failing"]
        if runningCount > 0 { parts.append("\(runningCount) refreshing") }
        if waitingCount > 0 {
            parts.append("\(waitingCount) due, waiting for a free slot")
        } else if let next = secondsUntilNextRun {
            parts.append("next run in \(Self.duration(next))")
        }
        if storeFailure != nil { parts.append("the shared store is unreachable") }
        if badFileCount > 0 { parts.append("\(badFileCount) bad feeds file\(badFileCount == 1 ? "" : "s")") }
        if publishFailure != nil { parts.append("writing the feeds failed") }
        if !publishProblems.isEmpty {
            parts.append("\(publishProblems.count) feed\(publishProblems.count == 1 ? "" : "s") kept back (would lose entries)")
        }
        return parts.joined(separator: ", ")
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m \(total % 60)s" }
        return "\(total / 3600)h \(total % 3600 / 60)m"
    }
}

/// One source's place in the schedule.
public struct SourceSchedule: Sendable, Codable, Hashable {
    public var sourceID: String
    public var nextRunInSeconds: Double
    public var consecutiveFailures: Int
    public var isRunning: Bool
}

/// Counters since the daemon started, per source and per kind of problem.
public struct RefreshMetrics: Sendable {
    public struct PerSource: Sendable {
        public var successes = 0
        public var failures = 0
        public var pagesFetched = 0
        public var bytesFetched = 0
        public var newArticles = 0
        public var linksFoundLastRun = 0
        public var durationSecondsTotal = 0.0
        public var lastSuccess: Date?
    }

    public var sources: [String: PerSource] = [:]
    public var issuesByKind: [String: Int] = [:]

    mutating func record(_ report: RefreshReport) {
        var entry = sources[report.sourceID] ?? PerSource()
        if report.sourceFailed { entry.failures += 1 } else { entry.successes += 1 }
        entry.pagesFetched += report.pagesFetched
        entry.bytesFetched += report.bytesFetched
        entry.newArticles += report.newArticles
        entry.linksFoundLastRun = report.linksFound
        entry.durationSecondsTotal += max(0, report.finishedAt.date.timeIntervalSince(report.startedAt.date))
        if !report.sourceFailed { entry.lastSuccess = report.finishedAt.date }
        sources[report.sourceID] = entry
        for issue in report.issues { issuesByKind[issue.kind.name, default: 0] += 1 }
    }
}
