import Foundation
import Logging
import Refresh
import TidingsCore
@testable import Daemon

/// A refresh pipeline without a network: sources come from a settable catalog, each refresh
/// can be held open until the test lets it go, and every call is counted.
final class FakeRefreshService: RefreshService, @unchecked Sendable {
    // Invariant: every var is accessed only while `lock` is held.
    private let lock = NSLock()
    private var catalog: Catalog
    private var holding = false
    private var held: [CheckedContinuation<Void, Never>] = []
    private var runningPerSource: [String: Int] = [:]
    private(set) var peakPerSource: [String: Int] = [:]
    private(set) var refreshCount: [String: Int] = [:]
    private(set) var published: [String] = []
    private(set) var catalogPublications = 0
    private(set) var maintenanceRuns = 0
    private(set) var cancelledRuns = 0
    var failingSources: Set<String> = []
    /// What publishing reports from now on: feeds kept back, or a failure to throw.
    var publishProblems: [String] = []
    var publishFailure: String?
    /// Failures in a row that stored health reports for a source (as after a restart).
    var storedFailures: [String: Int] = [:]
    private(set) var healthReads = 0
    /// What stored health reports as every source's last attempt: set it to now and the
    /// scheduler waits a full interval before each source's first run, instead of a random
    /// part of one (a run that a test did not ask for).
    let lastAttemptAtStart: Timestamp?
    private var startedWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var totalStarted = 0

    init(sources: [Source], errors: [CatalogError] = [], lastAttemptAtStart: Timestamp? = nil) {
        catalog = Catalog(sources: sources, errors: errors)
        self.lastAttemptAtStart = lastAttemptAtStart
    }

    func setCatalog(_ sources: [Source], errors: [CatalogError] = []) {
        locked { catalog = Catalog(sources: sources, errors: errors) }
    }

    /// From now on refreshes wait in `refresh` until `release()` (or until cancelled).
    func hold() { locked { holding = true } }

    func release() {
        let waiting: [CheckedContinuation<Void, Never>] = locked {
            holding = false
            defer { held = [] }
            return held
        }
        waiting.forEach { $0.resume() }
    }

    /// Returns once `count` refreshes have started in all.
    func waitForStarts(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = locked { () -> Bool in
                if totalStarted >= count { return true }
                startedWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func counts() -> (refreshes: [String: Int], peak: [String: Int], published: [String]) {
        locked { (refreshCount, peakPerSource, published) }
    }

    func loadCatalog() -> Catalog { locked { catalog } }

    func refresh(_ source: Source) async -> RefreshReport {
        let started = Timestamp.now()
        let (mustWait, ready) = locked { () -> (Bool, [CheckedContinuation<Void, Never>]) in
            refreshCount[source.id, default: 0] += 1
            runningPerSource[source.id, default: 0] += 1
            peakPerSource[source.id] = max(peakPerSource[source.id] ?? 0, runningPerSource[source.id]!)
            totalStarted += 1
            let ready = startedWaiters.filter { $0.count <= totalStarted }.map(\.continuation)
            startedWaiters.removeAll { $0.count <= totalStarted }
            return (holding, ready)
        }
        ready.forEach { $0.resume() }
        if mustWait {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let stillHolding = locked { () -> Bool in
                        if holding && !Task.isCancelled { held.append(continuation); return true }
                        return false
                    }
                    if !stillHolding { continuation.resume() }
                }
            } onCancel: {
                self.locked { self.cancelledRuns += 1 }
                self.release()
            }
        }
        let fails = locked { () -> Bool in
            runningPerSource[source.id, default: 1] -= 1
            return failingSources.contains(source.id)
        }
        return RefreshReport(sourceID: source.id, startedAt: started, finishedAt: .now(),
                             linksFound: 3, newArticles: fails ? 0 : 1, pagesFetched: fails ? 1 : 4, bytesFetched: fails ? 0 : 4 * 20_000,
                             issues: fails ? [RefreshIssue(sourceID: source.id, url: source.url.absoluteString,
                                                           kind: IssueKind(.fetch, "http"), message: "HTTP 503")] : [],
                             sourceFailed: fails, retryAfter: nil)
    }

    func publishFeeds(of sources: [Source], catalogChanged: Bool) async throws -> [String] {
        locked {
            published.append(sources.map(\.id).joined(separator: ","))
            if catalogChanged { catalogPublications += 1 }
        }
        let (problems, failure) = locked { (publishProblems, publishFailure) }
        if let failure { throw FakePublishError(message: failure) }
        return problems
    }

    func maintain(_ sources: [Source]) async throws {
        locked { maintenanceRuns += 1 }
    }

    func health(of sourceID: String) -> SourceHealth {
        locked {
            healthReads += 1
            let failures = storedFailures[sourceID] ?? 0
            return SourceHealth(lastAttempt: lastAttemptAtStart, lastError: failures > 0 ? "HTTP 503" : nil, consecutiveFailures: failures)
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

struct FakePublishError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

func testSource(_ id: String, every: TimeInterval = 3600, url: String? = nil) -> Source {
    Source(id: id, title: "Title of \(id)", url: URL(string: url ?? "https://news.example.com/\(id)/")!, every: every)
}

func quietLogger() -> Logger {
    var logger = Logger(label: "tidings.test")
    logger.logLevel = .critical
    return logger
}
