import Foundation
import GRDB
import TidingsCore
#if canImport(Glibc)
import Glibc
#endif

/// The SQLite store (GRDB): WAL, synchronous=FULL, a busy timeout, versioned migrations,
/// incremental vacuum. Used by one process at a time (the daemon, or a refresh run).
public final class SQLiteStore: ArticleStore {
    let pool: DatabasePool
    /// Every write goes through it: concurrent writes share a transaction (one disk sync).
    let commits: GroupCommit
    let path: String
    /// The database file as opened (device and inode): a different one at `path` later means
    /// the state folder was deleted or replaced under us.
    private let identity: FileIdentity?

    public static let fileName = "tidings.sqlite"

    /// How long a write waits for another process's lock before it fails as `.busy`.
    public static let defaultBusyTimeout: TimeInterval = 10

    /// Opens (or creates) `tidings.sqlite` in `directory`.
    public init(directory: URL, busyTimeout: TimeInterval = defaultBusyTimeout) throws(StorageError) {
        path = directory.appendingPathComponent(Self.fileName).path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(kind: .cannotOpen, operation: "open \(directory.path)", message: "\(error)")
        }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            let isNew = !FileManager.default.fileExists(atPath: path)
            pool = try DatabasePool(path: path, configuration: configuration)
            if isNew {
                // Only an empty database can take the setting without a VACUUM.
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
            }
            try Self.migrator.migrate(pool)
            try Self.enableIncrementalVacuum(pool)
        } catch {
            throw Self.storageError(error, operation: "open \(directory.path)")
        }
        identity = FileIdentity(path: path)
        commits = GroupCommit(pool: pool)
    }

    /// A database made before incremental vacuum existed is rebuilt once with it.
    private static func enableIncrementalVacuum(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in
            let mode = try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") ?? 0
            guard mode != 2 else { return }
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute(sql: "VACUUM")
        }
    }

    public func verifyIntact() throws(StorageError) {
        guard let identity else { return }
        let now = FileIdentity(path: path)
        if now != identity {
            throw StorageError(kind: .stateLost, operation: "check \(path)",
                               message: now == nil
                                   ? "the database file was deleted while Tidings had it open; restart Tidings (the feeds already written are kept)"
                                   : "the database file was replaced while Tidings had it open; restart Tidings to use the new one")
        }
    }

    // MARK: Running statements

    func read<T: Sendable>(_ operation: @autoclosure () -> String,
                           _ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storageError(error, operation: operation())
        }
    }

    func write<T: Sendable>(_ operation: @autoclosure () -> String,
                            _ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        try verifyIntact()
        do {
            return try await commits.write(body)
        } catch {
            throw Self.storageError(error, operation: operation())
        }
    }

    /// The one place SQLite's result codes become kinds.
    static func storageError(_ error: any Error, operation: String) -> StorageError {
        if let error = error as? StorageError { return error }
        if let error = error as? DatabaseError {
            let code = error.resultCode.rawValue
            return StorageError(kind: StorageError.kind(ofSQLiteCode: code), operation: operation,
                                message: error.message ?? "SQLite error \(code)", resultCode: code)
        }
        return StorageError(kind: .other, operation: operation, message: "\(error)")
    }
}

/// Device and inode of a file.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// A stored body that does not decode: the entry is reported, not guessed at.
struct UndecodableBody: Error, CustomStringConvertible {
    var key: EntryKey
    var description: String { "the stored article of \(key.id) (source \(key.sourceID)) does not decode" }
}
