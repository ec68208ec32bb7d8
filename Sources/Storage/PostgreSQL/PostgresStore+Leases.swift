import Foundation

/// Leases, not a leader: a node claims a unit of work (a host, so per-host politeness holds
/// across nodes) for a while and renews it by heartbeat. Every claim bumps the lease's token;
/// writes made under an older token are refused (`StorageError.Kind.fenced`), so a node that
/// froze past its lease changes nothing when it wakes.
extension PostgresStore {
    /// Claims `name` for `owner` when it is free, expired, or already `owner`'s; nil when
    /// another node holds it. The fence carries the new token.
    public func claimLease(_ name: String, owner: String, for duration: TimeInterval) async throws(StorageError) -> WriteFence? {
        try await write("claim the lease \(name)", fence: nil) { connection throws(PGFailure) -> WriteFence? in
            let rows = try connection.execute("""
                INSERT INTO lease (name, owner, token, expires_at) VALUES ($1, $2, 1, now() + make_interval(secs => $3))
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, token = lease.token + 1, expires_at = excluded.expires_at
                WHERE lease.owner IS NULL OR lease.owner = excluded.owner OR lease.expires_at < now()
                RETURNING token
                """, [.text(name), .text(owner), .double(duration)])
            guard rows.count == 1, let token = rows.int(0, "token") else { return nil }
            return WriteFence(lease: name, token: token)
        }
    }

    /// Moves the lease's expiry on while `fence` is still its current claim; false when it is
    /// not (another node took it over): the caller must stop writing for it.
    public func renewLease(_ fence: WriteFence, owner: String, for duration: TimeInterval) async throws(StorageError) -> Bool {
        try await write("renew the lease \(fence.lease)", fence: nil) { connection throws(PGFailure) -> Bool in
            let rows = try connection.execute("""
                UPDATE lease SET expires_at = now() + make_interval(secs => $4) WHERE name = $1 AND owner = $2 AND token = $3
                """, [.text(fence.lease), .text(owner), .int(fence.token), .double(duration)])
            return rows.affected == 1
        }
    }

    /// Gives the lease up so another node may claim it at once.
    public func releaseLease(_ fence: WriteFence, owner: String) async throws(StorageError) {
        try await write("release the lease \(fence.lease)", fence: nil) { connection throws(PGFailure) in
            _ = try connection.execute("UPDATE lease SET owner = NULL, expires_at = NULL WHERE name = $1 AND owner = $2 AND token = $3",
                                   [.text(fence.lease), .text(owner), .int(fence.token)])
        }
    }
}
