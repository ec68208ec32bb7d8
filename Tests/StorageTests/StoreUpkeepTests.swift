import Foundation
import GRDB
import Testing
import TidingsCore
@testable import Storage

@Suite("SQLite store: versions, windows, retention, failures")
struct StoreUpkeepTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-upkeep-\(UUID().uuidString)")

    func article(_ path: String, published: String = "2024-01-01T00:00:00Z", text: String = "正文") -> Article {
        let url = URL(string: "https://news.example.com\(path)")!
        return Article(url: url, title: "标题 \(path)", published: Timestamp(rfc3339: published), html: "<p>\(text)</p>", text: text)
    }

    func day(_ n: Int) -> Timestamp {
        Timestamp(date: Date(timeIntervalSince1970: 1_700_000_000 + Double(n) * 86400), offsetSeconds: 0)
    }

    @Test("every stored change bumps its source's feed version; a snapshot reads entries and version together")
    func feedVersions() async throws {
        let store = try SQLiteStore(directory: directory)
        #expect(try await store.feedRecords().isEmpty)
        try await store.save([ArticleToSave(article("/a"), seenAt: day(0), alsoKnownAs: []),
                              ArticleToSave(article("/b"), seenAt: day(0), alsoKnownAs: [])], sourceID: "s", fence: nil)
        try await store.save(article("/c"), sourceID: "s", seenAt: day(1), alsoKnownAs: [])
        let snapshot = try await store.feedSnapshot(sourceID: "s", limit: 10)
        #expect(snapshot.version == 2, "one bump per transaction")
        #expect(snapshot.entries.count == 3)
        var record = try #require(try await store.feedRecords()["s"])
        #expect(record.publishedVersion == nil)
        record.publishedVersion = snapshot.version
        record.signature = "sig"
        record.entryCount = 3
        try await store.markPublished([record], fence: nil)
        let stored = try #require(try await store.feedRecords()["s"])
        #expect(stored.publishedVersion == 2 && stored.version == 2 && stored.signature == "sig" && stored.entryCount == 3)
        try await store.save(article("/d"), sourceID: "s", seenAt: day(2), alsoKnownAs: [])
        #expect(try await store.feedRecords()["s"]?.version == 3, "a later save makes the published feed stale again")
    }

    @Test("combined candidates come newest first over every source, each cut at its own keep, none of removed sources")
    func combinedCandidates() async throws {
        let store = try SQLiteStore(directory: directory)
        for n in 0..<5 {
            try await store.save(article("/a\(n)", published: "2024-01-0\(n + 1)T00:00:00Z"), sourceID: "a", seenAt: day(n), alsoKnownAs: [])
            try await store.save(article("/b\(n)", published: "2024-01-0\(n + 1)T12:00:00Z"), sourceID: "b", seenAt: day(n), alsoKnownAs: [])
            try await store.save(article("/gone\(n)", published: "2024-02-01T00:00:00Z"), sourceID: "gone", seenAt: day(n), alsoKnownAs: [])
        }
        let heads = try await store.combinedCandidates(keep: ["a": 2, "b": 5], limit: 100)
        #expect(heads.map { "\($0.key.sourceID)\($0.canonicalURL.suffix(1))" } == ["b4", "a4", "b3", "a3", "b2", "b1", "b0"])
        #expect(heads.map(\.sortTime) == heads.map(\.sortTime).sorted(by: >))
        #expect(try await store.combinedCandidates(keep: ["a": 2, "b": 5], limit: 3).count == 3)
    }

    @Test("retention drops the bodies of old entries past keep plus margin, keeps their ids and URLs, and frees pages")
    func retention() async throws {
        let store = try SQLiteStore(directory: directory)
        let long = String(repeating: "一段很长的正文，", count: 4000)
        for n in 0..<30 {
            try await store.save(article("/p\(n)", published: "2024-01-01T00:\(String(format: "%02d", n)):00Z", text: long + "\(n)"),
                                 sourceID: "s", seenAt: day(n), alsoKnownAs: ["https://news.example.com/p\(n)?from=rss"])
        }
        let pagesBefore = try await store.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
        // keep 5 + margin 5: the 20 oldest are past it; of those, the ones first seen before day 25 go.
        let report = try await store.applyRetention(keep: ["s": 5], margin: { $0 }, before: day(25))
        #expect(report.bodiesDropped == 20)
        #expect(report.pagesFreed > 0)
        let pagesAfter = try await store.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
        #expect(pagesAfter < pagesBefore, "incremental vacuum gave the pages back (\(pagesBefore) → \(pagesAfter))")
        #expect(try await store.entries(sourceID: "s", limit: 100).count == 10)
        #expect(try await store.entryCount(sourceID: "s") == 30, "the entries themselves stay")
        #expect(try await store.knowsArticle(url: "https://news.example.com/p0?from=rss", sourceID: "s"),
                "an article whose body went is still known: it is never fetched again as new")
        let again = try await store.save(article("/p0", published: "2024-01-01T00:00:00Z", text: long + "0"),
                                         sourceID: "s", seenAt: day(40), alsoKnownAs: [])
        #expect(again.id == "tag:news.example.com,\(day(0).rfc3339.prefix(10)):/p0", "and keeps its id if it comes back")
        #expect(try await store.applyRetention(keep: ["s": 5], margin: { $0 }, before: day(25)).bodiesDropped == 1,
                "the article seen again is as old and as far down as before")
    }

    @Test("deleting the state folder under an open store is noticed; nothing is written into the deleted file")
    func stateFolderDeleted() async throws {
        let store = try SQLiteStore(directory: directory)
        try await store.save(article("/a"), sourceID: "s", seenAt: day(0), alsoKnownAs: [])
        try store.verifyIntact()
        try FileManager.default.removeItem(at: directory)
        #expect(throws: StorageError.self) { try store.verifyIntact() }
        do {
            try await store.save(article("/b"), sourceID: "s", seenAt: day(1), alsoKnownAs: [])
            Issue.record("a save after the folder was deleted must fail")
        } catch {
            #expect(error.kind == .stateLost)
            #expect(error.issueKind.name == "store.stateLost")
            #expect(error.message.contains("deleted"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path), "no new database was made behind the user's back")
    }

    @Test("a database another process keeps locked fails as busy with SQLite's code 5")
    func busy() async throws {
        let store = try SQLiteStore(directory: directory, busyTimeout: 0.2)
        let other = try DatabaseQueue(path: directory.appendingPathComponent(SQLiteStore.fileName).path)
        let holding = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            // Another process in the middle of a long write transaction.
            try? other.write { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS other_process (x)")
                holding.signal()
                Thread.sleep(forTimeInterval: 1.5)
            }
            done.signal()
        }
        holding.wait()
        do {
            try await store.save(article("/a"), sourceID: "s", seenAt: day(0), alsoKnownAs: [])
            Issue.record("the write must not succeed while another connection holds the lock")
        } catch {
            #expect(error.kind == .busy)
            #expect(error.resultCode == 5)
        }
        done.wait()
    }

    @Test("a state file that is not a database fails as corrupt, naming the folder")
    func corrupt() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8192).write(to: directory.appendingPathComponent(SQLiteStore.fileName))
        do {
            _ = try SQLiteStore(directory: directory)
            Issue.record("a garbage file must not open as a database")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.resultCode == 26)
            #expect(error.description.contains(directory.path))
        }
    }

    @Test("SQLite's result codes map to kinds a user can act on", arguments: [
        (5, StorageError.Kind.busy), (6, .busy), (13, .full), (11, .corrupt), (26, .corrupt),
        (8, .readOnly), (3, .readOnly), (10, .io), (14, .cannotOpen), (19, .other), (1, .other),
    ])
    func resultCodes(code: Int, kind: StorageError.Kind) {
        #expect(StorageError.kind(ofSQLiteCode: Int32(code)) == kind)
    }

    @Test("robots.txt answers survive reopening the database")
    func robots() async throws {
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        do {
            let store = try SQLiteStore(directory: directory)
            try await store.saveRobotsRecord(StoredRobotsAnswer(origin: "https://news.example.com", status: 200,
                                                          body: "User-agent: *\nDisallow: /private/\n", fetchedAt: at))
        }
        let store = try SQLiteStore(directory: directory)
        let record = try #require(try await store.robotsRecord(origin: "https://news.example.com"))
        #expect(record.status == 200 && record.body.contains("Disallow: /private/") && record.fetchedAt == at)
        #expect(try await store.robotsRecord(origin: "https://other.example.com") == nil)
    }
}

@Suite("SQLite store: group commit")
struct GroupCommitTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-group-\(UUID().uuidString)")

    @Test("writes arriving while a transaction commits share the next one; a failing write undoes only itself")
    func writesShareTransactions() async throws {
        let store = try SQLiteStore(directory: directory)
        let before = store.commits.transactions
        // A slow transaction (a disk that takes its time to sync) while the others arrive: it
        // ends once all 21 wait (or after 10 s), however loaded the machine is.
        async let slow: Void = store.commits.write { _ in
            let deadline = Date().addingTimeInterval(10)
            while store.commits.waitingCount < 21 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        }
        try await Task.sleep(for: .milliseconds(50))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<20 {
                group.addTask {
                    (try? await store.saveHealth(SourceHealth(consecutiveFailures: n), sourceID: "s\(n)")) != nil
                }
            }
            group.addTask {
                (try? await store.commits.write { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") }) != nil
            }
            var results: [Bool] = []
            for await result in group { results.append(result) }
            return results
        }
        try await slow
        #expect(outcomes.filter { $0 }.count == 20 && outcomes.filter { !$0 }.count == 1)
        #expect(store.commits.transactions - before <= 3, "\(store.commits.transactions - before) transactions for 22 writes")
        let health = try await store.allHealth()
        let stored = (0..<20).map { health["s\($0)"]?.consecutiveFailures }
        #expect(stored == (0..<20).map { $0 })
    }
}
