import Foundation
import GRDB
import TidingsCore

extension SQLiteStore {
    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    // MARK: Fetch state

    public func fetchState(sourceID: String, url: String) async throws(StorageError) -> FetchState? {
        try await read("read fetch state of \(url)") { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM fetch_state WHERE sourceID = ? AND url = ?"),
                                             arguments: [sourceID, url]) else { return nil }
            return FetchState(sourceID: sourceID, url: url, etag: row["etag"], lastModified: row["lastModified"], bodyHash: row["bodyHash"],
                              fetchedAt: Timestamp(date: Date(timeIntervalSince1970: row["fetchedAt"]), offsetSeconds: row["fetchedAtOffset"]))
        }
    }

    public func saveFetchState(_ state: FetchState, fence: WriteFence?) async throws(StorageError) {
        try await write("save fetch state of \(state.url)") { db in
            try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO fetch_state (sourceID, url, etag, lastModified, bodyHash, fetchedAt, fetchedAtOffset)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [state.sourceID, state.url, state.etag, state.lastModified, state.bodyHash,
                                 state.fetchedAt.date.timeIntervalSince1970, state.fetchedAt.offsetSeconds])
        }
    }

    // MARK: Health

    public func health(sourceID: String) async throws(StorageError) -> SourceHealth {
        try await read("read health of \(sourceID)") { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT health FROM source_health WHERE sourceID = ?", arguments: [sourceID]) else {
                return SourceHealth()
            }
            return try JSONDecoder().decode(SourceHealth.self, from: data)
        }
    }

    public func allHealth() async throws(StorageError) -> [String: SourceHealth] {
        try await read("read the health of every source") { db in
            let decoder = JSONDecoder()
            var result: [String: SourceHealth] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT sourceID, health FROM source_health")
            while let row = try rows.next() {
                let data: Data = row["health"]
                result[row["sourceID"]] = try decoder.decode(SourceHealth.self, from: data)
            }
            return result
        }
    }

    public func saveHealth(_ health: SourceHealth, sourceID: String, fence: WriteFence?) async throws(StorageError) {
        let data: Data
        do { data = try Self.encoder.encode(health) } catch {
            throw StorageError(operation: "save health of \(sourceID)", message: "\(error)")
        }
        try await write("save health of \(sourceID)") { db in
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO source_health (sourceID, health) VALUES (?, ?)")
                .execute(arguments: [sourceID, data])
        }
    }

    // MARK: robots.txt

    public func robotsRecord(origin: String) async throws(StorageError) -> StoredRobotsAnswer? {
        try await read("read robots.txt of \(origin)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM robots WHERE origin = ?", arguments: [origin]) else { return nil }
            return StoredRobotsAnswer(origin: origin, status: row["status"], body: row["body"],
                                fetchedAt: Date(timeIntervalSince1970: row["fetchedAt"]))
        }
    }

    public func saveRobotsRecord(_ record: StoredRobotsAnswer) async throws(StorageError) {
        try await write("save robots.txt of \(record.origin)") { db in
            try db.execute(sql: "INSERT OR REPLACE INTO robots (origin, status, body, fetchedAt) VALUES (?, ?, ?, ?)",
                           arguments: [record.origin, record.status, record.body, record.fetchedAt.timeIntervalSince1970])
        }
    }

    // MARK: Publishing records

    public func feedRecords() async throws(StorageError) -> [String: FeedRecord] {
        try await read("read the feeds' records") { db in
            var result: [String: FeedRecord] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM feed_state")
            while let row = try rows.next() {
                let record = Self.feedRecord(from: row)
                result[record.sourceID] = record
            }
            return result
        }
    }

    public func feedSnapshot(sourceID: String, limit: Int) async throws(StorageError) -> FeedSnapshot {
        try await read("read the feed of \(sourceID)") { db in
            let version = try Int64.fetchOne(db.cachedStatement(sql: "SELECT version FROM feed_state WHERE sourceID = ?"),
                                             arguments: [sourceID]) ?? 0
            return FeedSnapshot(entries: try Self.entries(sourceID: sourceID, limit: limit, in: db), version: version)
        }
    }

    public func markPublished(_ records: [FeedRecord], fence: WriteFence?) async throws(StorageError) {
        guard !records.isEmpty else { return }
        try await write("record the feeds of \(records.count) sources") { db in
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO feed_state (sourceID, version, publishedVersion, signature, entryCount, newestTitle, newestLink)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(sourceID) DO UPDATE SET publishedVersion = excluded.publishedVersion, signature = excluded.signature,
                    entryCount = excluded.entryCount, newestTitle = excluded.newestTitle, newestLink = excluded.newestLink
                """)
            for record in records {
                try upsert.execute(arguments: [record.sourceID, record.version, record.publishedVersion, record.signature,
                                               record.entryCount, record.newestTitle, record.newestLink])
            }
        }
    }

    static func feedRecord(from row: Row) -> FeedRecord {
        FeedRecord(sourceID: row["sourceID"], version: row["version"], publishedVersion: row["publishedVersion"],
                   signature: row["signature"], entryCount: row["entryCount"], newestTitle: row["newestTitle"],
                   newestLink: row["newestLink"])
    }

    // MARK: Retention

    public func applyRetention(keep: [String: Int], margin: @Sendable (Int) -> Int,
                               before: Timestamp) async throws(StorageError) -> RetentionReport {
        let limits = keep.mapValues { max(0, $0) + max(0, margin($0)) }
        let cutoff = before.date.timeIntervalSince1970
        let dropped = try await write("drop old article bodies") { db in
            var dropped = 0
            let ranked = try db.cachedStatement(sql: """
                SELECT entry, firstSeen FROM article WHERE sourceID = ? AND hasBody = 1
                ORDER BY sortTime DESC, id LIMIT -1 OFFSET ?
                """)
            for (sourceID, limit) in limits.sorted(by: { $0.key < $1.key }) {
                let old = try Row.fetchAll(ranked, arguments: [sourceID, limit]).filter { ($0["firstSeen"] as Double) < cutoff }
                for row in old {
                    let entry: Int64 = row["entry"]
                    try db.execute(sql: "DELETE FROM article_body WHERE entry = ?", arguments: [entry])
                    try db.execute(sql: "UPDATE article SET hasBody = 0 WHERE entry = ?", arguments: [entry])
                }
                dropped += old.count
            }
            return dropped
        }
        let freed = try await vacuum()
        return RetentionReport(bodiesDropped: dropped, pagesFreed: freed)
    }

    /// Gives free pages back to the file system and truncates the write-ahead log.
    func vacuum() async throws(StorageError) -> Int {
        do {
            return try await pool.writeWithoutTransaction { db in
                let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                try db.execute(sql: "PRAGMA incremental_vacuum")
                try db.checkpoint(.truncate)
                return free
            }
        } catch {
            throw Self.storageError(error, operation: "vacuum")
        }
    }
}
