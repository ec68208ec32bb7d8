/// How a source has fared lately: shown on the index page and in status.
public struct SourceHealth: Sendable, Hashable, Codable {
    public var lastAttempt: Timestamp?
    public var lastSuccess: Timestamp?
    /// The cause of the last failure, cleared by a success.
    public var lastError: String?
    /// The kind of that failure (`fetch.timeout`), for status and the index page.
    public var lastErrorKind: IssueKind?
    public var consecutiveFailures: Int
    /// Runs in a row that found no article links (the site may have changed its layout).
    public var consecutiveEmptyRuns: Int
    public var articlesFoundLastRun: Int

    /// A source that found nothing this many runs in a row is considered broken.
    public static let emptyRunsBeforeBroken = 3

    public init(lastAttempt: Timestamp? = nil, lastSuccess: Timestamp? = nil, lastError: String? = nil,
                consecutiveFailures: Int = 0, consecutiveEmptyRuns: Int = 0, articlesFoundLastRun: Int = 0) {
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.consecutiveEmptyRuns = consecutiveEmptyRuns
        self.articlesFoundLastRun = articlesFoundLastRun
    }

    public var isBroken: Bool { consecutiveEmptyRuns >= Self.emptyRunsBeforeBroken }
    public var isFailing: Bool { consecutiveFailures > 0 }
}
