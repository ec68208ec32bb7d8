import Foundation
import TidingsCore

/// The state in PostgreSQL (libpq), for several nodes sharing one database
/// (`store = "postgresql://user@host/db"`). The same tables and rules as `SQLiteStore`, so
/// one protocol suite tests both; every write that carries a `WriteFence` is made only while
/// the fence's lease still has that token (see `claimLease`), in the same transaction.
public final class PostgresStore: ArticleStore {
    let pool: PGPool
    /// The connection string without its password, for messages.
    public let location: String

    /// Connects and creates or migrates the schema. `conninfo` is a libpq connection string
    /// or URI (`postgresql://tidings@db.example.org/tidings`, `host=/run/postgresql dbname=tidings`).
    public init(conninfo: String, connections: Int = defaultConnections) async throws(StorageError) {
        pool = PGPool(conninfo: conninfo, size: connections)
        location = Self.withoutPassword(conninfo)
        do {
            try await Self.migrate(pool)
        } catch {
            throw Self.storageError(error, operation: "open \(location)")
        }
    }

    /// Connections at most: a node's refreshes write a little at a time; more would only
    /// take server slots (max_connections defaults to 100) from the other nodes.
    public static let defaultConnections = 4

    /// Whether a `store` setting names PostgreSQL rather than a folder.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    static func withoutPassword(_ conninfo: String) -> String {
        guard var parts = URLComponents(string: conninfo), parts.password != nil else { return conninfo }
        parts.password = "…"
        return parts.string ?? conninfo
    }

    public func verifyIntact() throws(StorageError) {}

    // MARK: Running statements

    func read<T: Sendable>(_ operation: @autoclosure () -> String,
                           _ body: @escaping @Sendable (PGConnection) throws(PGFailure) -> T) async throws(StorageError) -> T {
        do {
            return try await pool.run(body)
        } catch {
            throw Self.storageError(error, operation: operation())
        }
    }

    /// A transaction that first checks `fence` (locking the lease row against a claim until
    /// the transaction ends), then runs `body`.
    func write<T: Sendable>(_ operation: @autoclosure () -> String, fence: WriteFence?,
                            _ body: @escaping @Sendable (PGConnection) throws(PGFailure) -> T) async throws(StorageError) -> T {
        do {
            return try await pool.transaction { connection throws(PGFailure) -> T in
                if let fence {
                    let rows = try connection.execute("SELECT token FROM lease WHERE name = $1 FOR SHARE", [.text(fence.lease)])
                    guard rows.count == 1, rows.int(0, "token") == fence.token else {
                        throw PGFailure(message: Self.fencedMessage(fence), sqlState: Self.fencedState, connectionLost: false)
                    }
                }
                return try body(connection)
            }
        } catch {
            throw Self.storageError(error, operation: operation())
        }
    }

    /// Our own SQLSTATE for a refused fence (class "TF", free for applications).
    static let fencedState = "TF001"

    static func fencedMessage(_ fence: WriteFence) -> String {
        "the lease \(fence.lease) was claimed again after token \(fence.token): another node does this work now"
    }

    /// The one place PostgreSQL's SQLSTATE classes become kinds.
    static func storageError(_ error: PGFailure, operation: String) -> StorageError {
        StorageError(kind: kind(of: error), operation: operation, message: error.message)
    }

    static func kind(of error: PGFailure) -> StorageError.Kind {
        if error.sqlState == fencedState { return .fenced }
        if error.connectionLost { return .cannotOpen }
        switch error.sqlState?.prefix(2) {
        case "40", "55": return .busy           // serialization failure, deadlock, lock not available
        case "53": return .full                 // insufficient resources (disk full, out of memory)
        case "XX": return .corrupt              // internal error, data corrupted
        case "42" where error.sqlState == "42501": return .readOnly  // insufficient privilege
        case "25" where error.sqlState == "25006": return .readOnly  // read-only transaction
        case "58": return .io                   // system error (I/O)
        case "08", "57", "28", "3D": return .cannotOpen  // connection, shutdown, authentication, no database
        default: return .other
        }
    }

    // MARK: Publishing records

    public func feedRecords() async throws(StorageError) -> [String: FeedRecord] {
        try await read("read the feeds' records") { connection throws(PGFailure) in
            let rows = try connection.execute("SELECT * FROM feed_state")
            var result: [String: FeedRecord] = [:]
            for row in 0..<rows.count {
                let record = Self.feedRecord(rows, row)
                result[record.sourceID] = record
            }
            return result
        }
    }

    static func feedRecord(_ rows: PGRows, _ row: Int) -> FeedRecord {
        FeedRecord(sourceID: rows.string(row, "source_id") ?? "", version: rows.int(row, "version") ?? 0,
                   publishedVersion: rows.int(row, "published_version"), signature: rows.string(row, "signature"),
                   entryCount: Int(rows.int(row, "entry_count") ?? 0), newestTitle: rows.string(row, "newest_title"),
                   newestLink: rows.string(row, "newest_link"))
    }

    public func feedSnapshot(sourceID: String, limit: Int) async throws(StorageError) -> FeedSnapshot {
        try await read("read the feed of \(sourceID)") { connection throws(PGFailure) in
            // One snapshot for both reads, as SQLite's read transaction gives.
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { _ = try? connection.execute("COMMIT") }
            let version = try connection.execute("SELECT version FROM feed_state WHERE source_id = $1", [.text(sourceID)])
            return FeedSnapshot(entries: try Self.entries(sourceID: sourceID, limit: limit, in: connection),
                                version: version.count > 0 ? version.int(0, "version") ?? 0 : 0)
        }
    }

    public func markPublished(_ records: [FeedRecord], fence: WriteFence?) async throws(StorageError) {
        guard !records.isEmpty else { return }
        try await write("record the feeds of \(records.count) sources", fence: fence) { connection throws(PGFailure) in
            for record in records {
                try connection.execute("""
                    INSERT INTO feed_state (source_id, version, published_version, signature, entry_count, newest_title, newest_link)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    ON CONFLICT (source_id) DO UPDATE SET published_version = excluded.published_version,
                        signature = excluded.signature, entry_count = excluded.entry_count,
                        newest_title = excluded.newest_title, newest_link = excluded.newest_link
                    """, [.text(record.sourceID), .int(record.version), .optional(record.publishedVersion), .optional(record.signature),
                          .int(Int64(record.entryCount)), .optional(record.newestTitle), .optional(record.newestLink)])
            }
        }
    }
}
