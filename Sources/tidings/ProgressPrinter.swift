import Foundation
import Refresh

/// Prints one line per source as it finishes; on a terminal also a live line naming the
/// sources still being refreshed.
struct ProgressPrinter {
    let total: Int
    var done = 0
    var running: [String] = []
    let isTerminal = isatty(STDOUT_FILENO) == 1
    /// Sources named on the live line; the rest are counted.
    static let namesShown = 3

    init(total: Int) { self.total = total }

    mutating func starting(_ sourceID: String) {
        running.append(sourceID)
        showLiveLine()
    }

    mutating func finished(_ report: RefreshReport) {
        done += 1
        running.removeAll { $0 == report.sourceID }
        if isTerminal { print("\u{1B}[2K\r", terminator: "") }
        let state = report.sourceFailed ? "FAILED" : (report.issues.isEmpty ? "ok" : "partial")
        let seconds = max(0, report.finishedAt.date.timeIntervalSince(report.startedAt.date))
        print("[\(done)/\(total)] \(report.sourceID): \(state), \(report.linksFound) links, \(report.newArticles) new, "
              + "\(report.issues.count) problems, \(String(format: "%.1f", seconds)) s")
        for issue in report.issues { printError("error: \(issue)") }
        showLiveLine()
    }

    private func showLiveLine() {
        guard isTerminal, !running.isEmpty else { return }
        var names = running.prefix(Self.namesShown).joined(separator: ", ")
        if running.count > Self.namesShown { names += " and \(running.count - Self.namesShown) more" }
        print("\u{1B}[2K\r[\(done)/\(total)] refreshing \(names)…", terminator: "")
        fflush(nil)
    }
}
