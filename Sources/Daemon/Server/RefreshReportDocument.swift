import Foundation
import Refresh
import TidingsCore

/// A `RefreshReport` as JSON: times as RFC 3339 text, so people and scripts can read it.
public struct RefreshReportDocument: Sendable, Codable, Hashable {
    public struct Issue: Sendable, Codable, Hashable {
        public var kind: String
        public var url: String?
        public var message: String
    }

    public var source: String
    public var ok: Bool
    public var sourceFailed: Bool
    public var startedAt: String
    public var finishedAt: String
    /// Seconds the refresh took (the times above are whole seconds). Optional so that a newer
    /// client can read an older daemon's answer.
    public var durationSeconds: Double?
    public var linksFound: Int
    public var newArticles: Int
    public var pagesFetched: Int
    /// Optional so that a newer client can read an older daemon's answer.
    public var bytesFetched: Int?
    public var retryAfter: Double?
    public var issues: [Issue]

    public init(_ report: RefreshReport) {
        source = report.sourceID
        ok = report.isClean
        sourceFailed = report.sourceFailed
        startedAt = report.startedAt.rfc3339
        finishedAt = report.finishedAt.rfc3339
        durationSeconds = (max(0, report.finishedAt.date.timeIntervalSince(report.startedAt.date)) * 1000).rounded() / 1000
        linksFound = report.linksFound
        newArticles = report.newArticles
        pagesFetched = report.pagesFetched
        bytesFetched = report.bytesFetched
        retryAfter = report.retryAfter
        issues = report.issues.map { Issue(kind: $0.kind.name, url: $0.url, message: $0.message) }
    }

    /// Back to the pipeline's type (for `tidings refresh` printing a daemon's answer).
    public var report: RefreshReport {
        let started = Timestamp(rfc3339: startedAt) ?? .now()
        // RFC 3339 text keeps whole seconds; the duration keeps the span of a short refresh.
        let finished = durationSeconds.map { Timestamp(date: started.date.addingTimeInterval($0), offsetSeconds: 0) }
            ?? Timestamp(rfc3339: finishedAt) ?? .now()
        return RefreshReport(sourceID: source, startedAt: started, finishedAt: finished,
                             linksFound: linksFound, newArticles: newArticles, pagesFetched: pagesFetched, bytesFetched: bytesFetched ?? 0,
                             issues: issues.compactMap { issue in
                                 IssueKind(name: issue.kind).map { RefreshIssue(sourceID: source, url: issue.url, kind: $0, message: issue.message) }
                             },
                             sourceFailed: sourceFailed, retryAfter: retryAfter)
    }
}
