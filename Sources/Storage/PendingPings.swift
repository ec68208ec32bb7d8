import Foundation

/// WebSub publish notifications not yet accepted by the hub, kept in `websub-pending.json`
/// of the state folder so a restart does not forget them.
public struct PendingPing: Sendable, Hashable, Codable {
    /// The feed URL the hub is told about (`hub.url`).
    public var topic: String
    /// Failed deliveries so far.
    public var attempts: Int
    /// Not to be sent before this time (seconds since 1970).
    public var due: Double
    /// Why the last delivery failed, for the log and `tidings status`.
    public var lastError: String?

    public init(topic: String, attempts: Int = 0, due: Double, lastError: String? = nil) {
        self.topic = topic
        self.attempts = attempts
        self.due = due
        self.lastError = lastError
    }
}

/// The file of pending pings: read whole, replaced whole (atomically).
public struct PendingPingFile: Sendable {
    public static let fileName = "websub-pending.json"
    public let url: URL

    public init(stateDirectory: URL) {
        url = stateDirectory.appendingPathComponent(Self.fileName)
    }

    /// The pending pings; none when the file is missing. A damaged file is an error (it is
    /// left for a person to look at rather than silently emptied).
    public func load() throws(StorageError) -> [PendingPing] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        do {
            return try JSONDecoder().decode([PendingPing].self, from: data)
        } catch {
            throw StorageError(operation: "read \(Self.fileName)", message: "not a list of pending pings: \(error)")
        }
    }

    public func save(_ pings: [PendingPing]) throws(StorageError) {
        do {
            if pings.isEmpty {
                if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
                return
            }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(pings).write(to: url, options: .atomic)
        } catch {
            throw StorageError(operation: "write \(Self.fileName)", message: "\(error)")
        }
    }
}
