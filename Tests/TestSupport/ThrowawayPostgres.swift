import Foundation

/// A PostgreSQL cluster of its own for a test process (Debian's `postgresql` package):
/// `initdb` in a temporary folder, `pg_ctl start` listening on a unix socket in that folder
/// only (no TCP port), stopped when the process exits. When run as root the cluster runs as
/// the `postgres` user, as PostgreSQL requires. `TIDINGS_TEST_POSTGRES` (a libpq connection
/// string in keyword form, `host=/run/postgresql user=postgres`) uses a server that is
/// already running instead.
///
/// The first call starts the cluster and blocks until it is up: call it from `.serialized`
/// suites only, so that no other test task waits on it (tasks blocked on a lazy `static let`
/// can take every thread Foundation's `Process` needs to see its child exit).
public enum ThrowawayPostgres {
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// A connection string for a new, empty database of its own (one per call).
    public static func freshDatabase() throws -> String {
        let server = try shared.get()
        let name = "tidings_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let created = try ExternalProcess.run(server.psql, ["-d", server.conninfo + " dbname=postgres", "-q", "-c", "CREATE DATABASE \(name)"])
        guard created.status == 0 else { throw Unavailable(description: "CREATE DATABASE failed: \(created.output)") }
        return server.conninfo + " dbname=\(name)"
    }

    /// Runs SQL in the database of `conninfo` (one from `freshDatabase`) with psql; its output
    /// (unaligned, tuples only).
    @discardableResult
    public static func run(sql: String, in conninfo: String) throws -> String {
        let server = try shared.get()
        let outcome = try ExternalProcess.run(server.psql, ["-d", conninfo, "-q", "-A", "-t", "-c", sql])
        guard outcome.status == 0 else { throw Unavailable(description: "psql failed: \(outcome.output)") }
        return outcome.output
    }

    /// Ends the LISTEN connections of tidings nodes on that database (as a server restart or a
    /// network cut would); how many were ended.
    public static func terminateListeners(in conninfo: String) throws -> Int {
        let output = try run(sql: """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE application_name = 'tidings-listen' AND datname = current_database()
            """, in: conninfo)
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// A cluster of its own that a test may stop and start again (a restart under running
    /// nodes); stopped and removed by `remove()`. Needs PostgreSQL installed (no
    /// `TIDINGS_TEST_POSTGRES` stand-in: a shared server must not be restarted).
    public final class Cluster: @unchecked Sendable {
        // @unchecked Sendable: immutable after init.
        public let conninfo: String
        let bin: String
        let folder: String
        var data: String { folder + "/data" }

        init(bin: String, folder: String) {
            self.bin = bin
            self.folder = folder
            conninfo = "host=\(folder) user=postgres dbname=postgres"
        }

        public func start() throws {
            try ThrowawayPostgres.runAsServer("\(bin)/pg_ctl", ["-D", data, "-l", folder + "/server.log", "-w", "-o",
                                                               "-k \(folder) -c listen_addresses='' -c fsync=off -c max_connections=200", "start"])
        }

        public func stop() throws {
            try ThrowawayPostgres.runAsServer("\(bin)/pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"])
        }

        public func remove() {
            try? stop()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    public static func privateCluster() throws -> Cluster {
        guard let bin = binaries else {
            throw Unavailable(description: "PostgreSQL is not installed (apt-get install postgresql; scripts/install-deps does it)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-pgx-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if getuid() == 0 { _ = try ExternalProcess.run("/usr/bin/chown", ["postgres:postgres", folder]) }
        try runAsServer("\(bin)/initdb", ["-D", folder + "/data", "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"])
        let cluster = Cluster(bin: bin, folder: folder)
        try cluster.start()
        return cluster
    }

    /// Runs a server program as `postgres` when root, through a launcher that closes every
    /// inherited descriptor (see `start`).
    static func runAsServer(_ program: String, _ arguments: [String]) throws {
        let command = (getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + [program] + arguments
        let closing = "import os, sys; os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])"
        let outcome = try ExternalProcess.run("/usr/bin/python3", ["-c", closing] + command)
        guard outcome.status == 0 else { throw Unavailable(description: "\(program) failed: \(outcome.output)") }
    }

    struct Server {
        /// Keyword form (`host=… user=…`), so that ` dbname=…` can be appended.
        var conninfo: String
        var psql: String
    }

    static let shared: Result<Server, Error> = Result { try start() }

    static let binaries: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.last.map { "\(root)/\($0)/bin" }
    }()

    nonisolated(unsafe) private static var dataDirectory: String?

    private static func start() throws -> Server {
        if let given = ProcessInfo.processInfo.environment["TIDINGS_TEST_POSTGRES"], !given.isEmpty {
            return Server(conninfo: given, psql: binaries.map { "\($0)/psql" } ?? "/usr/bin/psql")
        }
        guard let bin = binaries else {
            throw Unavailable(description: "PostgreSQL is not installed (apt-get install postgresql; scripts/install-deps does it)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        // Through a launcher that closes every inherited descriptor: the server outlives
        // pg_ctl, and one end of a pipe of this process kept open in it would make `Process`
        // wait for pg_ctl forever.
        func run(_ program: String, _ arguments: [String]) throws {
            let command = (asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + [program] + arguments
            let closing = "import os, sys; os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])"
            let outcome = try ExternalProcess.run("/usr/bin/python3", ["-c", closing] + command)
            guard outcome.status == 0 else { throw Unavailable(description: "\(program) failed: \(outcome.output)") }
        }
        if asRoot { _ = try ExternalProcess.run("/usr/bin/chown", ["postgres:postgres", folder]) }
        let data = folder + "/data"
        try run("\(bin)/initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"])
        try run("\(bin)/pg_ctl", ["-D", data, "-l", folder + "/server.log", "-w", "-o",
                                   "-k \(folder) -c listen_addresses='' -c fsync=off -c max_connections=200", "start"])
        dataDirectory = data
        atexit {
            guard let data = ThrowawayPostgres.dataDirectory, let bin = ThrowawayPostgres.binaries else { return }
            let arguments = ["-D", data, "-m", "immediate", "stop"]
            if getuid() == 0 {
                _ = try? ExternalProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(bin)/pg_ctl"] + arguments)
            } else {
                _ = try? ExternalProcess.run("\(bin)/pg_ctl", arguments)
            }
            try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent)
        }
        let conninfo = "host=\(folder) user=postgres"
        return Server(conninfo: conninfo, psql: "\(bin)/psql")
    }
}
