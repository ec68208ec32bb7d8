import Foundation
import Refresh

/// Prints one line per source: a live "n/total" line on a terminal, plain lines otherwise.
struct ProgressPrinter {
    let total: Int
    var done = 0
    let isTerminal = isatty(STDOUT_FILENO) == 1

    init(total: Int) { self.total = total }

    mutating func starting(_ sourceID: String) {
        if isTerminal {
            print("\u{1B}[2K\r[\(done + 1)/\(total)] refreshing \(sourceID)…", terminator: "")
            fflush(stdout)
        }
    }

    mutating func finished(_ report: RefreshReport) {
        done += 1
        if isTerminal { print("\u{1B}[2K\r", terminator: "") }
        let state = report.sourceFailed ? "FAILED" : (report.issues.isEmpty ? "ok" : "partial")
        print("[\(done)/\(total)] \(report.sourceID): \(state), \(report.linksFound) links, \(report.newArticles) new, \(report.issues.count) problems")
        for issue in report.issues { printError("error: \(issue)") }
    }
}

/// The closing line and exit status of a refresh.
struct RunSummary {
    let reports: [RefreshReport]
    let catalogErrors: Int

    var failedSources: Int { reports.filter(\.sourceFailed).count }
    var problems: Int { reports.reduce(0) { $0 + $1.issues.count } + catalogErrors }

    /// 0 = all well, 1 = partial failure, 2 = every source failed.
    var exitStatus: Int32 {
        if !reports.isEmpty && failedSources == reports.count { return 2 }
        return problems > 0 ? 1 : 0
    }

    func line(outputDirectory: URL) -> String {
        let new = reports.reduce(0) { $0 + $1.newArticles }
        return "\(reports.count) sources refreshed, \(new) new articles, \(problems) problems; feeds in \(outputDirectory.path) (open index.html)"
    }
}
