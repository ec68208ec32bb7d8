import Foundation
import TidingsCore

extension PostgresStore {
    // MARK: Fetch state

    public func fetchState(sourceID: String, url: String) async throws(StorageError) -> FetchState? {
        try await read("read fetch state of \(url)") { connection throws(PGFailure) in
            let rows = try connection.execute("SELECT * FROM fetch_state WHERE source_id = $1 AND url = $2", [.text(sourceID), .text(url)])
            guard rows.count > 0 else { return nil }
            return FetchState(sourceID: sourceID, url: url, etag: rows.string(0, "etag"), lastModified: rows.string(0, "last_modified"),
                              bodyHash: rows.string(0, "body_hash"),
                              fetchedAt: Timestamp(date: Date(timeIntervalSince1970: rows.double(0, "fetched_at") ?? 0),
                                                   offsetSeconds: Int(rows.int(0, "fetched_at_offset") ?? 0)))
        }
    }

    public func saveFetchState(_ state: FetchState, fence: WriteFence?) async throws(StorageError) {
        try await write("save fetch state of \(state.url)", fence: fence) { connection throws(PGFailure) in
            _ = try connection.execute("""
                INSERT INTO fetch_state (source_id, url, etag, last_modified, body_hash, fetched_at, fetched_at_offset)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                    body_hash = excluded.body_hash, fetched_at = excluded.fetched_at, fetched_at_offset = excluded.fetched_at_offset
                """, [.text(state.sourceID), .text(state.url), .optional(state.etag), .optional(state.lastModified),
                      .optional(state.bodyHash), .double(state.fetchedAt.date.timeIntervalSince1970),
                      .int(Int64(state.fetchedAt.offsetSeconds))])
        }
    }

    // MARK: Health

    public func health(sourceID: String) async throws(StorageError) -> SourceHealth {
        let data = try await read("read health of \(sourceID)") { connection throws(PGFailure) -> [UInt8]? in
            let rows = try connection.execute("SELECT health FROM source_health WHERE source_id = $1", [.text(sourceID)])
            return rows.count > 0 ? rows.bytes(0, "health") : nil
        }
        guard let data else { return SourceHealth() }
        return try Self.decodeHealth(data, sourceID: sourceID)
    }

    public func allHealth() async throws(StorageError) -> [String: SourceHealth] {
        let stored = try await read("read the health of every source") { connection throws(PGFailure) -> [(String, [UInt8])] in
            let rows = try connection.execute("SELECT source_id, health FROM source_health")
            return (0..<rows.count).compactMap { row in
                guard let id = rows.string(row, "source_id"), let data = rows.bytes(row, "health") else { return nil }
                return (id, data)
            }
        }
        var result: [String: SourceHealth] = [:]
        for (id, data) in stored { result[id] = try Self.decodeHealth(data, sourceID: id) }
        return result
    }

    private static func decodeHealth(_ data: [UInt8], sourceID: String) throws(StorageError) -> SourceHealth {
        do {
            return try JSONDecoder().decode(SourceHealth.self, from: Data(data))
        } catch {
            throw StorageError(kind: .corrupt, operation: "read health of \(sourceID)", message: "\(error)")
        }
    }

    public func saveHealth(_ health: SourceHealth, sourceID: String, fence: WriteFence?) async throws(StorageError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: [UInt8]
        do { data = Array(try encoder.encode(health)) } catch {
            throw StorageError(operation: "save health of \(sourceID)", message: "\(error)")
        }
        try await write("save health of \(sourceID)", fence: fence) { connection throws(PGFailure) in
            _ = try connection.execute("""
                INSERT INTO source_health (source_id, health) VALUES ($1, $2)
                ON CONFLICT (source_id) DO UPDATE SET health = excluded.health
                """, [.text(sourceID), .bytes(data)])
        }
    }

    // MARK: robots.txt

    public func robotsRecord(origin: String) async throws(StorageError) -> StoredRobotsAnswer? {
        try await read("read robots.txt of \(origin)") { connection throws(PGFailure) in
            let rows = try connection.execute("SELECT * FROM robots WHERE origin = $1", [.text(origin)])
            guard rows.count > 0 else { return nil }
            return StoredRobotsAnswer(origin: origin, status: Int(rows.int(0, "status") ?? 0), body: rows.string(0, "body") ?? "",
                                fetchedAt: Date(timeIntervalSince1970: rows.double(0, "fetched_at") ?? 0))
        }
    }

    public func saveRobotsRecord(_ record: StoredRobotsAnswer) async throws(StorageError) {
        try await write("save robots.txt of \(record.origin)", fence: nil) { connection throws(PGFailure) in
            _ = try connection.execute("""
                INSERT INTO robots (origin, status, body, fetched_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (origin) DO UPDATE SET status = excluded.status, body = excluded.body, fetched_at = excluded.fetched_at
                """, [.text(record.origin), .int(Int64(record.status)), .text(record.body), .double(record.fetchedAt.timeIntervalSince1970)])
        }
    }

    // MARK: Retention

    /// As `SQLiteStore`'s; PostgreSQL's autovacuum gives the space back (no pages counted here).
    public func applyRetention(keep: [String: Int], margin: @Sendable (Int) -> Int,
                               before: Timestamp) async throws(StorageError) -> RetentionReport {
        let limits = keep.mapValues { max(0, $0) + max(0, margin($0)) }.sorted { $0.key < $1.key }
        let cutoff = before.date.timeIntervalSince1970
        let dropped = try await write("drop old article bodies", fence: nil) { connection throws(PGFailure) -> Int in
            var dropped = 0
            for (sourceID, limit) in limits {
                let old = try connection.execute("""
                    SELECT entry FROM (
                        SELECT entry, first_seen FROM article WHERE source_id = $1 AND has_body
                        ORDER BY sort_time DESC, id COLLATE "C" OFFSET $2
                    ) past WHERE first_seen < $3
                    """, [.text(sourceID), .int(Int64(limit)), .double(cutoff)])
                for row in 0..<old.count {
                    guard let entry = old.int(row, "entry") else { continue }
                    try connection.execute("DELETE FROM article_body WHERE entry = $1", [.int(entry)])
                    try connection.execute("UPDATE article SET has_body = FALSE WHERE entry = $1", [.int(entry)])
                }
                dropped += old.count
            }
            return dropped
        }
        return RetentionReport(bodiesDropped: dropped, pagesFreed: 0)
    }
}
