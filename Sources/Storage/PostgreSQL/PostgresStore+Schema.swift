extension PostgresStore {
    /// Versioned migrations, applied in order inside one transaction that holds an advisory
    /// lock: two nodes starting at once apply each one once, the second waits and finds it done.
    /// The tables mirror SQLite's version 2 (`SQLiteStore.migrator`); times are seconds since
    /// 1970 with the offset they were written in.
    static let migrations: [(version: Int, sql: String)] = [
        (1, """
            CREATE TABLE article (
                entry BIGSERIAL PRIMARY KEY,
                source_id TEXT NOT NULL,
                id TEXT NOT NULL,
                canonical_url TEXT NOT NULL,
                first_seen DOUBLE PRECISION NOT NULL,
                first_seen_offset INTEGER NOT NULL,
                updated DOUBLE PRECISION NOT NULL,
                updated_offset INTEGER NOT NULL,
                sort_time DOUBLE PRECISION NOT NULL,
                text_digest TEXT NOT NULL,
                fingerprint BIGINT,
                revision BIGINT NOT NULL DEFAULT 0,
                has_body BOOLEAN NOT NULL DEFAULT TRUE,
                UNIQUE (source_id, id)
            );
            CREATE INDEX article_by_source_time ON article (source_id, sort_time DESC, id COLLATE "C");
            CREATE INDEX article_by_time ON article (sort_time DESC, id COLLATE "C");
            CREATE TABLE article_body (
                entry BIGINT PRIMARY KEY REFERENCES article (entry),
                body BYTEA NOT NULL
            );
            CREATE TABLE article_url (
                source_id TEXT NOT NULL,
                url TEXT NOT NULL,
                entry BIGINT NOT NULL REFERENCES article (entry),
                PRIMARY KEY (source_id, url)
            );
            CREATE TABLE feed_state (
                source_id TEXT PRIMARY KEY,
                version BIGINT NOT NULL DEFAULT 0,
                published_version BIGINT,
                signature TEXT,
                entry_count INTEGER NOT NULL DEFAULT 0,
                newest_title TEXT,
                newest_link TEXT
            );
            CREATE TABLE fetch_state (
                source_id TEXT NOT NULL,
                url TEXT NOT NULL,
                etag TEXT,
                last_modified TEXT,
                body_hash TEXT,
                fetched_at DOUBLE PRECISION NOT NULL,
                fetched_at_offset INTEGER NOT NULL,
                PRIMARY KEY (source_id, url)
            );
            CREATE TABLE source_health (
                source_id TEXT PRIMARY KEY,
                health BYTEA NOT NULL
            );
            CREATE TABLE robots (
                origin TEXT PRIMARY KEY,
                status INTEGER NOT NULL,
                body TEXT NOT NULL,
                fetched_at DOUBLE PRECISION NOT NULL
            );
            -- One row per leased unit of work (a host): who holds it, until when, and the
            -- fencing token, bumped by every claim; writes carry the token they were made under.
            CREATE TABLE lease (
                name TEXT PRIMARY KEY,
                owner TEXT,
                token BIGINT NOT NULL DEFAULT 0,
                expires_at TIMESTAMPTZ
            );
            """),
        // Shared scheduling (several nodes): each source's next due time and last run, hosts'
        // Retry-After pauses on their lease rows, "refresh now" requests, the nodes' heartbeats.
        // Times are seconds since 1970 on the database's clock.
        (2, """
            ALTER TABLE lease ADD COLUMN hold_until DOUBLE PRECISION NOT NULL DEFAULT 0;
            ALTER TABLE lease ADD COLUMN claimed_at DOUBLE PRECISION;
            CREATE TABLE source_schedule (
                source_id TEXT PRIMARY KEY,
                lease TEXT NOT NULL,
                next_due DOUBLE PRECISION NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                last_node TEXT,
                last_finished DOUBLE PRECISION,
                last_failed BOOLEAN NOT NULL DEFAULT FALSE,
                last_new_articles INTEGER NOT NULL DEFAULT 0,
                last_issue TEXT
            );
            CREATE INDEX source_schedule_by_due ON source_schedule (next_due);
            CREATE INDEX source_schedule_by_lease ON source_schedule (lease);
            CREATE TABLE refresh_request (
                source_id TEXT PRIMARY KEY,
                requested_at DOUBLE PRECISION NOT NULL
            );
            CREATE TABLE node (
                id TEXT PRIMARY KEY,
                description TEXT NOT NULL,
                started_at DOUBLE PRECISION NOT NULL,
                heartbeat_at DOUBLE PRECISION NOT NULL
            );
            """),
        // Numbered from 20: the scheduler's migrations take 2, 3, … (both were written at once).
        // The rendered feed files every node serves (`FeedDocumentStore`), and each node's
        // hash of its feeds/ folder.
        (20, """
            CREATE SEQUENCE feed_document_version;
            CREATE TABLE feed_document (
                name TEXT PRIMARY KEY,
                hash TEXT NOT NULL,
                version BIGINT NOT NULL,
                modified DOUBLE PRECISION NOT NULL,
                body BYTEA NOT NULL
            );
            CREATE INDEX feed_document_by_version ON feed_document (version);
            CREATE TABLE node_catalog (
                node TEXT PRIMARY KEY,
                hash TEXT NOT NULL,
                source_count INTEGER NOT NULL,
                seen_at TIMESTAMPTZ NOT NULL
            );
            """),
    ]

    /// Any fixed number: the key of the advisory lock that serializes migrations.
    static let migrationLockKey: Int64 = 0x7469_6469_6E67_73

    static func migrate(_ pool: PGPool) async throws(PGFailure) {
        try await pool.transaction { connection throws(PGFailure) in
            try connection.execute("SELECT pg_advisory_xact_lock($1)", [.int(migrationLockKey)])
            try connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)")
            let applied = try connection.execute("SELECT version FROM schema_version")
            let done = Set((0..<applied.count).compactMap { applied.int($0, "version") })
            for migration in migrations where !done.contains(Int64(migration.version)) {
                try connection.executeScript(migration.sql)
                try connection.execute("INSERT INTO schema_version (version) VALUES ($1)", [.int(Int64(migration.version))])
            }
        }
    }
}
