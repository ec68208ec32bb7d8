import Foundation
import TestSupport
import Testing
import TidingsCore
@testable import Storage

/// The shared schedule of several nodes on one PostgreSQL store: host claims with SKIP LOCKED,
/// next due times, Retry-After holds, "refresh now" requests, fencing, heartbeats and LISTEN.
@Suite("Shared work of several nodes (PostgreSQL)", .serialized)
struct SharedWorkTests {
    func makeStore() async throws -> PostgresStore {
        try await PostgresStore(conninfo: try ThrowawayPostgres.freshDatabase())
    }

    /// Three sources on host a, two on host b, one on c (not due for an hour).
    func schedule(_ store: PostgresStore) async throws {
        try await store.scheduleSources([
            ScheduledSource(sourceID: "a1", host: "a.example", firstDelay: 0),
            ScheduledSource(sourceID: "a2", host: "a.example", firstDelay: 0),
            ScheduledSource(sourceID: "a3", host: "a.example", firstDelay: 0),
            ScheduledSource(sourceID: "b1", host: "b.example", firstDelay: 0),
            ScheduledSource(sourceID: "b2", host: "b.example", firstDelay: 0),
            ScheduledSource(sourceID: "c1", host: "c.example", firstDelay: 3600),
        ])
    }

    func claimed(_ outcome: HostClaimOutcome) -> HostClaim? {
        if case .claimed(let claim) = outcome { return claim }
        return nil
    }

    func done(_ claim: HostClaim, next: TimeInterval) -> [SourceOutcome] {
        claim.sourceIDs.map { SourceOutcome(sourceID: $0, nextDueIn: next, failures: 0, failed: false, newArticles: 1, issue: nil) }
    }

    @Test("two nodes claiming at once take different hosts, each with all its due sources; a host not due is not claimed")
    func claimsSplitHosts() async throws {
        let store = try await makeStore()
        try await schedule(store)
        async let first = store.claimHost(owner: "n1", leaseFor: 30)
        async let second = store.claimHost(owner: "n2", leaseFor: 30)
        let claims = try await [first, second].compactMap(claimed)
        #expect(claims.count == 2)
        #expect(Set(claims.map(\.host)) == ["a.example", "b.example"])
        for claim in claims {
            #expect(Set(claim.sourceIDs) == (claim.host == "a.example" ? ["a1", "a2", "a3"] : ["b1", "b2"]))
            #expect(claim.fence.lease == "host:" + claim.host && claim.fence.token == 1)
        }
        guard case .idle(let wait) = try await store.claimHost(owner: "n3", leaseFor: 30) else {
            Issue.record("a third host was claimed though only c.example is left and it is due in an hour")
            return
        }
        #expect(try #require(wait) > 20, "the held leases expire in 30 s: nothing is claimable sooner")
    }

    @Test("finishing a claim records next due times and the node, and releases the host")
    func finishing() async throws {
        let store = try await makeStore()
        try await schedule(store)
        let claim = try #require(claimed(try await store.claimHost(owner: "n1", leaseFor: 30)))
        try await store.finishClaim(claim, owner: "n1", outcomes: done(claim, next: 600), holdHostFor: nil)
        let other = try #require(claimed(try await store.claimHost(owner: "n2", leaseFor: 30)), "the other host")
        #expect(other.host != claim.host)
        try await store.finishClaim(other, owner: "n2", outcomes: done(other, next: 600), holdHostFor: nil)
        guard case .idle(let wait) = try await store.claimHost(owner: "n1", leaseFor: 30) else {
            Issue.record("a host was claimed again before its sources were due")
            return
        }
        #expect(try #require(wait) > 500)
        let overview = try await store.overview()
        #expect(overview.leases.isEmpty, "released")
        #expect(overview.lastRuns[claim.sourceIDs[0]]?.node == "n1" && overview.lastRuns[other.sourceIDs[0]]?.node == "n2")
        #expect(overview.lastRuns.count == 5)
    }

    @Test("a Retry-After hold keeps the host from every node, even for a refresh asked for")
    func holds() async throws {
        let store = try await makeStore()
        try await store.scheduleSources([ScheduledSource(sourceID: "a1", host: "a.example", firstDelay: 0)])
        let claim = try #require(claimed(try await store.claimHost(owner: "n1", leaseFor: 30)))
        let failed = SourceOutcome(sourceID: "a1", nextDueIn: 0, failures: 1, failed: true, newArticles: 0, issue: "429")
        try await store.finishClaim(claim, owner: "n1", outcomes: [failed], holdHostFor: 3600)
        try await store.requestRefresh(sourceIDs: ["a1"])
        #expect(claimed(try await store.claimHost(owner: "n2", leaseFor: 30)) == nil)
        #expect(try await store.overview().holds["a.example"].map { $0 > 3500 } == true)
    }

    @Test("a request is consumed by the claim that saw it, once; one made during that run gets a run of its own")
    func requestsOnce() async throws {
        let store = try await makeStore()
        try await schedule(store)
        // Nothing due on c.example for an hour: only the request makes it claimable.
        try await store.requestRefresh(sourceIDs: ["c1", "c1", "unknown"])
        let claim = try #require(claimed(try await store.claimHost(owner: "n1", leaseFor: 30)))
        #expect(claim.host == "c.example" && claim.sourceIDs == ["c1"] && claim.requested == ["c1"], "asked-for hosts go first")
        #expect(try await store.pendingRequests(["c1", "unknown"]) == ["c1"], "pending until the claim ends")
        try await Task.sleep(for: .milliseconds(20))
        try await store.requestRefresh(sourceIDs: ["c1"])  // during the run
        try await store.finishClaim(claim, owner: "n1", outcomes: done(claim, next: 3600), holdHostFor: nil)
        #expect(try await store.pendingRequests(["c1"]) == ["c1"], "the later request stays")
        let again = try #require(claimed(try await store.claimHost(owner: "n2", leaseFor: 30)))
        #expect(again.host == "c.example" && again.requested == ["c1"])
        try await store.finishClaim(again, owner: "n2", outcomes: done(again, next: 3600), holdHostFor: nil)
        #expect(try await store.pendingRequests(["c1"]).isEmpty)
        let rest = try #require(claimed(try await store.claimHost(owner: "n2", leaseFor: 30)))
        #expect(rest.host != "c.example" && rest.requested.isEmpty)
    }

    @Test("a lease that expired is claimed by another node with a new token; the old owner's writes and finish are refused")
    func takeoverFences() async throws {
        let store = try await makeStore()
        try await store.scheduleSources([ScheduledSource(sourceID: "a1", host: "a.example", firstDelay: 0)])
        let old = try #require(claimed(try await store.claimHost(owner: "n1", leaseFor: 1)))
        try await store.save([ArticleToSave(Article(url: URL(string: "https://a.example/1")!, title: "一", html: "<p>一</p>", text: "一"),
                                            seenAt: .now(), alsoKnownAs: [])], sourceID: "a1", fence: old.fence)
        try await Task.sleep(for: .milliseconds(1300))
        let new = try #require(claimed(try await store.claimHost(owner: "n2", leaseFor: 30)), "expired, so claimable")
        #expect(new.fence.token == old.fence.token + 1 && new.sourceIDs == ["a1"])
        #expect(try await store.heartbeat(node: "n1", claims: [old], leaseFor: 30).isEmpty, "n1 learns it lost the host")
        do {
            try await store.save([ArticleToSave(Article(url: URL(string: "https://a.example/late")!, title: "迟", html: "<p>迟</p>", text: "迟"),
                                                seenAt: .now(), alsoKnownAs: [])], sourceID: "a1", fence: old.fence)
            Issue.record("a late write under the old token was accepted")
        } catch {
            #expect(error.kind == .fenced)
        }
        await #expect(throws: StorageError.self) {
            try await store.finishClaim(old, owner: "n1", outcomes: self.done(old, next: 5), holdHostFor: nil)
        }
        #expect(try await store.overview().leases.map(\.owner) == ["n2"], "still n2's")
        #expect(try await store.entries(sourceID: "a1", limit: 10).map(\.article.url.path) == ["/1"])
        #expect(try await store.heartbeat(node: "n2", claims: [new], leaseFor: 30) == [new])
    }

    @Test("nodes are listed with their heartbeat; LISTEN wakes a node when another asks for a refresh")
    func nodesAndListen() async throws {
        let store = try await makeStore()
        try await schedule(store)
        try await store.registerNode("n1", description: "first")
        try await store.registerNode("n2", description: "second")
        _ = try await store.heartbeat(node: "n1", claims: [], leaseFor: 30)
        let nodes = try await store.overview().nodes
        #expect(nodes.map(\.id) == ["n1", "n2"] && nodes.allSatisfy { $0.secondsSinceHeartbeat < 60 })
        let wakes = Wakes()
        let listener = store.listenForRequests { wakes.add() }
        defer { listener.stop() }
        try await waitFor("the listener connects") { wakes.count >= 1 }
        let before = wakes.count
        let other = try await PostgresStore(conninfo: store.pool.conninfo)
        try await other.requestRefresh(sourceIDs: ["b1"])
        try await waitFor("the NOTIFY arrives") { wakes.count > before }
    }

    func waitFor(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
    }
}

final class Wakes: @unchecked Sendable {
    // @unchecked Sendable: `value` is guarded by `lock`.
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}
