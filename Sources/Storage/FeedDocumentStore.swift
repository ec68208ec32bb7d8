import Foundation

/// Rendered feed files (per-source Atom/RSS/JSON Feed, the combined feeds, index.html, OPML)
/// kept in a store that several nodes share, so that any node serves any feed with the same
/// bytes and the same ETag, whichever node wrote it. A store used by one process alone
/// (SQLite) does not need it: its output folder is the only copy.
///
/// Every document change gets a new `version` from one counter for the whole store, so a node
/// asks "what changed after the newest version I know" and nothing more.
public protocol FeedDocumentStore: Sendable {
    /// Stores the documents whose bytes differ from the stored ones (same hash: left alone,
    /// no new version), each only while its `fence` is current; tells the other nodes (NOTIFY)
    /// when anything changed.
    @discardableResult
    func saveDocuments(_ documents: [FeedDocument]) async throws(StorageError) -> DocumentSaveReport
    /// Name, hash and version of every document changed after `version` (0: all of them).
    func documentHeads(after version: Int64) async throws(StorageError) -> [FeedDocumentHead]
    /// One document with its bytes; nil when the store has none of that name.
    func document(named name: String) async throws(StorageError) -> StoredFeedDocument?
    /// Calls `onEvent` when another node (or this one) stored documents, from a connection of
    /// its own that is opened again `retryDelay` after it drops. Stop the watch when done.
    func watchDocuments(retryDelay: TimeInterval, _ onEvent: @escaping @Sendable (DocumentWatchEvent) -> Void) -> any DocumentWatch

    /// Records (or refreshes) what `feeds/` holds on one node.
    func saveNodeCatalog(_ catalog: NodeCatalog) async throws(StorageError)
    /// The catalogs of the nodes heard from within `freshness` seconds (a stopped node drops out).
    func nodeCatalogs(seenWithin freshness: TimeInterval) async throws(StorageError) -> [NodeCatalog]
}

/// A rendered file to store: its name in the output folder, its bytes and their hash, and the
/// lease it is written under (nil: a document no single lease owns, such as the combined feeds).
public struct FeedDocument: Sendable, Hashable {
    public var name: String
    public var body: [UInt8]
    public var hash: String
    public var modified: Date
    public var fence: WriteFence?

    public init(name: String, body: [UInt8], hash: String, modified: Date, fence: WriteFence? = nil) {
        self.name = name
        self.body = body
        self.hash = hash
        self.modified = modified
        self.fence = fence
    }
}

/// What a store knows of a document without its bytes.
public struct FeedDocumentHead: Sendable, Hashable {
    public var name: String
    public var hash: String
    public var version: Int64
    /// When the bytes last changed (the Last-Modified of the file).
    public var modified: Date

    public init(name: String, hash: String, version: Int64, modified: Date) {
        self.name = name
        self.hash = hash
        self.version = version
        self.modified = modified
    }
}

/// A document as stored.
public struct StoredFeedDocument: Sendable, Hashable {
    public var head: FeedDocumentHead
    public var body: [UInt8]

    public init(head: FeedDocumentHead, body: [UInt8]) {
        self.head = head
        self.body = body
    }
}

/// What `saveDocuments` did.
public struct DocumentSaveReport: Sendable, Hashable {
    /// Documents stored with new bytes, at their new versions.
    public var stored: [FeedDocumentHead] = []
    /// Documents whose stored bytes were the same already.
    public var unchanged: [String] = []
    /// Documents refused because their lease was claimed again since (`WriteFence`).
    public var fenced: [String] = []

    public init(stored: [FeedDocumentHead] = [], unchanged: [String] = [], fenced: [String] = []) {
        self.stored = stored
        self.unchanged = unchanged
        self.fenced = fenced
    }
}

/// What a document watch reports.
public enum DocumentWatchEvent: Sendable, Hashable {
    /// The watch listens (first time, or again after a drop): changes made while it did not
    /// are not reported, so look for them once.
    case listening
    /// Documents were stored.
    case changed
    /// The watch's connection is gone (with the cause); it tries again after its retry delay.
    case lost(String)
}

/// A running watch of document changes.
public protocol DocumentWatch: Sendable {
    var isListening: Bool { get }
    /// Ends the watch and closes its connection; no event is reported after it returns.
    func stop()
}

/// What one node's `feeds/` folder holds: a hash of its files, and how many sources parsed.
public struct NodeCatalog: Sendable, Hashable, Codable {
    public var node: String
    public var hash: String
    public var sourceCount: Int
    /// When the node last said so (set by the store).
    public var seenAt: Date

    public init(node: String, hash: String, sourceCount: Int, seenAt: Date = Date()) {
        self.node = node
        self.hash = hash
        self.sourceCount = sourceCount
        self.seenAt = seenAt
    }
}
