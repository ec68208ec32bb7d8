import Foundation
import Storage
import Testing
import TidingsCore

@Suite("SQLite store")
struct SQLiteStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-store-\(UUID().uuidString)")

    func article(_ path: String, text: String = "正文", published: String? = "2023-06-17T02:27:18+08:00") -> Article {
        let url = URL(string: "https://news.example.com\(path)")!
        return Article(url: url, title: "标题 \(path)", published: published.flatMap(Timestamp.init(rfc3339:)),
                       html: "<p>\(text)</p>", text: text)
    }

    @Test("a stored article survives reopening the database, with its id")
    func survivesReopen() async throws {
        let seen = try #require(Timestamp(rfc3339: "2025-01-02T03:04:05Z"))
        let id: String
        do {
            let store = try SQLiteStore(directory: directory)
            id = try await store.save(article("/a.html"), sourceID: "s", seenAt: seen, alsoKnownAs: []).id
        }
        let reopened = try SQLiteStore(directory: directory)
        let entries = try await reopened.entries(sourceID: "s", limit: 10)
        #expect(entries.map(\.id) == [id])
        #expect(id == "tag:news.example.com,2025-01-02:/a.html")
        #expect(entries.first?.article.published?.rfc3339 == "2023-06-17T02:27:18+08:00")
        #expect(try await reopened.knowsArticle(url: "https://news.example.com/a.html", sourceID: "s"))
        #expect(try await reopened.knowsArticle(url: "https://news.example.com/a.html", sourceID: "other") == false)
    }

    @Test("saving a known article again keeps its id; updated moves only when the text changes")
    func identityAndUpdated() async throws {
        let store = try SQLiteStore(directory: directory)
        let first = try #require(Timestamp(rfc3339: "2025-01-01T00:00:00Z"))
        let later = try #require(Timestamp(rfc3339: "2025-02-01T00:00:00Z"))
        let original = try await store.save(article("/a.html", text: "一二三"), sourceID: "s", seenAt: first, alsoKnownAs: [])
        let refetched = try await store.save(article("/a.html", text: "一 二 三"), sourceID: "s", seenAt: later, alsoKnownAs: [])
        #expect(refetched.id == original.id)
        #expect(refetched.updated == original.updated)
        let edited = try await store.save(article("/a.html", text: "一二三四五"), sourceID: "s", seenAt: later, alsoKnownAs: [])
        #expect(edited.id == original.id)
        #expect(edited.updated == later)
        #expect(try await store.entryCount(sourceID: "s") == 1)
    }

    @Test("a URL variant recorded as also-known-as maps to the same entry")
    func alsoKnownAs() async throws {
        let store = try SQLiteStore(directory: directory)
        let now = Timestamp.now()
        var a = article("/a.html")
        let entry = try await store.save(a, sourceID: "s", seenAt: now, alsoKnownAs: ["https://news.example.com/a.html?utm_source=x"])
        #expect(try await store.knowsArticle(url: "https://news.example.com/a.html?utm_source=x", sourceID: "s"))
        a.url = URL(string: "https://news.example.com/a.html?utm_source=x")!
        a.canonicalURL = URL(string: "https://news.example.com/a.html")!
        #expect(try await store.save(a, sourceID: "s", seenAt: now, alsoKnownAs: []).id == entry.id)
        #expect(try await store.entryCount(sourceID: "s") == 1)
    }

    @Test("two sources that carry the same article each keep it in their own feed")
    func sameArticleTwoSources() async throws {
        let store = try SQLiteStore(directory: directory)
        let now = Timestamp.now()
        let a = try await store.save(article("/shared.html"), sourceID: "science", seenAt: now, alsoKnownAs: [])
        let b = try await store.save(article("/shared.html"), sourceID: "tech", seenAt: now, alsoKnownAs: [])
        #expect(a.id == b.id)
        #expect(try await store.entries(sourceID: "science", limit: 10).count == 1)
        #expect(try await store.entries(sourceID: "tech", limit: 10).count == 1)
    }

    @Test("entries come newest first and respect the limit")
    func ordering() async throws {
        let store = try SQLiteStore(directory: directory)
        let now = Timestamp.now()
        try await store.save(article("/old.html", published: "2020-01-01T00:00:00Z"), sourceID: "s", seenAt: now, alsoKnownAs: [])
        try await store.save(article("/new.html", published: "2024-01-01T00:00:00Z"), sourceID: "s", seenAt: now, alsoKnownAs: [])
        try await store.save(article("/mid.html", published: "2022-01-01T00:00:00Z"), sourceID: "s", seenAt: now, alsoKnownAs: [])
        #expect(try await store.entries(sourceID: "s", limit: 2).map(\.article.url.path) == ["/new.html", "/mid.html"])
    }

    @Test("fetch state and health round-trip")
    func stateRoundTrip() async throws {
        let store = try SQLiteStore(directory: directory)
        let at = try #require(Timestamp(rfc3339: "2025-03-04T05:06:07+08:00"))
        try await store.saveFetchState(FetchState(sourceID: "s", url: "https://e.com/", etag: "\"abc\"", lastModified: "Tue, 04 Mar 2025 05:06:07 GMT", bodyHash: nil, fetchedAt: at))
        let state = try #require(try await store.fetchState(sourceID: "s", url: "https://e.com/"))
        #expect(state.etag == "\"abc\"")
        #expect(state.fetchedAt == at)
        #expect(try await store.fetchState(sourceID: "s", url: "https://e.com/other") == nil)
        #expect(try await store.fetchState(sourceID: "another source", url: "https://e.com/") == nil)
        try await store.saveHealth(SourceHealth(lastError: "boom", consecutiveFailures: 2), sourceID: "s")
        #expect(try await store.health(sourceID: "s").consecutiveFailures == 2)
        #expect(try await store.health(sourceID: "unknown") == SourceHealth())
    }

    @Test("a state folder that cannot be created gives a clear error")
    func unwritable() {
        #expect(throws: StorageError.self) { try SQLiteStore(directory: URL(fileURLWithPath: "/proc/tidings-cannot-exist")) }
    }
}
