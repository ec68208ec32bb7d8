import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The file `daemon.json` in the state folder: how a `tidings refresh` finds the running
/// daemon. Written (mode 0600: it holds the refresh token) once the server listens,
/// removed on a clean stop; a stale file is recognised by its dead pid.
public struct DaemonEndpoint: Sendable, Codable, Hashable {
    public static let fileName = "daemon.json"

    /// The daemon's process id.
    public var pid: Int32
    /// Base URL of the HTTP server, e.g. `http://127.0.0.1:8080` (with a unix socket:
    /// `http://localhost`, and `unixSocket` set).
    public var url: String?
    /// Path of the unix socket the server listens on, when it does.
    public var unixSocket: String?
    /// The Bearer token for POST /refresh.
    public var refreshToken: String?
    /// RFC 3339 UTC.
    public var startedAt: String
    public var version: String

    public init(pid: Int32, url: String?, unixSocket: String?, refreshToken: String?, startedAt: String, version: String) {
        self.pid = pid
        self.url = url
        self.unixSocket = unixSocket
        self.refreshToken = refreshToken
        self.startedAt = startedAt
        self.version = version
    }

    public static func fileURL(stateDirectory: URL) -> URL {
        stateDirectory.appendingPathComponent(fileName)
    }

    /// The endpoint of a daemon that is running now, or nil (no file, unreadable, or its
    /// process is gone).
    public static func locate(stateDirectory: URL) -> DaemonEndpoint? {
        guard let data = try? Data(contentsOf: fileURL(stateDirectory: stateDirectory)),
              let endpoint = try? JSONDecoder().decode(DaemonEndpoint.self, from: data) else { return nil }
        // kill(pid, 0): EPERM still means the process exists (another user's daemon).
        guard kill(endpoint.pid, 0) == 0 || errno == EPERM else { return nil }
        return endpoint
    }

    /// Writes the file atomically with mode 0600.
    func write(stateDirectory: URL) throws {
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(self)
        let target = Self.fileURL(stateDirectory: stateDirectory)
        let temporary = stateDirectory.appendingPathComponent(".\(Self.fileName).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw DaemonError.stateFolderNotWritable(path: temporary.path, cause: "cannot create the file")
        }
        guard rename(temporary.path, target.path) == 0 else {
            let cause = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw DaemonError.stateFolderNotWritable(path: target.path, cause: cause)
        }
    }

    static func remove(stateDirectory: URL) {
        try? FileManager.default.removeItem(at: fileURL(stateDirectory: stateDirectory))
    }
}
