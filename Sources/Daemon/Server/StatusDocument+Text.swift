import Foundation
import TidingsCore

extension StatusDocument {
    /// Whether any source is failing or looks broken, or a feeds file is unusable.
    public var hasProblems: Bool {
        !catalogErrors.isEmpty || sources.contains { $0.consecutiveFailures > 0 || $0.isBroken }
    }

    /// What `tidings status` prints: the summary, then one line per source, failing and
    /// broken sources first, each with its last success, next run and last error.
    public func text(now: Date = Date()) -> String {
        var lines = [summary]
        for error in catalogErrors { lines.append("  bad feeds file: \(error)") }
        let ordered = sources.sorted { a, b in
            let (ra, rb) = (Self.rank(a), Self.rank(b))
            return ra != rb ? ra < rb : a.id < b.id
        }
        let width = min(32, ordered.map(\.id.count).max() ?? 0)
        for source in ordered {
            var columns = [source.id.padding(toLength: max(width, source.id.count), withPad: " ", startingAt: 0), Self.state(source)]
            let last = source.lastSuccess.flatMap(Timestamp.init(rfc3339:)).map { "last success " + Self.ago($0.date, now: now) }
            columns.append(last ?? "never succeeded")
            if source.isRunning {
                columns.append("refreshing now")
            } else if let next = source.nextRunInSeconds {
                columns.append("next run in " + DaemonStatus.duration(next))
            }
            var line = "  " + columns.joined(separator: "  ")
            if source.consecutiveFailures > 0 || source.isBroken, let error = source.lastError {
                line += "\n      " + error
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func rank(_ source: SourceEntry) -> Int {
        if source.consecutiveFailures > 0 { return 0 }
        if source.isBroken { return 1 }
        return 2
    }

    static func state(_ source: SourceEntry) -> String {
        if source.consecutiveFailures > 0 {
            return "FAILING (\(source.consecutiveFailures) run\(source.consecutiveFailures == 1 ? "" : "s"))"
        }
        if source.isBroken { return "BROKEN (finds no articles)" }
        return "ok"
    }

    static func ago(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        return seconds < 1 ? "just now" : DaemonStatus.duration(seconds) + " ago"
    }
}
