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
            fflush(nil)
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

