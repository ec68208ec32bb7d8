import Foundation

/// The closing line and exit status of a refresh.
public struct RunSummary: Sendable {
    public let reports: [RefreshReport]
    public let catalogErrors: Int
    /// Feeds that could not be written, or were kept as they were (they would lose entries).
    public let publishProblems: Int

    public init(reports: [RefreshReport], catalogErrors: Int, publishProblems: Int = 0) {
        self.reports = reports
        self.catalogErrors = catalogErrors
        self.publishProblems = publishProblems
    }

    public var failedSources: Int { reports.filter(\.sourceFailed).count }
    public var problems: Int { reports.reduce(0) { $0 + $1.issues.count } + catalogErrors + publishProblems }

    /// 0 = all well, 1 = partial failure, 2 = every source failed.
    public var exitStatus: Int32 {
        if !reports.isEmpty && failedSources == reports.count { return 2 }
        return problems > 0 ? 1 : 0
    }

    public func line(outputDirectory: URL) -> String {
        let new = reports.reduce(0) { $0 + $1.newArticles }
        return "\(reports.count) sources refreshed, \(new) new articles, \(problems) problems; feeds in \(outputDirectory.path) (open index.html)"
    }
}
