import Foundation

/// The work of several nodes on one store (PostgreSQL): which node refreshes which host now,
/// when each source is due next, the hosts that asked for a pause, and "refresh now" requests.
/// Nodes claim hosts, not single sources, so per-host politeness holds across nodes; a claim
/// carries a fence, and every write of the refresh is made under it. All times are the
/// database's clock, given to callers as delays from now, so the nodes' clocks never matter.
public protocol SharedWork: Sendable {
    /// Records the node (or its restart) with a first heartbeat.
    func registerNode(_ node: String, description: String) async throws(StorageError)
    /// The node's heartbeat: marks it alive and moves on the expiry of each of `claims`.
    /// Returns the claims that are still this node's (others were taken over).
    func heartbeat(node: String, claims: [HostClaim], leaseFor duration: TimeInterval) async throws(StorageError) -> [HostClaim]
    /// Makes sure every source has its schedule row and its host's lease row; a source seen
    /// for the first time is due after its `firstDelay`. Sources already known keep their rhythm.
    func scheduleSources(_ sources: [ScheduledSource]) async throws(StorageError)
    /// Claims the host whose sources are most overdue (asked-for ones first) and is neither
    /// held by another node nor pausing for Retry-After, with `FOR UPDATE SKIP LOCKED`, so two
    /// nodes claiming at once never wait for each other nor take the same host.
    func claimHost(owner: String, leaseFor duration: TimeInterval) async throws(StorageError) -> HostClaimOutcome
    /// Ends a claim under its fence, in one transaction: each source's next due time and last
    /// run, the requests the claim served consumed, the host's pause (Retry-After), the lease
    /// released. Throws `.fenced` when another node took the host over meanwhile.
    func finishClaim(_ claim: HostClaim, owner: String, outcomes: [SourceOutcome], holdHostFor hold: TimeInterval?) async throws(StorageError)
    /// Gives the lease up without recording anything (the node stops, or its catalog lacks the sources).
    func abandonClaim(_ claim: HostClaim, owner: String) async throws(StorageError)
    /// "Refresh now": these sources (nil: every scheduled one) are done by whichever node
    /// holds or next claims their host, once; other nodes are woken (NOTIFY).
    func requestRefresh(sourceIDs: [String]?) async throws(StorageError)
    /// Which of these sources still have a request waiting.
    func pendingRequests(_ sourceIDs: [String]) async throws(StorageError) -> Set<String>
    /// What the store knows of the nodes, the leases and each source's last run (status pages).
    func overview() async throws(StorageError) -> SharedWorkOverview
    /// Calls `wake` whenever a node asks for a refresh (LISTEN on a connection of its own,
    /// opened again after an outage) until `stop` of the returned handle.
    func listenForRequests(_ wake: @escaping @Sendable () -> Void) -> any RequestListening
}

/// A running LISTEN; `stop` ends it.
public protocol RequestListening: Sendable {
    func stop()
}

/// A source as the shared schedule needs it.
public struct ScheduledSource: Sendable, Hashable {
    public var sourceID: String
    /// The politeness key of its host (`HostSpread.host`).
    public var host: String
    /// When a source never scheduled before runs first, from now.
    public var firstDelay: TimeInterval

    public init(sourceID: String, host: String, firstDelay: TimeInterval) {
        self.sourceID = sourceID
        self.host = host
        self.firstDelay = firstDelay
    }
}

/// One host claimed by one node: the sources to refresh now and the fence to write under.
public struct HostClaim: Sendable, Hashable {
    public var host: String
    public var fence: WriteFence
    /// Due or asked-for sources of the host, most overdue first.
    public var sourceIDs: [String]
    /// Those of `sourceIDs` a person asked for.
    public var requested: Set<String>
    /// Failures in a row of each source, as stored (for its backoff).
    public var failures: [String: Int]
    /// The claim's time on the database clock: requests made later are not consumed by it.
    public var claimedAt: Double

    public init(host: String, fence: WriteFence, sourceIDs: [String], requested: Set<String>, failures: [String: Int], claimedAt: Double) {
        self.host = host
        self.fence = fence
        self.sourceIDs = sourceIDs
        self.requested = requested
        self.failures = failures
        self.claimedAt = claimedAt
    }
}

public enum HostClaimOutcome: Sendable, Hashable {
    case claimed(HostClaim)
    /// Nothing to claim now; the next source becomes due in this many seconds (nil: none scheduled).
    case idle(nextDueIn: TimeInterval?)
}

/// How one source's run ended, as the shared schedule keeps it.
public struct SourceOutcome: Sendable, Hashable {
    public var sourceID: String
    /// Seconds from now until it is due again (interval or backoff, jittered by the caller).
    public var nextDueIn: TimeInterval
    public var failures: Int
    public var failed: Bool
    public var newArticles: Int
    public var issue: String?

    public init(sourceID: String, nextDueIn: TimeInterval, failures: Int, failed: Bool, newArticles: Int, issue: String?) {
        self.sourceID = sourceID
        self.nextDueIn = nextDueIn
        self.failures = failures
        self.failed = failed
        self.newArticles = newArticles
        self.issue = issue
    }
}

/// The nodes, leases and last runs, for /status.json and /metrics.
public struct SharedWorkOverview: Sendable, Hashable {
    public struct Node: Sendable, Hashable, Codable {
        public var id: String
        public var description: String
        /// Seconds since its last heartbeat, on the database clock.
        public var secondsSinceHeartbeat: Double
        public var startedAt: Date
    }

    public struct Lease: Sendable, Hashable, Codable {
        public var host: String
        public var owner: String
        public var token: Int64
        public var expiresInSeconds: Double
    }

    public struct LastRun: Sendable, Hashable, Codable {
        public var sourceID: String
        public var node: String
        public var finishedAt: Date
        public var failed: Bool
        public var newArticles: Int
        /// Seconds until it is due again (negative: overdue).
        public var nextDueInSeconds: Double
    }

    public var nodes: [Node]
    public var leases: [Lease]
    public var lastRuns: [String: LastRun]
    /// Hosts pausing for Retry-After, with the seconds left.
    public var holds: [String: Double]

    public init(nodes: [Node] = [], leases: [Lease] = [], lastRuns: [String: LastRun] = [:], holds: [String: Double] = [:]) {
        self.nodes = nodes
        self.leases = leases
        self.lastRuns = lastRuns
        self.holds = holds
    }
}
