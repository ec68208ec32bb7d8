import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Storage

/// `tidings run` processes sharing one PostgreSQL store: host leases, takeover after a kill,
/// fencing of a node frozen past its lease, a restart of PostgreSQL under running nodes.
/// Catalogs are scaled down from the 300 sources on 30 hosts to what two shared
/// cores refresh in seconds; intervals and leases are seconds long.
@Suite("Several nodes on one PostgreSQL store", .serialized)
struct SeveralNodesTests {
    @Test("three nodes share 32 sources on 8 hosts: each source fetched once per interval, never two nodes on one host at once")
    func shareTheWork() async throws {
        let every: TimeInterval = 4
        let cluster = try NodeCluster(nodes: 3, hosts: 8, sourcesPerHost: 4, every: "4s", lease: "3s")
        defer { cluster.cleanUp() }
        try await cluster.startAll()
        let store = try await cluster.store()
        try await waitUntil(timeout: 120, "every source has its entries") {
            try await allHaveEntries(cluster, store)
        }
        let since = Date()
        try await Task.sleep(for: .seconds(3 * every + 1))
        let overlaps = cluster.sites.overlaps
        #expect(overlaps.isEmpty, "\(overlaps.prefix(5))")
        let all = cluster.sites.listingFetches()
        let window = cluster.sites.listingFetches(since: since)
        for id in cluster.sourceIDs {
            let times = (all[id] ?? []).map(\.at)
            let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
            // ±10 % jitter, and the next due time is set when the run ends: never sooner than 0.9 × every.
            #expect(gaps.allSatisfy { $0 >= 0.85 * every }, "\(id) fetched twice within an interval: gaps \(gaps)")
            #expect((window[id]?.count ?? 0) >= 2, "\(id) was fetched \(window[id]?.count ?? 0) times in 3 intervals")
            #expect(gaps.allSatisfy { $0 <= 2.5 * every }, "\(id) waited too long: gaps \(gaps)")
        }
        let byNode = Dictionary(grouping: window.values.joined(), by: \.node).mapValues(\.count)
        #expect(byNode.count == 3, "every node did some of the work: \(byNode)")
        let status = try await cluster.nodes[0].get("/status.json")
        let document = try JSONSerialization.jsonObject(with: status.body) as? [String: Any]
        let nodes = ((document?["cluster"] as? [String: Any])?["nodes"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(nodes == ["node-0", "node-1", "node-2"])
        let sources = document?["sources"] as? [[String: Any]] ?? []
        #expect(sources.count == 32 && sources.allSatisfy { ($0["lastRefreshedBy"] as? String)?.hasPrefix("node-") == true })
        let metrics = try await cluster.nodes[1].get("/metrics").text
        #expect(metrics.contains("tidings_node_heartbeat_age_seconds{node=\"node-2\"}"))
        #expect(metrics.contains("tidings_claim_duration_seconds{quantile=\"0.95\"}"))
    }

    @Test("kill -9 of a node mid-refresh: another takes its host over within lease + interval; no entry lost, duplicated or renamed")
    func takeoverAfterKill() async throws {
        let every: TimeInterval = 3, lease: TimeInterval = 2
        let cluster = try NodeCluster(nodes: 3, hosts: 3, sourcesPerHost: 2, every: "3s", lease: "2s")
        defer { cluster.cleanUp() }
        try await cluster.startAll()
        let store = try await cluster.store()
        try await waitUntil(timeout: 90, "every source has its entries") { try await allHaveEntries(cluster, store) }
        let before = try await cluster.entryIDs(store)
        cluster.sites.publishExtraArticle(host: 0, delay: 1.5)
        var victim: String?
        try await waitUntil(timeout: 30, "a node asks for the new article") {
            victim = cluster.sites.allHits.first { $0.host == 0 && $0.path == FixtureSite.extraArticle }?.node
            return victim != nil
        }
        let killed = try #require(cluster.node(named: victim!))
        try await killed.kill9()
        let killedAt = Date()
        let sourcesOfHost = cluster.sourceIDs.filter { cluster.hostOf[$0] == 0 }
        try await waitUntil(timeout: 60, "the new article is stored for every source of the host") {
            for id in sourcesOfHost {
                if try await store.entries(sourceID: id, limit: 100).count <= before[id]!.count { return false }
            }
            return true
        }
        let takeover = try #require(cluster.sites.allHits.first { $0.host == 0 && $0.at > killedAt && $0.node != victim })
        let waited = takeover.at.timeIntervalSince(killedAt)
        // The lease runs out at most `lease` after the kill; the next claim comes within one interval.
        #expect(waited <= lease + every + 2, "taken over after \(waited) s")
        let after = try await cluster.entryIDs(store)
        for id in cluster.sourceIDs {
            let old = before[id]!, new = after[id]!
            #expect(Set(new).count == new.count, "no duplicate in \(id)")
            #expect(Set(old).isSubset(of: Set(new)), "no entry of \(id) lost or renamed")
            #expect(new.count == old.count + (sourcesOfHost.contains(id) ? 1 : 0), "\(id): \(old.count) → \(new.count)")
        }
    }

    @Test("a node frozen past its lease and resumed: its late writes are refused, the feed is as the other node left it")
    func frozenNodeIsFenced() async throws {
        let cluster = try NodeCluster(nodes: 2, hosts: 1, sourcesPerHost: 1, every: "3s", lease: "2s")
        defer { cluster.cleanUp() }
        try await cluster.startAll()
        let store = try await cluster.store()
        let id = cluster.sourceIDs[0]
        try await waitUntil(timeout: 60, "the source has its entries") { try await allHaveEntries(cluster, store) }
        let countBefore = try await store.entryCount(sourceID: id)
        cluster.sites.publishExtraArticle(host: 0, delay: 1, markByNode: true)
        var frozenName: String?
        try await waitUntil(timeout: 30, "a node asks for the new article") {
            frozenName = cluster.sites.allHits.first { $0.path == FixtureSite.extraArticle }?.node
            return frozenName != nil
        }
        let frozen = try #require(cluster.node(named: frozenName!))
        frozen.signal(SIGSTOP)
        let other = frozenName == "node-0" ? "node-1" : "node-0"
        func extraText() async throws -> String? {
            try await store.entries(sourceID: id, limit: 100).first { $0.article.url.path.hasSuffix(FixtureSite.extraArticle) }?.article.text
        }
        try await waitUntil(timeout: 60, "the other node stores the new article") { try await extraText() != nil }
        #expect(try await extraText()?.contains("fetched-by-\(other)") == true)
        let snapshot = try await store.feedSnapshot(sourceID: id, limit: 100)
        frozen.signal(SIGCONT)
        try await waitUntil(timeout: 60, "the resumed node meets the fence") {
            frozen.logText.contains("was claimed again after token")
        }
        try await Task.sleep(for: .seconds(1))
        #expect(try await extraText()?.contains("fetched-by-\(other)") == true, "the frozen node's copy was not written")
        let now = try await store.feedSnapshot(sourceID: id, limit: 100)
        #expect(now.version == snapshot.version, "the feed did not change")
        #expect(now.entries.map(\.id) == snapshot.entries.map(\.id) && now.entries.count == countBefore + 1)
    }

    @Test("PostgreSQL restarted under running nodes: /healthz reports the outage, they reconnect and lose nothing")
    func postgresRestart() async throws {
        let server = try ThrowawayPostgres.privateCluster()
        defer { server.remove() }
        let cluster = try NodeCluster(nodes: 2, hosts: 2, sourcesPerHost: 2, every: "2s", lease: "3s", conninfo: server.conninfo)
        defer { cluster.cleanUp() }
        try await cluster.startAll()
        let store = try await cluster.store()
        try await waitUntil(timeout: 60, "every source has its entries") { try await allHaveEntries(cluster, store) }
        let before = try await cluster.entryIDs(store)
        try server.stop()
        for node in cluster.nodes {
            try await waitUntil(timeout: 30, "/healthz reports the outage") {
                let answer = try await node.get("/healthz")
                return answer.status == 503 && answer.text.contains("shared store")
            }
        }
        cluster.sites.publishExtraArticle(host: 0)
        try await Task.sleep(for: .seconds(2))
        try server.start()
        for node in cluster.nodes {
            try await waitUntil(timeout: 60, "/healthz is ok again") { try await node.get("/healthz").status == 200 }
        }
        let sourcesOfHost = cluster.sourceIDs.filter { cluster.hostOf[$0] == 0 }
        try await waitUntil(timeout: 60, "the article published meanwhile is stored") {
            for id in sourcesOfHost {
                if try await store.entries(sourceID: id, limit: 100).count <= before[id]!.count { return false }
            }
            return true
        }
        let after = try await cluster.entryIDs(store)
        for id in cluster.sourceIDs {
            #expect(Set(before[id]!).isSubset(of: Set(after[id]!)) && Set(after[id]!).count == after[id]!.count, "\(id)")
        }
    }

    func allHaveEntries(_ cluster: NodeCluster, _ store: PostgresStore) async throws -> Bool {
        for id in cluster.sourceIDs {
            if try await store.entryCount(sourceID: id) < FixtureSite.firstListingArticles { return false }
        }
        return true
    }

    /// `waitUntil` for conditions that ask the store or a node.
    func waitUntil(timeout: TimeInterval, _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DaemonProcessFailure("timed out after \(Int(timeout)) s waiting until \(what)")
    }
}
