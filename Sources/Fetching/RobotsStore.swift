import Foundation

/// Where robots.txt answers outlive the process, so that a `tidings refresh` run does not
/// ask every site again each time (RFC 9309 §2.4: a cached answer may serve for 24 hours).
public protocol RobotsStore: Sendable {
    /// The answer kept for `origin` (scheme, host and port), if any, however old.
    func answer(origin: String) async -> StoredRobotsAnswer?
    func keep(_ answer: StoredRobotsAnswer) async
}

/// An origin's robots.txt as it answered: the HTTP status and, for 2xx, the body.
public struct StoredRobotsAnswer: Sendable, Hashable {
    public var origin: String
    public var status: Int
    public var body: String
    public var fetchedAt: Date

    public init(origin: String, status: Int, body: String, fetchedAt: Date) {
        self.origin = origin
        self.status = status
        self.body = body
        self.fetchedAt = fetchedAt
    }
}
