import TidingsCore

/// A storage failure: what was being done, a stable kind for status pages and metrics, and
/// the database's own result code when it gave one.
public struct StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as far as a user or an operator must act on it.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Another process holds the database longer than the busy timeout.
        case busy
        /// The disk (or the database's size limit) is full.
        case full
        /// The database file is damaged or is not a database.
        case corrupt
        /// The file or folder cannot be written (permissions, read-only file system).
        case readOnly
        /// The operating system failed a read or write.
        case io
        /// The database could not be opened or created.
        case cannotOpen
        /// The state folder or its database was deleted or replaced while Tidings had it open.
        case stateLost
        /// A write carried a fencing token that is no longer current (another node took the
        /// work over); nothing was written.
        case fenced
        /// Anything else (a bug, a constraint, stored data that does not decode).
        case other
    }

    public var kind: Kind
    public var operation: String
    public var message: String
    /// The primary SQLite result code (5 = busy, 13 = full, 11 = corrupt, …), when there was one.
    public var resultCode: Int32?

    public init(kind: Kind = .other, operation: String, message: String, resultCode: Int32? = nil) {
        self.kind = kind
        self.operation = operation
        self.message = message
        self.resultCode = resultCode
    }

    /// `store.busy`, `store.full`, … for `RefreshIssue.kind` and metrics labels.
    public var issueKind: IssueKind { IssueKind(.store, kind.rawValue) }

    public var description: String { "state database: \(operation) failed: \(message)" }

    /// The kind an SQLite primary result code stands for (https://www.sqlite.org/rescode.html).
    public static func kind(ofSQLiteCode code: Int32) -> Kind {
        switch code {
        case 5, 6: .busy                  // SQLITE_BUSY, SQLITE_LOCKED
        case 13: .full                    // SQLITE_FULL
        case 11, 26: .corrupt             // SQLITE_CORRUPT, SQLITE_NOTADB
        case 3, 8, 23: .readOnly          // SQLITE_PERM, SQLITE_READONLY, SQLITE_AUTH
        case 10: .io                      // SQLITE_IOERR
        case 14: .cannotOpen              // SQLITE_CANTOPEN
        default: .other
        }
    }
}
