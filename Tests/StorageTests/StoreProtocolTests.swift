import Foundation
import TestSupport
import Testing
import TidingsCore
@testable import Storage

/// The store protocol, one suite for both stores: the embedded SQLite one and PostgreSQL
/// (a throwaway cluster, see `ThrowawayPostgres`; `.ci/run` starts one for CI).
@Suite("Store protocol: SQLite and PostgreSQL", .serialized)
struct StoreProtocolTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgresql
        var testDescription: String { rawValue }
    }

    func makeStore(_ kind: Kind) async throws -> any ArticleStore {
        switch kind {
        case .sqlite:
            return try SQLiteStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("tidings-protocol-\(UUID().uuidString)"))
        case .postgresql:
            return try await PostgresStore(conninfo: try ThrowawayPostgres.freshDatabase())
        }
    }

    func article(_ path: String, text: String = "正文第一段。", published: String? = "2024-01-01T00:00:00Z",
                 fingerprint: UInt64? = nil) -> Article {
        var article = Article(url: URL(string: "https://news.example.com\(path)")!, title: "标题 \(path)",
                              published: published.flatMap { Timestamp(rfc3339: $0) }, html: "<p>\(text)</p>", text: text)
        article.fingerprint = fingerprint
        return article
    }

    func day(_ n: Int) -> Timestamp {
        Timestamp(date: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86400), offsetSeconds: 8 * 3600)
    }

    @Test("a saved article keeps its id, first-seen time and updated time until its text changes; aliases find it", arguments: Kind.allCases)
    func saveKeepsIdentity(_ kind: Kind) async throws {
        let store = try await makeStore(kind)
        let first = try await store.save(article("/a?utm_source=x"), sourceID: "s", seenAt: day(0), identity: "https://news.example.com/a",
                                         alsoKnownAs: ["https://news.example.com/a?utm_source=x"])
        #expect(first.id.hasPrefix("tag:news.example.com,"))
        let same = try await store.save(article("/a?utm_source=x"), sourceID: "s", seenAt: day(3), identity: "https://news.example.com/a",
                                        alsoKnownAs: [])
        #expect(same.id == first.id && same.firstSeen == first.firstSeen && same.updated == first.updated)
        let edited = try await store.save(article("/a", text: "改过的正文。"), sourceID: "s", seenAt: day(5),
                                          identity: "https://news.example.com/a", alsoKnownAs: [])
        #expect(edited.id == first.id && edited.updated == day(5))
        let known = try await store.knownURLs(["https://news.example.com/a?utm_source=x", "https://news.example.com/a",
                                               "https://news.example.com/other"], sourceID: "s")
        #expect(known == ["https://news.example.com/a?utm_source=x", "https://news.example.com/a"])
        #expect(try await store.knownURLs(["https://news.example.com/a"], sourceID: "other").isEmpty, "kept per source")
        let stored = try await store.entries(sourceID: "s", limit: 10)
        #expect(stored.count == 1 && stored[0].article.text == "改过的正文。" && stored[0].updated.offsetSeconds == 8 * 3600)
    }

    @Test("an alias shared by two articles never merges them: only the identity picks the entry", arguments: Kind.allCases)
    func sharedAliasDoesNotMerge(_ kind: Kind) async throws {
        let store = try await makeStore(kind)
        let shared = "https://news.example.com/news/"
        let a = try await store.save(article("/a"), sourceID: "s", seenAt: day(0), identity: "https://news.example.com/a", alsoKnownAs: [shared])
        let b = try await store.save(article("/b"), sourceID: "s", seenAt: day(0), identity: "https://news.example.com/b", alsoKnownAs: [shared])
        #expect(a.id != b.id)
        #expect(try await store.entryCount(sourceID: "s") == 2)
    }

    @Test("entries come newest first, cut at the limit; a batch save is one feed version", arguments: Kind.allCases)
    func ordersAndVersions(_ kind: Kind) async throws {
        let store = try await makeStore(kind)
        let items = (1...5).map { n in
            ArticleToSave(article("/n\(n)", published: "2024-01-0\(n)T00:00:00Z"), seenAt: day(n), alsoKnownAs: [])
        }
        let saved = try await store.save(items, sourceID: "s", fence: nil)
        #expect(saved.count == 5)
        let snapshot = try await store.feedSnapshot(sourceID: "s", limit: 3)
        #expect(snapshot.version == 1)
        #expect(snapshot.entries.map(\.article.url.path) == ["/n5", "/n4", "/n3"])
        let byKey = try await store.entries(keys: [EntryKey(sourceID: "s", id: saved[0].id), EntryKey(sourceID: "s", id: "missing")])
        #expect(byKey.map(\.id) == [saved[0].id])
        try await store.save(article("/n6", published: "2024-01-06T00:00:00Z"), sourceID: "s", seenAt: day(6), alsoKnownAs: [])
        #expect(try await store.feedSnapshot(sourceID: "s", limit: 1).version == 2)
    }

    @Test("publishing records round-trip; combined candidates are newest first, each source cut at its keep", arguments: Kind.allCases)
    func recordsAndCandidates(_ kind: Kind) async throws {
        let store = try await makeStore(kind)
        for (source, days) in [("a", [1, 3, 5]), ("b", [2, 4, 6])] {
            let items = days.map { ArticleToSave(article("/\(source)\($0)", published: nil, fingerprint: UInt64($0)), seenAt: day($0), alsoKnownAs: []) }
            try await store.save(items, sourceID: source, fence: nil)
        }
        let heads = try await store.combinedCandidates(keep: ["a": 2, "b": 1], limit: 10)
        #expect(heads.map(\.canonicalURL) == ["https://news.example.com/b6", "https://news.example.com/a5", "https://news.example.com/a3"])
        #expect(heads.first?.fingerprint == 6 && heads.first?.revision == 0)
        #expect(try await store.combinedCandidates(keep: ["a": 2, "b": 1], limit: 2).count == 2)
        let record = FeedRecord(sourceID: "a", version: 1, publishedVersion: 1, signature: "sig", entryCount: 2,
                                newestTitle: "标题 /a5", newestLink: "https://news.example.com/a5")
        try await store.markPublished([record], fence: nil)
        let records = try await store.feedRecords()
        #expect(records["a"] == record)
        #expect(records["b"]?.version == 1 && records["b"]?.publishedVersion == nil)
    }

    @Test("fetch state, health and robots.txt answers round-trip", arguments: Kind.allCases)
    func stateRoundTrips(_ kind: Kind) async throws {
        let store = try await makeStore(kind)
        let state = FetchState(sourceID: "s", url: "https://news.example.com/", etag: "\"v1\"", lastModified: "Tue, 01 Oct 2024 08:00:00 GMT",
                               bodyHash: "abc", fetchedAt: day(2))
        try await store.saveFetchState(state)
        #expect(try await store.fetchState(sourceID: "s", url: state.url) == state)
        var newer = state
        newer.etag = nil
        try await store.saveFetchState(newer)
        #expect(try await store.fetchState(sourceID: "s", url: state.url) == newer)
        #expect(try await store.fetchState(sourceID: "t", url: state.url) == nil)

        #expect(try await store.health(sourceID: "s") == SourceHealth())
        let health = SourceHealth(lastAttempt: day(1), lastError: "HTTP 503", consecutiveFailures: 2)
        try await store.saveHealth(health, sourceID: "s")
        #expect(try await store.health(sourceID: "s") == health)
        #expect(try await store.allHealth() == ["s": health])

        let robots = StoredRobotsAnswer(origin: "https://news.example.com", status: 200, body: "User-agent: *\nDisallow: /x\n",
                                  fetchedAt: Date(timeIntervalSince1970: 1_700_000_123.5))
        try await store.saveRobotsRecord(robots)
        #expect(try await store.robotsRecord(origin: robots.origin) == robots)
        #expect(try await store.robotsRecord(origin: "https://other.example.com") == nil)
    }

    @Test("retention drops bodies past keep plus margin that are old enough, and keeps ids and URLs", arguments: Kind.allCases)
    func retention(_ kind: Kind) async throws {
        let store = try await makeStore(kind)
        let items = (1...6).map { n in ArticleToSave(article("/r\(n)", published: "2024-01-0\(n)T00:00:00Z"), seenAt: day(n), alsoKnownAs: []) }
        try await store.save(items, sourceID: "s", fence: nil)
        let report = try await store.applyRetention(keep: ["s": 2], margin: { _ in 1 }, before: day(3))
        #expect(report.bodiesDropped == 2, "r1 and r2: ranked past 3 and first seen before day 3")
        #expect(try await store.entries(sourceID: "s", limit: 10).map(\.article.url.path) == ["/r6", "/r5", "/r4", "/r3"])
        #expect(try await store.entryCount(sourceID: "s") == 6)
        #expect(try await store.knowsArticle(url: "https://news.example.com/r1", sourceID: "s"), "never fetched again as new")
    }

    // MARK: PostgreSQL only

    @Test("a claim bumps the lease's token; writes under an older token are refused as fenced and change nothing")
    func fencing() async throws {
        let conninfo = try ThrowawayPostgres.freshDatabase()
        let store = try await PostgresStore(conninfo: conninfo)
        let first = try #require(try await store.claimLease("host:news.example.com", owner: "node-1", for: 1))
        #expect(try await store.claimLease("host:news.example.com", owner: "node-2", for: 30) == nil, "held by node-1")
        try await store.save(article("/f1"), sourceID: "s", seenAt: day(0), alsoKnownAs: [], fence: first)
        try await Task.sleep(for: .milliseconds(1500))
        let second = try #require(try await store.claimLease("host:news.example.com", owner: "node-2", for: 30), "expired")
        #expect(second.token == first.token + 1)
        #expect(try await store.renewLease(first, owner: "node-1", for: 30) == false, "node-1 learns it lost the lease")
        await #expect(throws: StorageError.self) {
            try await store.save(self.article("/late"), sourceID: "s", seenAt: self.day(1), alsoKnownAs: [], fence: first)
        }
        do {
            try await store.saveHealth(SourceHealth(consecutiveFailures: 9), sourceID: "s", fence: first)
            Issue.record("a fenced write was accepted")
        } catch {
            #expect(error.kind == .fenced)
        }
        #expect(try await store.entries(sourceID: "s", limit: 10).map(\.article.url.path) == ["/f1"])
        #expect(try await store.health(sourceID: "s") == SourceHealth())
        try await store.saveHealth(SourceHealth(consecutiveFailures: 1), sourceID: "s", fence: second)
        #expect(try await store.health(sourceID: "s").consecutiveFailures == 1)
        try await store.releaseLease(second, owner: "node-2")
        #expect(try await store.claimLease("host:news.example.com", owner: "node-1", for: 30)?.token == second.token + 1)
    }

    @Test("two nodes opening one new database at once both get the schema, applied once")
    func concurrentMigration() async throws {
        let conninfo = try ThrowawayPostgres.freshDatabase()
        async let a = PostgresStore(conninfo: conninfo)
        async let b = PostgresStore(conninfo: conninfo)
        let (one, two) = try await (a, b)
        try await one.save(article("/m"), sourceID: "s", seenAt: day(0), alsoKnownAs: [])
        #expect(try await two.entryCount(sourceID: "s") == 1)
        let versions = try await one.read("count migrations") { connection throws(PGFailure) in
            try connection.execute("SELECT COUNT(*) AS n FROM schema_version").int(0, "n")
        }
        #expect(versions == Int64(PostgresStore.migrations.count))
    }

    @Test("a server that cannot be reached fails as cannotOpen, naming where it was looked for without the password")
    func unreachable() async throws {
        do {
            _ = try await PostgresStore(conninfo: "postgresql://tidings:s3cret@127.0.0.1:1/tidings?connect_timeout=2")
            Issue.record("connected to nothing")
        } catch {
            #expect(error.kind == .cannotOpen)
            #expect(error.description.contains("127.0.0.1:1") && !error.description.contains("s3cret"), "\(error)")
        }
    }
}
