import Foundation
import TidingsCore

/// One problem met while refreshing a source; the run goes on after it.
public struct RefreshIssue: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var sourceID: String
    /// The URL concerned (listing page or article), when there is one.
    public var url: String?
    /// What kind of problem, with the stable name metrics and status use (`fetch.timeout`).
    public var kind: IssueKind
    /// The text for people (`RefreshIssue+Errors` writes it from the error).
    public var message: String

    public init(sourceID: String, url: String?, kind: IssueKind, message: String) {
        self.sourceID = sourceID
        self.url = url
        self.kind = kind
        self.message = message
    }

    public var description: String {
        // Fetch errors already name their URL; don't print it twice.
        guard let url, !message.contains(url) else { return "[\(sourceID)] \(message)" }
        return "[\(sourceID)] \(url): \(message)"
    }
}

/// What one refresh of one source did.
public struct RefreshReport: Sendable, Codable {
    public var sourceID: String
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    /// Article links found on the listing page (or feed).
    public var linksFound: Int
    /// Articles fetched, extracted and stored for the first time in this run.
    public var newArticles: Int
    /// Pages fetched over the network or from disk in this run.
    public var pagesFetched: Int
    /// Body bytes of the pages received in this run, after content decoding.
    public var bytesFetched: Int
    public var issues: [RefreshIssue]
    /// True when the source itself could not be read (listing page failed): nothing was refreshed.
    public var sourceFailed: Bool
    /// Seconds the site asked us to wait (Retry-After), when it did.
    public var retryAfter: TimeInterval?
    /// The listing page answered 304: nothing new, and no sign of a broken source.
    public var listingUnchanged: Bool = false

    public init(sourceID: String, startedAt: Timestamp, finishedAt: Timestamp, linksFound: Int = 0, newArticles: Int = 0,
                pagesFetched: Int = 0, bytesFetched: Int = 0, issues: [RefreshIssue] = [], sourceFailed: Bool = false,
                retryAfter: TimeInterval? = nil) {
        self.sourceID = sourceID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.linksFound = linksFound
        self.newArticles = newArticles
        self.pagesFetched = pagesFetched
        self.bytesFetched = bytesFetched
        self.issues = issues
        self.sourceFailed = sourceFailed
        self.retryAfter = retryAfter
    }

    /// Success: read the source and every new article without a problem.
    public var isClean: Bool { !sourceFailed && issues.isEmpty }
}
