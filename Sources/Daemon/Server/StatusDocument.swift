import Foundation
import Storage
import TidingsCore

/// The body of GET /status.json: the daemon and every source's health and schedule.
public struct StatusDocument: Sendable, Codable {
    public struct SourceEntry: Sendable, Codable {
        public var id: String
        public var title: String
        public var url: String
        public var everySeconds: Double
        public var lastAttempt: String?
        public var lastSuccess: String?
        public var lastError: String?
        /// The stable kind of `lastError` (`fetch.timeout`), the label `/metrics` counts it under.
        public var lastErrorKind: String?
        public var consecutiveFailures: Int
        public var consecutiveEmptyRuns: Int
        public var articlesFoundLastRun: Int
        public var isBroken: Bool
        public var isRunning: Bool
        public var nextRunInSeconds: Double?
        /// The node that refreshed the source last (several nodes on one store).
        public var lastRefreshedBy: String?
    }

    /// Several nodes on one store: this node, every node the store knows with the seconds
    /// since its heartbeat, the leases held now, and the hosts pausing for Retry-After.
    public struct NodesEntry: Sendable, Codable {
        public var node: String
        public var storeError: String?
        public var nodes: [SharedWorkOverview.Node]
        public var leases: [SharedWorkOverview.Lease]
        public var holds: [String: Double]
        public var claims: Int
        public var claimSecondsP50: Double?
        public var claimSecondsP95: Double?
    }

    public var version: String
    public var alive: Bool
    public var summary: String
    public var sources: [SourceEntry]
    /// Files of feeds/ that could not be used, each with its cause.
    public var catalogErrors: [String]
    /// Why the last attempt to write the feed files failed; absent once a write succeeds.
    public var publishError: String?
    /// When the feed files were last written without an error.
    public var lastPublished: String?
    /// Feeds kept as they were because they would have lost entries.
    public var publishProblems: [String]
    /// With a store shared by several nodes: this node's name, whether it hears the store's
    /// notifications, and whether the nodes' feeds/ folders agree. Absent on a node alone.
    public var sharing: SharingReport?
    /// With a store shared by several nodes: the nodes, the leases held now and the holds.
    public var cluster: NodesEntry?

    static func make(status: DaemonStatus, isAlive: Bool, sources: [Source], schedules: [SourceSchedule],
                     health: (String) -> SourceHealth) -> StatusDocument {
        let scheduleByID = Dictionary(schedules.map { ($0.sourceID, $0) }, uniquingKeysWith: { first, _ in first })
        let entries = sources.map { source -> SourceEntry in
            let h = health(source.id)
            let schedule = scheduleByID[source.id]
            return SourceEntry(id: source.id, title: source.title, url: source.url.absoluteString, everySeconds: source.every,
                               lastAttempt: h.lastAttempt?.rfc3339, lastSuccess: h.lastSuccess?.rfc3339, lastError: h.lastError, lastErrorKind: h.lastErrorKind?.name,
                               consecutiveFailures: max(h.consecutiveFailures, schedule?.consecutiveFailures ?? 0),
                               consecutiveEmptyRuns: h.consecutiveEmptyRuns, articlesFoundLastRun: h.articlesFoundLastRun,
                               isBroken: h.isBroken, isRunning: schedule?.isRunning ?? false,
                               nextRunInSeconds: schedule.map { ($0.nextRunInSeconds * 10).rounded() / 10 },
                               lastRefreshedBy: status.sharedWork?.lastRuns[source.id]?.node)
        }
        let cluster = status.node.map { node in
            NodesEntry(node: node, storeError: status.storeFailure, nodes: status.sharedWork?.nodes ?? [],
                       leases: status.sharedWork?.leases ?? [], holds: status.sharedWork?.holds ?? [:], claims: status.claims,
                       claimSecondsP50: status.claimQuantile(0.5), claimSecondsP95: status.claimQuantile(0.95))
        }
        return StatusDocument(version: TidingsVersion.current, alive: isAlive, summary: status.summaryLine,
                              sources: entries, catalogErrors: status.catalogErrors, publishError: status.publishFailure,
                              lastPublished: status.lastPublished.map { Timestamp(date: $0, offsetSeconds: 0).rfc3339 },
                              publishProblems: status.publishProblems, cluster: cluster)
    }
}

/// The body of POST /refresh and POST /refresh/<source>.
public struct RefreshResponse: Sendable, Codable {
    public var reports: [RefreshReportDocument]
    /// The daemon's output folder, so `tidings refresh` can say where the feeds are.
    /// Optional so that a newer client can read an older daemon's answer.
    public var outputDirectory: String?

    public init(reports: [RefreshReportDocument], outputDirectory: String? = nil) {
        self.reports = reports
        self.outputDirectory = outputDirectory
    }
}
