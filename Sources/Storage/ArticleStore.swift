import Foundation
import TidingsCore

/// The state behind the feeds. SQLite is the embedded default; the protocol is async and
/// every write of a refresh takes a fencing token, so that a store shared by several nodes
/// (PostgreSQL, with host leases) can refuse a node whose lease was taken over.
///
/// Writes that change a source's entries bump that source's feed version in the same
/// transaction, so publishing can tell which feeds are stale without reading any entry.
public protocol ArticleStore: Sendable {
    // MARK: Articles

    /// Which of `urls` are known for this source (under any variant recorded for an entry).
    func knownURLs(_ urls: [String], sourceID: String) async throws(StorageError) -> Set<String>
    /// Stores newly extracted articles in one transaction, minting each entry id from the
    /// canonical URL the first time; a known article keeps its id and `updated` unless its
    /// text changed significantly. Each article's `identity` (Discovery's `ArticleIdentity.key`)
    /// decides which entry it is: it replaces the entry stored under the same identity and no
    /// other, so an alias shared by two articles never merges them. Returns the entries in the
    /// order given.
    @discardableResult
    func save(_ articles: [ArticleToSave], sourceID: String, fence: WriteFence?) async throws(StorageError) -> [FeedEntry]
    /// The newest `limit` entries of a source that still have their body, newest first.
    func entries(sourceID: String, limit: Int) async throws(StorageError) -> [FeedEntry]
    /// The entries with these keys that still have their body, in no particular order.
    func entries(keys: [EntryKey]) async throws(StorageError) -> [FeedEntry]
    /// Entries of the source, with or without a body.
    func entryCount(sourceID: String) async throws(StorageError) -> Int

    // MARK: Fetching state

    func fetchState(sourceID: String, url: String) async throws(StorageError) -> FetchState?
    func saveFetchState(_ state: FetchState, fence: WriteFence?) async throws(StorageError)
    func health(sourceID: String) async throws(StorageError) -> SourceHealth
    /// Every source's stored health (a daemon loads it once at start).
    func allHealth() async throws(StorageError) -> [String: SourceHealth]
    func saveHealth(_ health: SourceHealth, sourceID: String, fence: WriteFence?) async throws(StorageError)
    /// A robots.txt answer kept across runs (RFC 9309 §2.4 allows 24 hours).
    func robotsRecord(origin: String) async throws(StorageError) -> StoredRobotsAnswer?
    func saveRobotsRecord(_ record: StoredRobotsAnswer) async throws(StorageError)

    // MARK: Publishing

    /// Every source's publishing record (versions, signature, what its feed showed).
    func feedRecords() async throws(StorageError) -> [String: FeedRecord]
    /// The newest `limit` entries of a source with the feed version they make up, read together.
    func feedSnapshot(sourceID: String, limit: Int) async throws(StorageError) -> FeedSnapshot
    /// Records that these sources' feeds were written, each at its `version` with its `signature`.
    func markPublished(_ records: [FeedRecord], fence: WriteFence?) async throws(StorageError)
    /// The newest entries over all `keep`'s sources, each source cut at its own keep (one
    /// entry per source and id), at most `limit`: the candidates of the combined feed. No bodies.
    func combinedCandidates(keep: [String: Int], limit: Int) async throws(StorageError) -> [EntryHead]

    // MARK: Upkeep

    /// Drops the bodies of entries ranked past `keep + margin` in their source that were first
    /// seen before `before`, and gives the freed pages back to the file system.
    func applyRetention(keep: [String: Int], margin: @Sendable (Int) -> Int, before: Timestamp) async throws(StorageError) -> RetentionReport
    /// Throws `.stateLost` when the state folder or database was deleted or replaced under us.
    func verifyIntact() throws(StorageError)
}

extension ArticleStore {
    /// Whether an article was already stored for this source under this URL (any variant seen).
    public func knowsArticle(url: String, sourceID: String) async throws(StorageError) -> Bool {
        try await knownURLs([url], sourceID: sourceID).contains(url)
    }

    /// Stores one article (see the batch `save`); `identity` nil: its canonical URL.
    @discardableResult
    public func save(_ article: Article, sourceID: String, seenAt: Timestamp, identity: String? = nil, alsoKnownAs: [String],
                     fence: WriteFence? = nil) async throws(StorageError) -> FeedEntry {
        let item = ArticleToSave(article, seenAt: seenAt, identity: identity, alsoKnownAs: alsoKnownAs)
        let saved = try await save([item], sourceID: sourceID, fence: fence)
        guard let entry = saved.first else { throw StorageError(operation: "save \(article.url.absoluteString)", message: "nothing was stored") }
        return entry
    }

    public func saveFetchState(_ state: FetchState) async throws(StorageError) {
        try await saveFetchState(state, fence: nil)
    }

    public func saveHealth(_ health: SourceHealth, sourceID: String) async throws(StorageError) {
        try await saveHealth(health, sourceID: sourceID, fence: nil)
    }
}

/// An extracted article to store, with when it was seen, the identity that picks its entry
/// and the other URLs `knownURLs` will find it by.
public struct ArticleToSave: Sendable {
    public var article: Article
    public var seenAt: Timestamp
    public var identity: String
    public var alsoKnownAs: [String]

    /// `identity` nil: the article's canonical URL.
    public init(_ article: Article, seenAt: Timestamp, identity: String? = nil, alsoKnownAs: [String]) {
        self.article = article
        self.seenAt = seenAt
        self.identity = identity ?? article.canonicalURL.absoluteString
        self.alsoKnownAs = alsoKnownAs
    }
}

/// The lease a write is made under, when several nodes share a store: the store accepts it
/// only while `token` is the lease's current one. A store used by one process alone ignores it.
public struct WriteFence: Sendable, Hashable {
    public var lease: String
    public var token: Int64

    public init(lease: String, token: Int64) {
        self.lease = lease
        self.token = token
    }
}

/// One stored entry: entries are kept per source, so two sources may hold the same id.
public struct EntryKey: Sendable, Hashable {
    public var sourceID: String
    public var id: String

    public init(sourceID: String, id: String) {
        self.sourceID = sourceID
        self.id = id
    }
}

/// What choosing the combined window needs of an entry, without its body.
public struct EntryHead: Sendable, Hashable {
    public var key: EntryKey
    /// `FeedEntry.sortTime`, `firstSeen` and `updated`, in seconds since 1970.
    public var sortTime: Double
    public var firstSeen: Double
    public var updated: Double
    public var fingerprint: UInt64?
    public var canonicalURL: String
    /// Bumped each time the entry's stored article changes: a rendering made at an older
    /// revision is stale.
    public var revision: Int64

    public init(key: EntryKey, sortTime: Double, firstSeen: Double, updated: Double, fingerprint: UInt64?,
                canonicalURL: String, revision: Int64) {
        self.key = key
        self.sortTime = sortTime
        self.firstSeen = firstSeen
        self.updated = updated
        self.fingerprint = fingerprint
        self.canonicalURL = canonicalURL
        self.revision = revision
    }
}

/// A source's feed as stored at one moment.
public struct FeedSnapshot: Sendable {
    public var entries: [FeedEntry]
    /// The source's feed version these entries make up.
    public var version: Int64

    public init(entries: [FeedEntry], version: Int64) {
        self.entries = entries
        self.version = version
    }
}

/// What publishing remembers of a source's feeds.
public struct FeedRecord: Sendable, Hashable {
    public var sourceID: String
    /// Bumped by every write that changes the source's entries.
    public var version: Int64
    /// The version the feeds were last written at (nil: never).
    public var publishedVersion: Int64?
    /// A digest of the source definition and renderer the feeds were last written with.
    public var signature: String?
    /// Entries in the feed as last written, and its newest one (for the index page).
    public var entryCount: Int
    public var newestTitle: String?
    public var newestLink: String?

    public init(sourceID: String, version: Int64 = 0, publishedVersion: Int64? = nil, signature: String? = nil,
                entryCount: Int = 0, newestTitle: String? = nil, newestLink: String? = nil) {
        self.sourceID = sourceID
        self.version = version
        self.publishedVersion = publishedVersion
        self.signature = signature
        self.entryCount = entryCount
        self.newestTitle = newestTitle
        self.newestLink = newestLink
    }
}
/// What one pass of retention did.
public struct RetentionReport: Sendable, Hashable {
    public var bodiesDropped: Int
    /// Database pages given back to the file system.
    public var pagesFreed: Int

    public init(bodiesDropped: Int = 0, pagesFreed: Int = 0) {
        self.bodiesDropped = bodiesDropped
        self.pagesFreed = pagesFreed
    }
}

/// Validators and body hash of a source's last complete fetch of one URL (conditional GET).
/// Kept per source: two sources reading one page each need their own "unchanged since".
public struct FetchState: Sendable, Hashable, Codable {
    public var sourceID: String
    public var url: String
    public var etag: String?
    public var lastModified: String?
    public var bodyHash: String?
    public var fetchedAt: Timestamp

    public init(sourceID: String, url: String, etag: String?, lastModified: String?, bodyHash: String?, fetchedAt: Timestamp) {
        self.sourceID = sourceID
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.bodyHash = bodyHash
        self.fetchedAt = fetchedAt
    }
}
