import Foundation
import Refresh

/// Someone waiting for a source's run: a caller's continuation, or one place in a batch.
struct RunWaiter: Sendable {
    private let deliver: @Sendable (RefreshReport?) -> Void

    init(_ continuation: CheckedContinuation<RefreshReport?, Never>) {
        deliver = { continuation.resume(returning: $0) }
    }

    init(_ deliver: @escaping @Sendable (RefreshReport?) -> Void) {
        self.deliver = deliver
    }

    /// Called once: with the run's report, or nil (the source was removed, the daemon stops).
    func resume(returning report: RefreshReport?) { deliver(report) }
}

/// The reports of a known number of runs, handed over at once when the last arrives, in
/// source order; runs that end without a report (nil) count but are left out.
// @unchecked Sendable: `reports` and `remaining` are touched only under `lock`.
final class ReportBatch: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [RefreshReport] = []
    private var remaining: Int
    private var done: (([RefreshReport]) -> Void)?

    /// `done` is called once, on the thread of the last `add` (at once when `count` is 0).
    init(expecting count: Int, done: @escaping ([RefreshReport]) -> Void) {
        remaining = count
        self.done = done
        if count <= 0 { finish() }
    }

    @Sendable func add(_ report: RefreshReport?) {
        let isLast: Bool = lock.withLock {
            if let report { reports.append(report) }
            remaining -= 1
            return remaining == 0
        }
        if isLast { finish() }
    }

    private func finish() {
        let (reports, done): ([RefreshReport], (([RefreshReport]) -> Void)?) = lock.withLock {
            defer { self.done = nil; self.reports = [] }
            return (self.reports, self.done)
        }
        done?(reports.sorted { $0.sourceID < $1.sourceID })
    }
}
