import Foundation

/// An origin's robots.txt as it answered, as the fetcher keeps it and the store holds it: the
/// HTTP status and, for 2xx, the body (2xx: rules, 4xx: none, 5xx: keep out).
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
