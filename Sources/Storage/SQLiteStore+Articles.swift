import Foundation
import GRDB
import TidingsCore

extension SQLiteStore {
    /// URLs looked up per statement (SQLite allows 32,766 parameters; small batches keep
    /// statements cacheable).
    static let lookupBatch = 100

    public func knownURLs(_ urls: [String], sourceID: String) async throws(StorageError) -> Set<String> {
        guard !urls.isEmpty else { return [] }
        return try await read("look up \(urls.count) URLs of \(sourceID)") { db in
            var known = Set<String>()
            for start in stride(from: 0, to: urls.count, by: Self.lookupBatch) {
                let batch = Array(urls[start..<min(start + Self.lookupBatch, urls.count)])
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ",")
                let found = try String.fetchAll(db, sql: "SELECT url FROM article_url WHERE sourceID = ? AND url IN (\(marks))",
                                                arguments: StatementArguments([sourceID] + batch))
                known.formUnion(found)
            }
            return known
        }
    }

    @discardableResult
    public func save(_ articles: [ArticleToSave], sourceID: String, fence: WriteFence?) async throws(StorageError) -> [FeedEntry] {
        guard !articles.isEmpty else { return [] }
        var prepared: [(ArticleToSave, body: [UInt8], digest: String)] = []
        for item in articles {
            guard let body = ArticleCodec.encode(item.article) else {
                throw StorageError(kind: .other, operation: "save \(item.article.url.absoluteString)", message: "zlib could not compress the article")
            }
            prepared.append((item, body, TextDigest.of(item.article.text)))
        }
        let items = prepared
        return try await write("save \(articles.count) articles of \(sourceID)") { db in
            let entries = try items.map { item, body, digest in
                try Self.save(item.article, body: body, digest: digest, sourceID: sourceID, seenAt: item.seenAt,
                              identity: item.identity, alsoKnownAs: item.alsoKnownAs, in: db)
            }
            try Self.bumpFeedVersion(of: sourceID, in: db)
            return entries
        }
    }

    /// Statements run for every article saved are taken from the connection's cache: compiling
    /// (and authorizing) each anew cost more than running it.
    private static func save(_ article: Article, body: [UInt8], digest: String, sourceID: String, seenAt: Timestamp,
                             identity: String, alsoKnownAs: [String], in db: Database) throws -> FeedEntry {
        let canonical = article.canonicalURL.absoluteString
        var urls: [String] = []
        for url in [identity, canonical, article.url.absoluteString] + alsoKnownAs where !urls.contains(url) { urls.append(url) }
        // Only the identity picks the entry: an alias another article also has must not merge them.
        var existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT entry FROM article_url WHERE sourceID = ? AND url = ?"),
                                          arguments: [sourceID, identity])
        let mintedID = EntryIdentity.tagURI(canonicalURL: article.canonicalURL, firstSeen: seenAt.date)
        if existing == nil {
            existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT entry FROM article WHERE sourceID = ? AND id = ?"),
                                          arguments: [sourceID, mintedID])
        }
        var entry: FeedEntry
        let rowID: Int64
        if let existing, let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM article WHERE entry = ?"), arguments: [existing]) {
            rowID = existing
            let firstSeen = Timestamp(date: Date(timeIntervalSince1970: row["firstSeen"]), offsetSeconds: row["firstSeenOffset"])
            var updated = Timestamp(date: Date(timeIntervalSince1970: row["updated"]), offsetSeconds: row["updatedOffset"])
            let oldDigest: String = row["textDigest"]
            if oldDigest != digest { updated = seenAt }
            entry = FeedEntry(id: row["id"], sourceID: sourceID, article: article, firstSeen: firstSeen, updated: updated)
            try db.cachedStatement(sql: """
                UPDATE article SET updated = ?, updatedOffset = ?, sortTime = ?, textDigest = ?, fingerprint = ?,
                    revision = revision + 1, hasBody = 1 WHERE entry = ?
                """).execute(arguments: [updated.date.timeIntervalSince1970, updated.offsetSeconds,
                                 entry.sortTime.date.timeIntervalSince1970, digest,
                                 article.fingerprint.map { Int64(bitPattern: $0) }, rowID])
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO article_body (entry, body) VALUES (?, ?)").execute(arguments: [rowID, Data(body)])
        } else {
            entry = FeedEntry(id: mintedID, sourceID: sourceID, article: article, firstSeen: seenAt, updated: article.published ?? seenAt)
            try db.cachedStatement(sql: """
                INSERT INTO article (sourceID, id, canonicalURL, firstSeen, firstSeenOffset, updated, updatedOffset,
                                     sortTime, textDigest, fingerprint)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [sourceID, entry.id, canonical, seenAt.date.timeIntervalSince1970, seenAt.offsetSeconds,
                                 entry.updated.date.timeIntervalSince1970, entry.updated.offsetSeconds,
                                 entry.sortTime.date.timeIntervalSince1970, digest,
                                 article.fingerprint.map { Int64(bitPattern: $0) }])
            rowID = db.lastInsertedRowID
            try db.cachedStatement(sql: "INSERT INTO article_body (entry, body) VALUES (?, ?)").execute(arguments: [rowID, Data(body)])
        }
        let alias = try db.cachedStatement(sql: "INSERT OR IGNORE INTO article_url (sourceID, url, entry) VALUES (?, ?, ?)")
        for url in urls {
            try alias.execute(arguments: [sourceID, url, rowID])
        }
        return entry
    }

    static func bumpFeedVersion(of sourceID: String, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO feed_state (sourceID, version) VALUES (?, 1)
            ON CONFLICT(sourceID) DO UPDATE SET version = version + 1
            """).execute(arguments: [sourceID])
    }

    public func entries(sourceID: String, limit: Int) async throws(StorageError) -> [FeedEntry] {
        try await read("read entries of \(sourceID)") { db in try Self.entries(sourceID: sourceID, limit: limit, in: db) }
    }

    static func entries(sourceID: String, limit: Int, in db: Database) throws -> [FeedEntry] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.*, b.body FROM article a JOIN article_body b ON b.entry = a.entry
            WHERE a.sourceID = ? ORDER BY a.sortTime DESC, a.id LIMIT ?
            """), arguments: [sourceID, max(0, limit)])
        return try rows.map(entry(from:))
    }

    public func entries(keys: [EntryKey]) async throws(StorageError) -> [FeedEntry] {
        guard !keys.isEmpty else { return [] }
        return try await read("read \(keys.count) entries") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT a.*, b.body FROM article a JOIN article_body b ON b.entry = a.entry WHERE a.sourceID = ? AND a.id = ?
                """)
            var found: [FeedEntry] = []
            for key in keys {
                if let row = try Row.fetchOne(statement, arguments: [key.sourceID, key.id]) { found.append(try Self.entry(from: row)) }
            }
            return found
        }
    }

    public func entryCount(sourceID: String) async throws(StorageError) -> Int {
        try await read("count entries of \(sourceID)") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article WHERE sourceID = ?", arguments: [sourceID]) ?? 0
        }
    }

    public func combinedCandidates(keep: [String: Int], limit: Int) async throws(StorageError) -> [EntryHead] {
        guard limit > 0, !keep.isEmpty else { return [] }
        return try await read("choose the combined feed's entries") { db in
            // Newest first over every source, as the per-source feeds order their own entries,
            // so counting per source on the way gives each entry's rank in its own feed.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT sourceID, id, sortTime, firstSeen, updated, fingerprint, canonicalURL, revision
                FROM article INDEXED BY article_by_time WHERE hasBody = 1 ORDER BY sortTime DESC, id
                """)
            var taken: [String: Int] = [:]
            var heads: [EntryHead] = []
            while heads.count < limit, let row = try rows.next() {
                let sourceID: String = row["sourceID"]
                guard let cap = keep[sourceID], taken[sourceID, default: 0] < cap else { continue }
                taken[sourceID, default: 0] += 1
                let fingerprint: Int64? = row["fingerprint"]
                heads.append(EntryHead(key: EntryKey(sourceID: sourceID, id: row["id"]), sortTime: row["sortTime"],
                                       firstSeen: row["firstSeen"], updated: row["updated"],
                                       fingerprint: fingerprint.map { UInt64(bitPattern: $0) },
                                       canonicalURL: row["canonicalURL"], revision: row["revision"]))
            }
            return heads
        }
    }

    static func entry(from row: Row) throws -> FeedEntry {
        let key = EntryKey(sourceID: row["sourceID"], id: row["id"])
        let data: Data = row["body"]
        guard let article = ArticleCodec.decode(data) else { throw UndecodableBody(key: key) }
        return FeedEntry(id: key.id, sourceID: key.sourceID, article: article,
                         firstSeen: Timestamp(date: Date(timeIntervalSince1970: row["firstSeen"]), offsetSeconds: row["firstSeenOffset"]),
                         updated: Timestamp(date: Date(timeIntervalSince1970: row["updated"]), offsetSeconds: row["updatedOffset"]))
    }
}
