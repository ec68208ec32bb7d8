import Foundation
import GRDB
import TidingsCore

/// The SQLite store (GRDB): WAL, synchronous=FULL, a busy timeout, versioned migrations.
public final class SQLiteStore: ArticleStore {
    let pool: DatabasePool
    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// Opens (or creates) `tidings.sqlite` in `directory`.
    public init(directory: URL) throws(StorageError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            pool = try DatabasePool(path: directory.appendingPathComponent("tidings.sqlite").path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw StorageError(operation: "open \(directory.path)", message: "\(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                -- One row per source and entry: two sources may carry the same article.
                CREATE TABLE entry (
                    id TEXT NOT NULL,
                    sourceID TEXT NOT NULL,
                    canonicalURL TEXT NOT NULL,
                    firstSeen TEXT NOT NULL,
                    updated TEXT NOT NULL,
                    sortTime REAL NOT NULL,
                    textDigest TEXT NOT NULL,
                    article BLOB NOT NULL,
                    PRIMARY KEY (sourceID, id)
                );
                CREATE INDEX entry_by_source_time ON entry(sourceID, sortTime DESC);
                CREATE TABLE entry_url (
                    sourceID TEXT NOT NULL,
                    url TEXT NOT NULL,
                    entryID TEXT NOT NULL,
                    PRIMARY KEY (sourceID, url),
                    FOREIGN KEY (sourceID, entryID) REFERENCES entry(sourceID, id)
                );
                CREATE TABLE fetch_state (
                    sourceID TEXT NOT NULL,
                    url TEXT NOT NULL,
                    etag TEXT,
                    lastModified TEXT,
                    bodyHash TEXT,
                    fetchedAt TEXT NOT NULL,
                    PRIMARY KEY (sourceID, url)
                );
                CREATE TABLE source_health (
                    sourceID TEXT PRIMARY KEY,
                    health BLOB NOT NULL
                );
                """)
        }
        return migrator
    }

    public func knowsArticle(url: String, sourceID: String) throws(StorageError) -> Bool {
        try read("look up \(url)") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM entry_url WHERE sourceID = ? AND url = ?)", arguments: [sourceID, url]) ?? false
        }
    }

    @discardableResult
    public func save(_ article: Article, sourceID: String, seenAt: Timestamp, identity: String,
                     alsoKnownAs: [String]) throws(StorageError) -> FeedEntry {
        let digest = TextDigest.of(article.text)
        return try write("save \(article.url.absoluteString)") { db in
            let canonical = article.canonicalURL.absoluteString
            let urls = Set([identity, canonical, article.url.absoluteString] + alsoKnownAs)
            // Only the identity picks the entry: an alias another article also has must not merge them.
            let existingID = try String.fetchOne(db, sql: "SELECT entryID FROM entry_url WHERE sourceID = ? AND url = ?",
                                                 arguments: [sourceID, identity])
            var entry: FeedEntry
            if let existingID, let row = try Row.fetchOne(db, sql: "SELECT * FROM entry WHERE sourceID = ? AND id = ?",
                                                          arguments: [sourceID, existingID]) {
                entry = try Self.entry(from: row)
                let oldDigest: String = row["textDigest"]
                if oldDigest != digest { entry.updated = seenAt }
                entry.article = article
            } else {
                let id = EntryIdentity.tagURI(canonicalURL: article.canonicalURL, firstSeen: seenAt.date)
                entry = FeedEntry(id: id, sourceID: sourceID, article: article, firstSeen: seenAt, updated: article.published ?? seenAt)
            }
            try db.execute(sql: """
                INSERT INTO entry (id, sourceID, canonicalURL, firstSeen, updated, sortTime, textDigest, article)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(sourceID, id) DO UPDATE SET updated = excluded.updated, sortTime = excluded.sortTime,
                    textDigest = excluded.textDigest, article = excluded.article
                """, arguments: [entry.id, sourceID, canonical, entry.firstSeen.rfc3339, entry.updated.rfc3339,
                                 entry.sortTime.date.timeIntervalSince1970, digest, try Self.encoder.encode(article)])
            for url in urls {
                try db.execute(sql: "INSERT OR IGNORE INTO entry_url (sourceID, url, entryID) VALUES (?, ?, ?)",
                               arguments: [sourceID, url, entry.id])
            }
            return entry
        }
    }

    public func entries(sourceID: String, limit: Int) throws(StorageError) -> [FeedEntry] {
        try read("read entries of \(sourceID)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM entry WHERE sourceID = ? ORDER BY sortTime DESC, id LIMIT ?",
                             arguments: [sourceID, limit]).map(Self.entry(from:))
        }
    }

    public func entryCount(sourceID: String) throws(StorageError) -> Int {
        try read("count entries of \(sourceID)") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry WHERE sourceID = ?", arguments: [sourceID]) ?? 0
        }
    }

    public func fetchState(sourceID: String, url: String) throws(StorageError) -> FetchState? {
        try read("read fetch state of \(url)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM fetch_state WHERE sourceID = ? AND url = ?",
                                             arguments: [sourceID, url]) else { return nil }
            let fetchedAt: String = row["fetchedAt"]
            return FetchState(sourceID: sourceID, url: url, etag: row["etag"], lastModified: row["lastModified"], bodyHash: row["bodyHash"],
                              fetchedAt: Timestamp(rfc3339: fetchedAt) ?? Timestamp(date: Date(timeIntervalSince1970: 0), offsetSeconds: 0))
        }
    }

    public func saveFetchState(_ state: FetchState) throws(StorageError) {
        try write("save fetch state of \(state.url)") { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO fetch_state (sourceID, url, etag, lastModified, bodyHash, fetchedAt) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [state.sourceID, state.url, state.etag, state.lastModified, state.bodyHash, state.fetchedAt.rfc3339])
        }
    }

    public func health(sourceID: String) throws(StorageError) -> SourceHealth {
        try read("read health of \(sourceID)") { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT health FROM source_health WHERE sourceID = ?", arguments: [sourceID]) else {
                return SourceHealth()
            }
            return try JSONDecoder().decode(SourceHealth.self, from: data)
        }
    }

    public func saveHealth(_ health: SourceHealth, sourceID: String) throws(StorageError) {
        try write("save health of \(sourceID)") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO source_health (sourceID, health) VALUES (?, ?)",
                           arguments: [sourceID, try Self.encoder.encode(health)])
        }
    }

    static func entry(from row: Row) throws -> FeedEntry {
        let data: Data = row["article"]
        let article = try JSONDecoder().decode(Article.self, from: data)
        let firstSeen: String = row["firstSeen"]
        let updated: String = row["updated"]
        let epoch = Timestamp(date: Date(timeIntervalSince1970: 0), offsetSeconds: 0)
        return FeedEntry(id: row["id"], sourceID: row["sourceID"], article: article,
                         firstSeen: Timestamp(rfc3339: firstSeen) ?? epoch, updated: Timestamp(rfc3339: updated) ?? epoch)
    }

    private func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StorageError) -> T {
        do { return try pool.read(body) } catch { throw StorageError(operation: operation, message: "\(error)") }
    }

    private func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StorageError) -> T {
        do { return try pool.write(body) } catch { throw StorageError(operation: operation, message: "\(error)") }
    }
}
