import Foundation
import GRDB
import Testing
import TidingsCore
@testable import Storage

@Suite("SQLite store: what is on disk")
struct StoreFormatTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-format-\(UUID().uuidString)")

    static func sample() -> Article {
        var article = Article(url: URL(string: "https://news.example.com/2024/a.html?id=7")!,
                              canonicalURL: URL(string: "https://news.example.com/2024/a.html")!,
                              title: "青溪 \"quoted\" & <tagged>", author: "张三、李四",
                              published: Timestamp(rfc3339: "2023-06-17T02:27:18+08:00"), outlet: "新华社", language: "zh-CN",
                              leadImage: URL(string: "https://img.example.com/a.jpg"), html: "<p>正文\u{0}第一段</p><p>二</p>",
                              text: "正文第一段\n\n二", summary: "摘要")
        article.keywords = ["青溪", "城建"]
        article.fingerprint = 0xDEAD_BEEF_0123_4567
        return article
    }

    @Test("an article round-trips through the stored form exactly, and an empty one too")
    func codecRoundTrip() throws {
        let article = Self.sample()
        let blob = try #require(ArticleCodec.encode(article))
        #expect(ArticleCodec.decode(Data(blob)) == article)
        let bare = Article(url: URL(string: "https://e.com/")!, title: "", html: "", text: "")
        #expect(ArticleCodec.decode(Data(try #require(ArticleCodec.encode(bare)))) == bare)
        #expect(blob.count < article.html.utf8.count + article.text.utf8.count + 200)
    }

    @Test("a damaged stored article fails to decode instead of trapping or guessing")
    func damagedBlobs() throws {
        let blob = try #require(ArticleCodec.encode(Self.sample()))
        #expect(ArticleCodec.decode(Data()) == nil)
        #expect(ArticleCodec.decode(Data(blob.prefix(blob.count / 2))) == nil)
        var flipped = blob
        flipped[flipped.count - 3] ^= 0xFF
        #expect(ArticleCodec.decode(Data(flipped)) == nil)
        // A length field claiming more than any page may hold.
        #expect(ArticleCodec.decode(Data([0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x78, 0x9C])) == nil)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let count = Int.random(in: 0..<64, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = ArticleCodec.decode(Data(bytes))
        }
        // Well-formed zlib around a record that lies about its fields.
        let lying = try #require(BlobCompression.compress([ArticleCodec.format, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x41]))
        #expect(ArticleCodec.decode(Data(lying)) == nil)
    }

    @Test("whitespace-insensitive text digests are the ones Foundation's whitespace set gave")
    func textDigestUnchanged() {
        let differing = (0..<0x11_0000).compactMap(Unicode.Scalar.init).filter {
            CharacterSet.whitespacesAndNewlines.contains($0) != TextDigest.isWhitespace($0.value)
        }
        #expect(differing.isEmpty, "\(differing.map { String($0.value, radix: 16) })")
        let text = "青溪 新闻\t网\n\n\u{3000}Riverside\u{200B} Library\u{2028}reopens\u{A0}"
        var expected: UInt64 = 0xcbf29ce484222325
        for scalar in text.unicodeScalars where !CharacterSet.whitespacesAndNewlines.contains(scalar) {
            expected ^= UInt64(scalar.value)
            expected = expected &* 0x100000001b3
        }
        #expect(TextDigest.of(text) == String(expected, radix: 16))
    }

    @Test("a version-1 database moves to the new tables with its ids, URL variants, fetch state and health")
    func migratesVersionOne() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let article = Self.sample()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let id = "tag:news.example.com,2024-05-06:/2024/a.html"
        do {
            let queue = try DatabaseQueue(path: directory.appendingPathComponent(SQLiteStore.fileName).path)
            try await queue.write { db in
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1')")
                try db.execute(sql: """
                    CREATE TABLE entry (id TEXT NOT NULL, sourceID TEXT NOT NULL, canonicalURL TEXT NOT NULL, firstSeen TEXT NOT NULL,
                        updated TEXT NOT NULL, sortTime REAL NOT NULL, textDigest TEXT NOT NULL, article BLOB NOT NULL,
                        PRIMARY KEY (sourceID, id));
                    CREATE INDEX entry_by_source_time ON entry(sourceID, sortTime DESC);
                    CREATE TABLE entry_url (sourceID TEXT NOT NULL, url TEXT NOT NULL, entryID TEXT NOT NULL, PRIMARY KEY (sourceID, url),
                        FOREIGN KEY (sourceID, entryID) REFERENCES entry(sourceID, id));
                    CREATE TABLE fetch_state (sourceID TEXT NOT NULL, url TEXT NOT NULL, etag TEXT, lastModified TEXT, bodyHash TEXT,
                        fetchedAt TEXT NOT NULL, PRIMARY KEY (sourceID, url));
                    CREATE TABLE source_health (sourceID TEXT PRIMARY KEY, health BLOB NOT NULL);
                    """)
                try db.execute(sql: "INSERT INTO entry VALUES (?, 'harbour', ?, '2024-05-06T07:08:09Z', '2024-05-07T00:00:00+08:00', ?, ?, ?)",
                               arguments: [id, article.canonicalURL.absoluteString, article.published!.date.timeIntervalSince1970,
                                           TextDigest.of(article.text), try encoder.encode(article)])
                for url in [article.url.absoluteString, article.canonicalURL.absoluteString, "https://news.example.com/2024/a.html?utm_source=x"] {
                    try db.execute(sql: "INSERT INTO entry_url VALUES ('harbour', ?, ?)", arguments: [url, id])
                }
                try db.execute(sql: "INSERT INTO fetch_state VALUES ('harbour', 'https://news.example.com/', '\"e1\"', NULL, NULL, '2024-05-06T07:08:09Z')")
                try db.execute(sql: "INSERT INTO source_health VALUES ('harbour', ?)",
                               arguments: [try encoder.encode(SourceHealth(lastError: "boom", consecutiveFailures: 2))])
            }
        }
        let store = try SQLiteStore(directory: directory)
        let entries = try await store.entries(sourceID: "harbour", limit: 10)
        #expect(entries.count == 1)
        #expect(entries.first?.id == id)
        #expect(entries.first?.article == article)
        #expect(entries.first?.firstSeen.rfc3339 == "2024-05-06T07:08:09Z")
        #expect(entries.first?.updated.rfc3339 == "2024-05-07T00:00:00+08:00")
        #expect(try await store.knowsArticle(url: "https://news.example.com/2024/a.html?utm_source=x", sourceID: "harbour"))
        #expect(try await store.fetchState(sourceID: "harbour", url: "https://news.example.com/")?.etag == "\"e1\"")
        #expect(try await store.health(sourceID: "harbour").consecutiveFailures == 2)
        #expect(try await store.feedRecords()["harbour"]?.publishedVersion == nil, "feeds are written again once after the move")
        let again = try await store.save(article, sourceID: "harbour", seenAt: .now(), alsoKnownAs: [])
        #expect(again.id == id, "the moved entry keeps its id when seen again")
        let mode = try await store.pool.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") }
        #expect(mode == 2, "the moved database vacuums incrementally")
    }
}
