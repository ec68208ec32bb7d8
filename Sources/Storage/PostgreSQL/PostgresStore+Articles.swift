import Foundation
import TidingsCore

extension PostgresStore {
    public func knownURLs(_ urls: [String], sourceID: String) async throws(StorageError) -> Set<String> {
        guard !urls.isEmpty else { return [] }
        return try await read("look up \(urls.count) URLs of \(sourceID)") { connection throws(PGFailure) in
            var known = Set<String>()
            for start in stride(from: 0, to: urls.count, by: SQLiteStore.lookupBatch) {
                let batch = Array(urls[start..<min(start + SQLiteStore.lookupBatch, urls.count)])
                let marks = (0..<batch.count).map { "$\($0 + 2)" }.joined(separator: ",")
                let rows = try connection.execute("SELECT url FROM article_url WHERE source_id = $1 AND url IN (\(marks))",
                                                  [.text(sourceID)] + batch.map(PGValue.text))
                for row in 0..<rows.count { if let url = rows.string(row, "url") { known.insert(url) } }
            }
            return known
        }
    }

    @discardableResult
    public func save(_ articles: [ArticleToSave], sourceID: String, fence: WriteFence?) async throws(StorageError) -> [FeedEntry] {
        guard !articles.isEmpty else { return [] }
        var prepared: [(item: ArticleToSave, body: [UInt8], digest: String)] = []
        for item in articles {
            guard let body = ArticleCodec.encode(item.article) else {
                throw StorageError(kind: .other, operation: "save \(item.article.url.absoluteString)", message: "zlib could not compress the article")
            }
            prepared.append((item, body, TextDigest.of(item.article.text)))
        }
        let items = prepared
        return try await write("save \(articles.count) articles of \(sourceID)", fence: fence) { connection throws(PGFailure) in
            let entries = try items.map { item, body, digest throws(PGFailure) in
                try Self.save(item, body: body, digest: digest, sourceID: sourceID, in: connection)
            }
            try Self.bumpFeedVersion(of: sourceID, in: connection)
            return entries
        }
    }

    /// The same rules as `SQLiteStore`'s save: only the identity picks the entry.
    private static func save(_ item: ArticleToSave, body: [UInt8], digest: String, sourceID: String,
                             in connection: PGConnection) throws(PGFailure) -> FeedEntry {
        let article = item.article
        let canonical = article.canonicalURL.absoluteString
        var urls: [String] = []
        for url in [item.identity, canonical, article.url.absoluteString] + item.alsoKnownAs where !urls.contains(url) { urls.append(url) }
        var existing = try connection.execute("SELECT entry FROM article_url WHERE source_id = $1 AND url = $2",
                                              [.text(sourceID), .text(item.identity)])
        let mintedID = EntryIdentity.tagURI(canonicalURL: article.canonicalURL, firstSeen: item.seenAt.date)
        if existing.count == 0 {
            existing = try connection.execute("SELECT entry FROM article WHERE source_id = $1 AND id = $2", [.text(sourceID), .text(mintedID)])
        }
        let fingerprint: PGValue = article.fingerprint.map { .int(Int64(bitPattern: $0)) } ?? .null
        var entry: FeedEntry
        let rowID: Int64
        if existing.count > 0, let found = existing.int(0, "entry"),
           case let row = try connection.execute("SELECT * FROM article WHERE entry = $1", [.int(found)]), row.count > 0 {
            rowID = found
            let firstSeen = Timestamp(date: Date(timeIntervalSince1970: row.double(0, "first_seen") ?? 0),
                                      offsetSeconds: Int(row.int(0, "first_seen_offset") ?? 0))
            var updated = Timestamp(date: Date(timeIntervalSince1970: row.double(0, "updated") ?? 0),
                                    offsetSeconds: Int(row.int(0, "updated_offset") ?? 0))
            if row.string(0, "text_digest") != digest { updated = item.seenAt }
            entry = FeedEntry(id: row.string(0, "id") ?? mintedID, sourceID: sourceID, article: article, firstSeen: firstSeen, updated: updated)
            try connection.execute("""
                UPDATE article SET updated = $1, updated_offset = $2, sort_time = $3, text_digest = $4, fingerprint = $5,
                    revision = revision + 1, has_body = TRUE WHERE entry = $6
                """, [.double(updated.date.timeIntervalSince1970), .int(Int64(updated.offsetSeconds)),
                      .double(entry.sortTime.date.timeIntervalSince1970), .text(digest), fingerprint, .int(rowID)])
            try connection.execute("""
                INSERT INTO article_body (entry, body) VALUES ($1, $2) ON CONFLICT (entry) DO UPDATE SET body = excluded.body
                """, [.int(rowID), .bytes(body)])
        } else {
            entry = FeedEntry(id: mintedID, sourceID: sourceID, article: article, firstSeen: item.seenAt,
                              updated: article.published ?? item.seenAt)
            let inserted = try connection.execute("""
                INSERT INTO article (source_id, id, canonical_url, first_seen, first_seen_offset, updated, updated_offset,
                                     sort_time, text_digest, fingerprint)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING entry
                """, [.text(sourceID), .text(entry.id), .text(canonical), .double(item.seenAt.date.timeIntervalSince1970),
                      .int(Int64(item.seenAt.offsetSeconds)), .double(entry.updated.date.timeIntervalSince1970),
                      .int(Int64(entry.updated.offsetSeconds)), .double(entry.sortTime.date.timeIntervalSince1970),
                      .text(digest), fingerprint])
            rowID = inserted.int(0, "entry") ?? 0
            try connection.execute("INSERT INTO article_body (entry, body) VALUES ($1, $2)", [.int(rowID), .bytes(body)])
        }
        for url in urls {
            try connection.execute("INSERT INTO article_url (source_id, url, entry) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                   [.text(sourceID), .text(url), .int(rowID)])
        }
        return entry
    }

    static func bumpFeedVersion(of sourceID: String, in connection: PGConnection) throws(PGFailure) {
        try connection.execute("""
            INSERT INTO feed_state (source_id, version) VALUES ($1, 1)
            ON CONFLICT (source_id) DO UPDATE SET version = feed_state.version + 1
            """, [.text(sourceID)])
    }

    public func entries(sourceID: String, limit: Int) async throws(StorageError) -> [FeedEntry] {
        try await read("read entries of \(sourceID)") { connection throws(PGFailure) in
            try Self.entries(sourceID: sourceID, limit: limit, in: connection)
        }
    }

    static func entries(sourceID: String, limit: Int, in connection: PGConnection) throws(PGFailure) -> [FeedEntry] {
        let rows = try connection.execute("""
            SELECT a.*, b.body FROM article a JOIN article_body b ON b.entry = a.entry
            WHERE a.source_id = $1 ORDER BY a.sort_time DESC, a.id COLLATE "C" LIMIT $2
            """, [.text(sourceID), .int(Int64(max(0, limit)))])
        return try (0..<rows.count).map { row throws(PGFailure) in try entry(rows, row) }
    }

    public func entries(keys: [EntryKey]) async throws(StorageError) -> [FeedEntry] {
        guard !keys.isEmpty else { return [] }
        return try await read("read \(keys.count) entries") { connection throws(PGFailure) in
            var found: [FeedEntry] = []
            for key in keys {
                let rows = try connection.execute("""
                    SELECT a.*, b.body FROM article a JOIN article_body b ON b.entry = a.entry WHERE a.source_id = $1 AND a.id = $2
                    """, [.text(key.sourceID), .text(key.id)])
                if rows.count > 0 { found.append(try Self.entry(rows, 0)) }
            }
            return found
        }
    }

    public func entryCount(sourceID: String) async throws(StorageError) -> Int {
        try await read("count entries of \(sourceID)") { connection throws(PGFailure) in
            let rows = try connection.execute("SELECT COUNT(*) AS n FROM article WHERE source_id = $1", [.text(sourceID)])
            return Int(rows.int(0, "n") ?? 0)
        }
    }

    public func combinedCandidates(keep: [String: Int], limit: Int) async throws(StorageError) -> [EntryHead] {
        guard limit > 0, !keep.isEmpty else { return [] }
        let sources = keep.sorted { $0.key < $1.key }
        return try await read("choose the combined feed's entries") { connection throws(PGFailure) in
            // Each entry's rank in its own feed, newest first as the feeds order them.
            let rows = try connection.execute("""
                SELECT source_id, id, sort_time, first_seen, updated, fingerprint, canonical_url, revision FROM (
                    SELECT a.*, k.keep, row_number() OVER (PARTITION BY a.source_id ORDER BY a.sort_time DESC, a.id COLLATE "C") AS rank
                    FROM article a JOIN unnest($1::text[], $2::bigint[]) AS k(source_id, keep) ON k.source_id = a.source_id
                    WHERE a.has_body
                ) ranked WHERE rank <= keep ORDER BY sort_time DESC, id COLLATE "C" LIMIT $3
                """, [.text(Self.arrayLiteral(sources.map(\.key))), .text("{" + sources.map { String(max(0, $0.value)) }.joined(separator: ",") + "}"),
                      .int(Int64(limit))])
            return (0..<rows.count).map { row in
                EntryHead(key: EntryKey(sourceID: rows.string(row, "source_id") ?? "", id: rows.string(row, "id") ?? ""),
                          sortTime: rows.double(row, "sort_time") ?? 0, firstSeen: rows.double(row, "first_seen") ?? 0,
                          updated: rows.double(row, "updated") ?? 0,
                          fingerprint: rows.int(row, "fingerprint").map { UInt64(bitPattern: $0) },
                          canonicalURL: rows.string(row, "canonical_url") ?? "", revision: rows.int(row, "revision") ?? 0)
            }
        }
    }

    /// A text[] literal: every element quoted, `"` and `\` escaped.
    static func arrayLiteral(_ values: [String]) -> String {
        "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    static func entry(_ rows: PGRows, _ row: Int) throws(PGFailure) -> FeedEntry {
        let key = EntryKey(sourceID: rows.string(row, "source_id") ?? "", id: rows.string(row, "id") ?? "")
        guard let body = rows.bytes(row, "body"), let article = ArticleCodec.decode(Data(body)) else {
            throw PGFailure(message: "the stored article \(key.id) of \(key.sourceID) does not decode", sqlState: "XX001", connectionLost: false)
        }
        return FeedEntry(id: key.id, sourceID: key.sourceID, article: article,
                         firstSeen: Timestamp(date: Date(timeIntervalSince1970: rows.double(row, "first_seen") ?? 0),
                                              offsetSeconds: Int(rows.int(row, "first_seen_offset") ?? 0)),
                         updated: Timestamp(date: Date(timeIntervalSince1970: rows.double(row, "updated") ?? 0),
                                            offsetSeconds: Int(rows.int(row, "updated_offset") ?? 0)))
    }
}
