import Foundation
import GRDB
import TidingsCore

extension SQLiteStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
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
        migrator.registerMigration("v2: bodies apart and compressed, feed versions, robots.txt") { db in
            try db.execute(sql: """
                -- One row per source and entry: two sources may carry the same article. Times are
                -- seconds since 1970 with the offset they were written in.
                CREATE TABLE article (
                    entry INTEGER PRIMARY KEY,
                    sourceID TEXT NOT NULL,
                    id TEXT NOT NULL,
                    canonicalURL TEXT NOT NULL,
                    firstSeen REAL NOT NULL,
                    firstSeenOffset INTEGER NOT NULL,
                    updated REAL NOT NULL,
                    updatedOffset INTEGER NOT NULL,
                    sortTime REAL NOT NULL,
                    textDigest TEXT NOT NULL,
                    fingerprint INTEGER,
                    revision INTEGER NOT NULL DEFAULT 0,
                    hasBody INTEGER NOT NULL DEFAULT 1,
                    UNIQUE (sourceID, id)
                );
                CREATE INDEX article_by_source_time ON article(sourceID, sortTime DESC, id);
                CREATE INDEX article_by_time ON article(sortTime DESC, id);
                -- The article itself (ArticleCodec), apart so that choosing feed windows reads
                -- small rows; retention deletes it and keeps the entry (its id and URLs).
                CREATE TABLE article_body (
                    entry INTEGER PRIMARY KEY REFERENCES article(entry),
                    body BLOB NOT NULL
                );
                CREATE TABLE article_url (
                    sourceID TEXT NOT NULL,
                    url TEXT NOT NULL,
                    entry INTEGER NOT NULL REFERENCES article(entry),
                    PRIMARY KEY (sourceID, url)
                ) WITHOUT ROWID;
                -- Per source: `version` moves with every stored change of its entries; the feeds
                -- were last written at `publishedVersion` with `signature`.
                CREATE TABLE feed_state (
                    sourceID TEXT PRIMARY KEY,
                    version INTEGER NOT NULL DEFAULT 0,
                    publishedVersion INTEGER,
                    signature TEXT,
                    entryCount INTEGER NOT NULL DEFAULT 0,
                    newestTitle TEXT,
                    newestLink TEXT
                ) WITHOUT ROWID;
                CREATE TABLE robots (
                    origin TEXT PRIMARY KEY,
                    status INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    fetchedAt REAL NOT NULL
                ) WITHOUT ROWID;
                """)
            try copyVersionOneEntries(db)
            try db.execute(sql: "DROP TABLE entry_url; DROP TABLE entry")
            // Times as numbers: reading a listing's validators must not parse text.
            try db.execute(sql: """
                CREATE TABLE fetch_state_v2 (
                    sourceID TEXT NOT NULL,
                    url TEXT NOT NULL,
                    etag TEXT,
                    lastModified TEXT,
                    bodyHash TEXT,
                    fetchedAt REAL NOT NULL,
                    fetchedAtOffset INTEGER NOT NULL,
                    PRIMARY KEY (sourceID, url)
                ) WITHOUT ROWID
                """)
            let states = try Row.fetchCursor(db, sql: "SELECT * FROM fetch_state")
            while let row = try states.next() {
                let at = Timestamp(rfc3339: row["fetchedAt"]) ?? Timestamp(date: Date(timeIntervalSince1970: 0), offsetSeconds: 0)
                try db.execute(sql: "INSERT INTO fetch_state_v2 VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [row["sourceID"] as String, row["url"] as String, row["etag"] as String?,
                                           row["lastModified"] as String?, row["bodyHash"] as String?,
                                           at.date.timeIntervalSince1970, at.offsetSeconds])
            }
            try db.execute(sql: "DROP TABLE fetch_state; ALTER TABLE fetch_state_v2 RENAME TO fetch_state")
        }
        return migrator
    }

    /// Moves every entry of a version-1 database (JSON articles, RFC 3339 times) to the
    /// version-2 tables, ids and URL variants unchanged.
    private static func copyVersionOneEntries(_ db: Database) throws {
        let decoder = JSONDecoder()
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM entry")
        while let row = try rows.next() {
            let sourceID: String = row["sourceID"], id: String = row["id"]
            let data: Data = row["article"]
            let article = try decoder.decode(Article.self, from: data)
            let epoch = Timestamp(date: Date(timeIntervalSince1970: 0), offsetSeconds: 0)
            let firstSeen = Timestamp(rfc3339: row["firstSeen"]) ?? epoch
            let updated = Timestamp(rfc3339: row["updated"]) ?? epoch
            guard let body = ArticleCodec.encode(article) else { throw UndecodableBody(key: EntryKey(sourceID: sourceID, id: id)) }
            try db.execute(sql: """
                INSERT INTO article (sourceID, id, canonicalURL, firstSeen, firstSeenOffset, updated, updatedOffset,
                                     sortTime, textDigest, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [sourceID, id, row["canonicalURL"] as String, firstSeen.date.timeIntervalSince1970,
                                 firstSeen.offsetSeconds, updated.date.timeIntervalSince1970, updated.offsetSeconds,
                                 row["sortTime"] as Double, row["textDigest"] as String,
                                 article.fingerprint.map { Int64(bitPattern: $0) }])
            try db.execute(sql: "INSERT INTO article_body (entry, body) VALUES (?, ?)",
                           arguments: [db.lastInsertedRowID, Data(body)])
        }
        try db.execute(sql: """
            INSERT OR IGNORE INTO article_url (sourceID, url, entry)
            SELECT u.sourceID, u.url, a.entry FROM entry_url u JOIN article a ON a.sourceID = u.sourceID AND a.id = u.entryID
            """)
        try db.execute(sql: "INSERT INTO feed_state (sourceID, version) SELECT DISTINCT sourceID, 1 FROM article")
    }
}
