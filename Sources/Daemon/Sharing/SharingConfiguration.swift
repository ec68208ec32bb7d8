import Foundation
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// How a node serves feeds when several nodes share one store (PostgreSQL): every feed file
/// is served from the store's copy, so any node answers with the bytes and the ETag of the
/// newest version, whichever node rendered it.
public struct SharingConfiguration: Sendable {
    /// Which nodes keep the files in their own output folder (`publish_files`).
    public enum PublishFiles: String, Sendable, CaseIterable {
        /// Only the node that refreshed a source writes its files (the others serve them from the store).
        case refreshing
        /// Every node also writes what the others stored, so another web server can serve any node's folder.
        case every
    }

    public var documents: any FeedDocumentStore
    /// This node's name in the store (its catalog row); stable across restarts.
    public var node: String
    public var publishFiles: PublishFiles
    /// Writes a file another node stored into this node's output folder (`.every`).
    public var writeFile: @Sendable (String, [UInt8]) throws -> Void
    /// A hash of this node's feeds/ folder and how many sources it defines.
    public var catalogDigest: @Sendable () -> (hash: String, sourceCount: Int)
    /// How often the store is asked for new versions while the LISTEN connection is down.
    public var pollInterval: TimeInterval
    /// How often it is asked anyway while listening (a notification lost in transit).
    public var listeningPollInterval: TimeInterval
    /// How often the node records its catalog and reads the others'; a node not heard from
    /// for three times this long is no longer counted.
    public var catalogInterval: TimeInterval
    /// How long the LISTEN connection waits before it is opened again after a drop.
    public var listenRetryDelay: TimeInterval

    /// A few seconds: a refresh elsewhere is served here within this much even without LISTEN.
    public static let defaultPollInterval: TimeInterval = 5
    public static let defaultListeningPollInterval: TimeInterval = 60
    public static let defaultCatalogInterval: TimeInterval = 60
    public static let defaultListenRetryDelay: TimeInterval = 5

    public init(documents: any FeedDocumentStore, node: String, publishFiles: PublishFiles = .refreshing,
                writeFile: @escaping @Sendable (String, [UInt8]) throws -> Void,
                catalogDigest: @escaping @Sendable () -> (hash: String, sourceCount: Int),
                pollInterval: TimeInterval = defaultPollInterval, listeningPollInterval: TimeInterval = defaultListeningPollInterval,
                catalogInterval: TimeInterval = defaultCatalogInterval, listenRetryDelay: TimeInterval = defaultListenRetryDelay) {
        self.documents = documents
        self.node = node
        self.publishFiles = publishFiles
        self.writeFile = writeFile
        self.catalogDigest = catalogDigest
        self.pollInterval = pollInterval
        self.listeningPollInterval = listeningPollInterval
        self.catalogInterval = catalogInterval
        self.listenRetryDelay = listenRetryDelay
    }

    /// The default node name: the host name and the state folder (one daemon per state folder),
    /// so two nodes on one machine differ and a restarted node keeps its name.
    public static func defaultNodeName(stateDirectory: URL) -> String {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count - 1) == 0 ? String(cString: name) : "node"
        return (host.split(separator: ".").first.map(String.init) ?? host) + ":" + stateDirectory.standardizedFileURL.path
    }
}
