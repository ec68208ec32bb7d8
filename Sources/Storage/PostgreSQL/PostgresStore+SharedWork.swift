import Foundation

/// Shared scheduling in PostgreSQL: host leases (see `claimLease`) named `host:<host>`, a
/// schedule row per source, requests consumed under the lease, NOTIFY to wake other nodes.
extension PostgresStore: SharedWork {
    /// Now on the database's clock, in seconds since 1970 (`now()` is the transaction's start).
    static let epochNow = "extract(epoch from now())::float8"
    /// The channel "refresh now" is announced on.
    static let refreshChannel = "tidings_refresh"

    static func leaseName(host: String) -> String { "host:" + host }

    static func host(ofLease name: String) -> String { name.hasPrefix("host:") ? String(name.dropFirst(5)) : name }

    public func registerNode(_ node: String, description: String) async throws(StorageError) {
        try await write("register the node \(node)", fence: nil) { connection throws(PGFailure) -> Void in
            _ = try connection.execute("""
                INSERT INTO node (id, description, started_at, heartbeat_at) VALUES ($1, $2, \(Self.epochNow), \(Self.epochNow))
                ON CONFLICT (id) DO UPDATE SET description = excluded.description, started_at = excluded.started_at,
                    heartbeat_at = excluded.heartbeat_at
                """, [.text(node), .text(description)])
        }
    }

    public func heartbeat(node: String, claims: [HostClaim], leaseFor duration: TimeInterval) async throws(StorageError) -> [HostClaim] {
        try await write("record the heartbeat of \(node)", fence: nil) { connection throws(PGFailure) -> [HostClaim] in
            try connection.execute("""
                INSERT INTO node (id, description, started_at, heartbeat_at) VALUES ($1, '', \(Self.epochNow), \(Self.epochNow))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                """, [.text(node)])
            var kept: [HostClaim] = []
            for claim in claims {
                let renewed = try connection.execute("""
                    UPDATE lease SET expires_at = now() + make_interval(secs => $4) WHERE name = $1 AND owner = $2 AND token = $3
                    """, [.text(claim.fence.lease), .text(node), .int(claim.fence.token), .double(duration)])
                if renewed.affected == 1 { kept.append(claim) }
            }
            return kept
        }
    }

    public func scheduleSources(_ sources: [ScheduledSource]) async throws(StorageError) {
        guard !sources.isEmpty else { return }
        try await write("schedule \(sources.count) sources", fence: nil) { connection throws(PGFailure) in
            for lease in Set(sources.map { Self.leaseName(host: $0.host) }).sorted() {
                try connection.execute("INSERT INTO lease (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", [.text(lease)])
            }
            for source in sources {
                try connection.execute("""
                    INSERT INTO source_schedule (source_id, lease, next_due) VALUES ($1, $2, \(Self.epochNow) + $3)
                    ON CONFLICT (source_id) DO UPDATE SET lease = excluded.lease WHERE source_schedule.lease <> excluded.lease
                    """, [.text(source.sourceID), .text(Self.leaseName(host: source.host)), .double(max(0, source.firstDelay))])
            }
        }
    }

    public func claimHost(owner: String, leaseFor duration: TimeInterval) async throws(StorageError) -> HostClaimOutcome {
        try await write("claim a host", fence: nil) { connection throws(PGFailure) -> HostClaimOutcome in
            // The row lock is what SKIP LOCKED skips: two nodes claiming at once take two hosts.
            let picked = try connection.execute("""
                SELECT l.name FROM source_schedule s JOIN lease l ON l.name = s.lease
                LEFT JOIN refresh_request r ON r.source_id = s.source_id
                WHERE (s.next_due <= \(Self.epochNow) OR r.source_id IS NOT NULL)
                  AND (l.owner IS NULL OR l.expires_at < now()) AND l.hold_until <= \(Self.epochNow)
                ORDER BY (r.source_id IS NULL), s.next_due
                LIMIT 1 FOR UPDATE OF l SKIP LOCKED
                """)
            guard picked.count == 1, let name = picked.string(0, "name") else {
                let next = try connection.execute("""
                    SELECT min(GREATEST(s.next_due, l.hold_until,
                               CASE WHEN l.owner IS NOT NULL AND l.expires_at >= now()
                                    THEN extract(epoch from l.expires_at)::float8 ELSE 0 END)) - \(Self.epochNow) AS wait
                    FROM source_schedule s JOIN lease l ON l.name = s.lease
                    """)
                return .idle(nextDueIn: next.count > 0 ? next.double(0, "wait").map { max(0, $0) } : nil)
            }
            let claimed = try connection.execute("""
                UPDATE lease SET owner = $2, token = token + 1, expires_at = now() + make_interval(secs => $3),
                    claimed_at = \(Self.epochNow)
                WHERE name = $1 AND (owner IS NULL OR expires_at < now()) RETURNING token, claimed_at
                """, [.text(name), .text(owner), .double(duration)])
            guard claimed.count == 1, let token = claimed.int(0, "token"), let claimedAt = claimed.double(0, "claimed_at") else {
                return .idle(nextDueIn: 0)
            }
            let due = try connection.execute("""
                SELECT s.source_id, s.failures, (r.source_id IS NOT NULL) AS requested
                FROM source_schedule s LEFT JOIN refresh_request r ON r.source_id = s.source_id
                WHERE s.lease = $1 AND (s.next_due <= $2 OR r.source_id IS NOT NULL)
                ORDER BY (r.source_id IS NULL), s.next_due, s.source_id
                """, [.text(name), .double(claimedAt)])
            var ids: [String] = []
            var requested = Set<String>()
            var failures: [String: Int] = [:]
            for row in 0..<due.count {
                guard let id = due.string(row, "source_id") else { continue }
                ids.append(id)
                if due.bool(row, "requested") == true { requested.insert(id) }
                failures[id] = Int(due.int(row, "failures") ?? 0)
            }
            return .claimed(HostClaim(host: Self.host(ofLease: name), fence: WriteFence(lease: name, token: token), sourceIDs: ids,
                                      requested: requested, failures: failures, claimedAt: claimedAt))
        }
    }

    public func finishClaim(_ claim: HostClaim, owner: String, outcomes: [SourceOutcome],
                            holdHostFor hold: TimeInterval?) async throws(StorageError) {
        try await write("finish the claim of \(claim.host)", fence: claim.fence) { connection throws(PGFailure) in
            for outcome in outcomes {
                try connection.execute("""
                    UPDATE source_schedule SET next_due = \(Self.epochNow) + $2, failures = $3, last_node = $4,
                        last_finished = \(Self.epochNow), last_failed = $5, last_new_articles = $6, last_issue = $7
                    WHERE source_id = $1
                    """, [.text(outcome.sourceID), .double(max(0, outcome.nextDueIn)), .int(Int64(outcome.failures)), .text(owner),
                          .bool(outcome.failed), .int(Int64(outcome.newArticles)), .optional(outcome.issue)])
            }
            // Only the requests this claim saw: one made during the run gets a run of its own.
            for id in claim.requested.sorted() {
                try connection.execute("DELETE FROM refresh_request WHERE source_id = $1 AND requested_at <= $2",
                                       [.text(id), .double(claim.claimedAt)])
            }
            try connection.execute("""
                UPDATE lease SET owner = NULL, expires_at = NULL, hold_until = GREATEST(hold_until, \(Self.epochNow) + $3)
                WHERE name = $1 AND token = $2
                """, [.text(claim.fence.lease), .int(claim.fence.token), .double(max(0, hold ?? 0))])
        }
    }

    public func abandonClaim(_ claim: HostClaim, owner: String) async throws(StorageError) {
        try await releaseLease(claim.fence, owner: owner)
    }

    public func requestRefresh(sourceIDs: [String]?) async throws(StorageError) {
        try await write("ask for a refresh", fence: nil) { connection throws(PGFailure) in
            // A newer request replaces an older one: a claim running now consumes only the older.
            let upsert = "ON CONFLICT (source_id) DO UPDATE SET requested_at = excluded.requested_at"
            if let sourceIDs {
                for id in sourceIDs {
                    try connection.execute("""
                        INSERT INTO refresh_request (source_id, requested_at)
                        SELECT source_id, \(Self.epochNow) FROM source_schedule WHERE source_id = $1 \(upsert)
                        """, [.text(id)])
                }
            } else {
                try connection.execute("""
                    INSERT INTO refresh_request (source_id, requested_at) SELECT source_id, \(Self.epochNow) FROM source_schedule \(upsert)
                    """)
            }
            try connection.execute("NOTIFY \(Self.refreshChannel)")
        }
    }

    public func pendingRequests(_ sourceIDs: [String]) async throws(StorageError) -> Set<String> {
        guard !sourceIDs.isEmpty else { return [] }
        return try await read("read the refresh requests") { connection throws(PGFailure) -> Set<String> in
            var pending = Set<String>()
            for id in sourceIDs {
                let rows = try connection.execute("SELECT 1 FROM refresh_request WHERE source_id = $1", [.text(id)])
                if rows.count > 0 { pending.insert(id) }
            }
            return pending
        }
    }

    public func overview() async throws(StorageError) -> SharedWorkOverview {
        try await read("read the nodes and leases") { connection throws(PGFailure) -> SharedWorkOverview in
            var overview = SharedWorkOverview()
            let nodes = try connection.execute("""
                SELECT id, description, started_at, \(Self.epochNow) - heartbeat_at AS since FROM node ORDER BY id
                """)
            for row in 0..<nodes.count {
                overview.nodes.append(.init(id: nodes.string(row, "id") ?? "", description: nodes.string(row, "description") ?? "",
                                            secondsSinceHeartbeat: nodes.double(row, "since") ?? 0,
                                            startedAt: Date(timeIntervalSince1970: nodes.double(row, "started_at") ?? 0)))
            }
            let leases = try connection.execute("""
                SELECT name, owner, token, extract(epoch from expires_at - now())::float8 AS remaining, hold_until - \(Self.epochNow) AS hold
                FROM lease WHERE (owner IS NOT NULL AND expires_at >= now()) OR hold_until > \(Self.epochNow) ORDER BY name
                """)
            for row in 0..<leases.count {
                let host = Self.host(ofLease: leases.string(row, "name") ?? "")
                if let owner = leases.string(row, "owner"), let remaining = leases.double(row, "remaining") {
                    overview.leases.append(.init(host: host, owner: owner, token: leases.int(row, "token") ?? 0, expiresInSeconds: remaining))
                }
                if let hold = leases.double(row, "hold"), hold > 0 { overview.holds[host] = hold }
            }
            let runs = try connection.execute("""
                SELECT source_id, last_node, last_finished, last_failed, last_new_articles, next_due - \(Self.epochNow) AS due
                FROM source_schedule WHERE last_node IS NOT NULL
                """)
            for row in 0..<runs.count {
                guard let id = runs.string(row, "source_id"), let node = runs.string(row, "last_node") else { continue }
                overview.lastRuns[id] = .init(sourceID: id, node: node,
                                              finishedAt: Date(timeIntervalSince1970: runs.double(row, "last_finished") ?? 0),
                                              failed: runs.bool(row, "last_failed") ?? false,
                                              newArticles: Int(runs.int(row, "last_new_articles") ?? 0),
                                              nextDueInSeconds: runs.double(row, "due") ?? 0)
            }
            return overview
        }
    }

    public func listenForRequests(_ wake: @escaping @Sendable () -> Void) -> any RequestListening {
        // Woken on each notification and after each (re)connection: requests sent while the
        // connection was down are in the table, not in a notification.
        PGListener(conninfo: pool.conninfo, channel: Self.refreshChannel, retryDelay: 1) { event in
            if case .lost = event { return }
            wake()
        }
    }
}
