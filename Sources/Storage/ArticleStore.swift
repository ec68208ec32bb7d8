import Foundation
import TidingsCore

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

/// The state behind the feeds. SQLite by default; a protocol so another database can serve later.
public protocol ArticleStore: Sendable {
    /// Whether an article was already stored for this source under this URL (any variant seen).
    func knowsArticle(url: String, sourceID: String) throws(StorageError) -> Bool
    /// Stores a newly extracted article, minting its entry id from the canonical URL the first
    /// time; a known article keeps its id and `updated` unless its text changed significantly.
    /// `identity` (Discovery's `ArticleIdentity.key`) decides which entry it is: the article
    /// replaces the entry stored under the same identity and no other, so an alias shared by
    /// two articles never merges them. `alsoKnownAs` are URLs `knowsArticle` will find it by.
    @discardableResult
    func save(_ article: Article, sourceID: String, seenAt: Timestamp, identity: String,
              alsoKnownAs: [String]) throws(StorageError) -> FeedEntry
    /// The newest `limit` entries of a source, newest first.
    func entries(sourceID: String, limit: Int) throws(StorageError) -> [FeedEntry]
    func entryCount(sourceID: String) throws(StorageError) -> Int
    func fetchState(sourceID: String, url: String) throws(StorageError) -> FetchState?
    func saveFetchState(_ state: FetchState) throws(StorageError)
    func health(sourceID: String) throws(StorageError) -> SourceHealth
    func saveHealth(_ health: SourceHealth, sourceID: String) throws(StorageError)
}

extension ArticleStore {
    /// `save` with the canonical URL as the identity.
    @discardableResult
    public func save(_ article: Article, sourceID: String, seenAt: Timestamp, alsoKnownAs: [String]) throws(StorageError) -> FeedEntry {
        try save(article, sourceID: sourceID, seenAt: seenAt, identity: article.canonicalURL.absoluteString, alsoKnownAs: alsoKnownAs)
    }
}

/// A storage failure, naming what was being done.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "state database: \(operation) failed: \(message)" }
}
