import Extraction
import Fetching
import Foundation
import Isolation
import Storage
import TidingsCore

/// The one place errors become refresh issues: each module's error keeps its stable case name
/// as the issue's cause and its description as the text people read.
extension RefreshIssue {
    /// A page that could not be fetched: the listing or an article (`.fetch`), or a page that
    /// only helps discovery (`.feed`, `.sitemap`, `.robots`: the refresh goes on without it).
    static func fetching(_ error: FetchError, stage: IssueKind.Stage = .fetch, sourceID: String, url: URL) -> RefreshIssue {
        let message = stage == .fetch ? error.description : "\(stage.rawValue) unusable: \(error.description)"
        return RefreshIssue(sourceID: sourceID, url: url.absoluteString, kind: IssueKind(stage, error.kind), message: message)
    }

    /// A server that answered 304 Not Modified to a request that sent no validators.
    static func unexpectedNotModified(sourceID: String, url: URL) -> RefreshIssue {
        RefreshIssue(sourceID: sourceID, url: url.absoluteString, kind: IssueKind(.fetch, "not_modified"),
                     message: "server answered 304 to an unconditional request")
    }

    /// An article page the extractor refused, with its reason.
    static func extracting(_ failure: ExtractionFailure, sourceID: String, url: URL) -> RefreshIssue {
        RefreshIssue(sourceID: sourceID, url: url.absoluteString, kind: IssueKind(.extract, failure.reason.rawValue),
                     message: failure.description)
    }

    /// A fetched page its reader could not read at all (its worker crashed, hung or could not
    /// be started), at the stage that page was for: an article (`.extract`), the listing
    /// (`.discovery`), the site's feed, a sitemap or robots.txt.
    static func reading(_ failure: PageReadFailure, stage: IssueKind.Stage, sourceID: String) -> RefreshIssue {
        RefreshIssue(sourceID: sourceID, url: failure.url.absoluteString, kind: IssueKind(stage, failure.kind.rawValue),
                     message: failure.description)
    }

    /// The state database failed while handling `url`.
    static func storing(_ error: StorageError, sourceID: String, url: URL?) -> RefreshIssue {
        RefreshIssue(sourceID: sourceID, url: url?.absoluteString, kind: error.issueKind, message: error.description)
    }

    /// A listing that gave no article links, with `tidings discover`'s diagnosis.
    static func noArticleLinks(_ diagnosis: String, sourceID: String, url: URL) -> RefreshIssue {
        RefreshIssue(sourceID: sourceID, url: url.absoluteString, kind: IssueKind(.discovery, "none"), message: diagnosis)
    }
}
