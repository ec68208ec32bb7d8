import Foundation

/// The rendered feed files in PostgreSQL, for every node to serve, and each node's catalog hash.
extension PostgresStore: FeedDocumentStore {
    /// The channel `saveDocuments` notifies (its payload: the newest version stored).
    static let documentChannel = "tidings_documents"

    @discardableResult
    public func saveDocuments(_ documents: [FeedDocument]) async throws(StorageError) -> DocumentSaveReport {
        guard !documents.isEmpty else { return DocumentSaveReport() }
        return try await write("store \(documents.count) rendered feed files", fence: nil) { connection throws(PGFailure) in
            var report = DocumentSaveReport()
            var fenceHolds: [WriteFence: Bool] = [:]
            for document in documents {
                if let fence = document.fence {
                    let holds: Bool
                    if let known = fenceHolds[fence] {
                        holds = known
                    } else {
                        // FOR SHARE: a claim of this lease waits until these documents are in.
                        let rows = try connection.execute("SELECT token FROM lease WHERE name = $1 FOR SHARE", [.text(fence.lease)])
                        holds = rows.count == 1 && rows.int(0, "token") == fence.token
                        fenceHolds[fence] = holds
                    }
                    guard holds else {
                        report.fenced.append(document.name)
                        continue
                    }
                }
                let rows = try connection.execute("""
                    INSERT INTO feed_document (name, hash, version, modified, body)
                    VALUES ($1, $2, nextval('feed_document_version'), $3, $4)
                    ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, version = excluded.version,
                        modified = excluded.modified, body = excluded.body
                    WHERE feed_document.hash <> excluded.hash
                    RETURNING version
                    """, [.text(document.name), .text(document.hash), .double(Self.wholeSeconds(document.modified).timeIntervalSince1970),
                          .bytes(document.body)])
                if rows.count == 1, let version = rows.int(0, "version") {
                    report.stored.append(FeedDocumentHead(name: document.name, hash: document.hash, version: version,
                                                          modified: Self.wholeSeconds(document.modified)))
                } else {
                    report.unchanged.append(document.name)
                }
            }
            if let newest = report.stored.map(\.version).max() {
                // Delivered to the listeners when this transaction commits, never before.
                try connection.execute("SELECT pg_notify($1, $2)", [.text(Self.documentChannel), .text(String(newest))])
            }
            return report
        }
    }

    public func documentHeads(after version: Int64) async throws(StorageError) -> [FeedDocumentHead] {
        try await read("read the rendered feed files' versions") { connection throws(PGFailure) in
            let rows = try connection.execute("SELECT name, hash, version, modified FROM feed_document WHERE version > $1 ORDER BY version",
                                              [.int(version)])
            return (0..<rows.count).compactMap { row in Self.documentHead(rows, row) }
        }
    }

    public func document(named name: String) async throws(StorageError) -> StoredFeedDocument? {
        try await read("read the rendered file \(name)") { connection throws(PGFailure) in
            let rows = try connection.execute("SELECT name, hash, version, modified, body FROM feed_document WHERE name = $1", [.text(name)])
            guard rows.count == 1, let head = Self.documentHead(rows, 0), let body = rows.bytes(0, "body") else { return nil }
            return StoredFeedDocument(head: head, body: body)
        }
    }

    public func watchDocuments(retryDelay: TimeInterval,
                               _ onEvent: @escaping @Sendable (DocumentWatchEvent) -> Void) -> any DocumentWatch {
        PGListener(conninfo: pool.conninfo, channel: Self.documentChannel, retryDelay: retryDelay, onEvent: onEvent)
    }

    public func saveNodeCatalog(_ catalog: NodeCatalog) async throws(StorageError) {
        try await write("record the catalog of node \(catalog.node)", fence: nil) { connection throws(PGFailure) in
            _ = try connection.execute("""
                INSERT INTO node_catalog (node, hash, source_count, seen_at) VALUES ($1, $2, $3, now())
                ON CONFLICT (node) DO UPDATE SET hash = excluded.hash, source_count = excluded.source_count, seen_at = excluded.seen_at
                """, [.text(catalog.node), .text(catalog.hash), .int(Int64(catalog.sourceCount))])
        }
    }

    public func nodeCatalogs(seenWithin freshness: TimeInterval) async throws(StorageError) -> [NodeCatalog] {
        try await read("read the nodes' catalogs") { connection throws(PGFailure) in
            let rows = try connection.execute("""
                SELECT node, hash, source_count, extract(epoch FROM seen_at) AS seen FROM node_catalog
                WHERE seen_at > now() - make_interval(secs => $1) ORDER BY node
                """, [.double(freshness)])
            return (0..<rows.count).compactMap { row in
                guard let node = rows.string(row, "node"), let hash = rows.string(row, "hash") else { return nil }
                return NodeCatalog(node: node, hash: hash, sourceCount: Int(rows.int(row, "source_count") ?? 0),
                                   seenAt: Date(timeIntervalSince1970: rows.double(row, "seen") ?? 0))
            }
        }
    }

    private static func documentHead(_ rows: PGRows, _ row: Int) -> FeedDocumentHead? {
        guard let name = rows.string(row, "name"), let hash = rows.string(row, "hash"), let version = rows.int(row, "version") else { return nil }
        return FeedDocumentHead(name: name, hash: hash, version: version,
                                modified: Date(timeIntervalSince1970: rows.double(row, "modified") ?? 0))
    }

    /// Last-Modified has whole seconds: every node must send the same one.
    private static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
