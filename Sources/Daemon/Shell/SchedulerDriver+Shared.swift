import Dispatch
import Foundation
import Logging
import Refresh
import Storage
import TidingsCore

/// The driver's state when several nodes share the store. Touched only on the driver's queue.
// @unchecked Sendable: every property is read and written on the scheduler queue only.
final class SharedMode: @unchecked Sendable {
    let work: any SharedWork
    let node: NodeConfiguration
    /// Hosts this node holds now, by host.
    var claims: [String: HostClaim] = [:]
    /// Claims the heartbeat found taken over: their remaining sources are left to the new owner.
    var lost = Set<WriteFence>()
    var isClaiming = false
    /// Something asked for a claim while one was being made: claim again at once after it.
    var claimAgain = false
    var runningSources = Set<String>()
    var isRegistered = false
    /// The catalog must be (re)entered into the shared schedule.
    var needsScheduling = true
    var isBeating = false
    var isPolling = false
    /// When the next claim is tried, on the monotonic clock (status line).
    var nextClaimAt: Double?
    var listener: (any RequestListening)?
    var claimTimer: DispatchSourceTimer?
    var heartbeatTimer: DispatchSourceTimer?
    var waiterTimer: DispatchSourceTimer?

    init(work: any SharedWork, node: NodeConfiguration) {
        self.work = work
        self.node = node
    }

    /// Between claims while nothing is due, at most this long: work that becomes due on a
    /// host another node just released is found this soon (NOTIFY wakes nodes for requests).
    var pollInterval: TimeInterval { min(5, node.leaseDuration / 3) }

    func stop() {
        claimTimer?.cancel()
        heartbeatTimer?.cancel()
        waiterTimer?.cancel()
        listener?.stop()
    }
}

/// Several nodes on one store: instead of its own due queue, the driver claims hosts from the
/// shared schedule (all due sources of one host per claim), refreshes their sources one after
/// another under the claim's fence, renews its claims by heartbeat, and ends each claim by
/// writing the sources' next due times. The local `Scheduler` still gives limits and arithmetic.
extension SchedulerDriver {
    /// Sources a claim brought that this node's catalog lacks are looked at again this much later.
    static let unknownSourceDelay: TimeInterval = 300
    /// How often callers waiting for a refresh another node may do look whether it was done.
    static let waiterPollInterval: TimeInterval = 0.5
    /// After a failed claim (the store unreachable), the next try comes this much later.
    static let claimRetryDelay: TimeInterval = 1

    var activeRuns: Int { scheduler.runningCount + (shared?.runningSources.count ?? 0) }

    /// Arms the claim, heartbeat and waiter timers and starts listening (scheduler queue).
    func startShared(_ shared: SharedMode) {
        let claimTimer = DispatchSource.makeTimerSource(queue: queue)
        claimTimer.setEventHandler { @Sendable [weak self] in self?.claimMore() }
        claimTimer.schedule(deadline: .distantFuture)
        claimTimer.resume()
        shared.claimTimer = claimTimer
        let heartbeat = DispatchSource.makeTimerSource(queue: queue)
        heartbeat.schedule(deadline: .now(), repeating: shared.node.leaseDuration / 3, leeway: .milliseconds(100))
        heartbeat.setEventHandler { @Sendable [weak self] in self?.sharedBeat() }
        heartbeat.resume()
        shared.heartbeatTimer = heartbeat
        let waiters = DispatchSource.makeTimerSource(queue: queue)
        waiters.schedule(deadline: .now() + Self.waiterPollInterval, repeating: Self.waiterPollInterval, leeway: .milliseconds(100))
        waiters.setEventHandler { @Sendable [weak self] in self?.pollWaiters() }
        waiters.resume()
        shared.waiterTimer = waiters
        shared.listener = shared.work.listenForRequests { [weak self] in
            guard let self else { return }
            self.queue.async { self.claimMore() }
        }
        logger.info("sharing the store with other nodes", metadata: ["node": "\(shared.node.id)",
                                                                  "lease": "\(shared.node.leaseDuration)s"])
    }

    /// The node's heartbeat: registration and the catalog first, then renewal of its claims
    /// and a fresh view of the nodes for the status pages. A failure marks the store unreachable.
    func sharedBeat() {
        guard let shared, !shared.isBeating else { return }
        shared.isBeating = true
        let claims = Array(shared.claims.values)
        let toSchedule: [ScheduledSource]? = shared.needsScheduling ? sortedSources.map {
            ScheduledSource(sourceID: $0.id, host: HostSpread.host(of: $0), firstDelay: scheduler.firstRunDelay(every: $0.every))
        } : nil
        let registered = shared.isRegistered
        let node = shared.node
        let work = shared.work
        Task { [weak self] in
            guard let self else { return }
            do throws(StorageError) {
                if !registered {
                    try await work.registerNode(node.id, description: "pid \(ProcessInfo.processInfo.processIdentifier), tidings \(TidingsVersion.current)")
                }
                if let toSchedule { try await work.scheduleSources(toSchedule) }
                let kept = try await work.heartbeat(node: node.id, claims: claims, leaseFor: node.leaseDuration)
                let overview = try? await work.overview()
                self.queue.async { self.beatAnswered(kept: kept, sent: claims, scheduled: toSchedule != nil, overview: overview) }
            } catch {
                self.queue.async {
                    shared.isBeating = false
                    self.storeFailed(error, while: "heartbeat")
                }
            }
        }
    }

    private func beatAnswered(kept: [HostClaim], sent: [HostClaim], scheduled: Bool, overview: SharedWorkOverview?) {
        guard let shared else { return }
        shared.isBeating = false
        shared.isRegistered = true
        if scheduled { shared.needsScheduling = false }
        let keptFences = Set(kept.map(\.fence))
        for claim in sent where !keptFences.contains(claim.fence) && shared.claims[claim.host]?.fence == claim.fence {
            shared.lost.insert(claim.fence)
            logger.warning("lease lost: another node took the host over; this node stops writing for it",
                           metadata: ["host": "\(claim.host)", "token": "\(claim.fence.token)"])
        }
        storeAnswered()
        snapshot.withLock {
            $0.node = shared.node.id
            if let overview { $0.sharedWork = overview }
        }
        publishStatus()
        claimMore()
    }

    private func storeFailed(_ error: StorageError, while doing: String) {
        let wasFine = snapshot.withLock { status -> Bool in
            defer { status.storeFailure = error.description }
            return status.storeFailure == nil
        }
        if wasFine { logger.error("the shared store is unreachable", metadata: ["during": "\(doing)", "error": "\(error)"]) }
        publishStatus()
    }

    private func storeAnswered() {
        let wasFailing = snapshot.withLock { status -> Bool in
            defer { status.storeFailure = nil }
            return status.storeFailure != nil
        }
        if wasFailing { logger.info("the shared store answers again") }
    }

    // MARK: Claims (scheduler queue)

    /// Claims one more host if a slot is free; the answer claims again or arms the timer.
    func claimMore() {
        guard let shared, !scheduler.isStopping, shared.isRegistered, !shared.needsScheduling else { return }
        guard !shared.isClaiming else {
            shared.claimAgain = true
            return
        }
        guard shared.claims.count < scheduler.limit else { return }
        shared.isClaiming = true
        shared.claimAgain = false
        let (work, node) = (shared.work, shared.node)
        let started = MonotonicClock.now()
        Task { [weak self] in
            guard let self else { return }
            let outcome: Result<HostClaimOutcome, StorageError>
            do throws(StorageError) {
                outcome = .success(try await work.claimHost(owner: node.id, leaseFor: node.leaseDuration))
            } catch {
                outcome = .failure(error)
            }
            let seconds = MonotonicClock.now() - started
            self.queue.async { self.claimAnswered(outcome, seconds: seconds) }
        }
    }

    private func claimAnswered(_ outcome: Result<HostClaimOutcome, StorageError>, seconds: Double) {
        guard let shared else { return }
        shared.isClaiming = false
        let now = MonotonicClock.now()
        switch outcome {
        case .success(.claimed(let claim)):
            storeAnswered()
            snapshot.withLock { $0.recordClaim(seconds: seconds) }
            if scheduler.isStopping {
                Task { try? await shared.work.abandonClaim(claim, owner: shared.node.id) }
                return
            }
            shared.claims[claim.host] = claim
            run(claim, shared: shared)
            claimMore()
        case .success(.idle(let nextDue)):
            storeAnswered()
            let wait = shared.claimAgain ? 0 : min(nextDue ?? shared.pollInterval, shared.pollInterval)
            shared.claimAgain = false
            // 50 ms at least: a claim lost to a race answers "due now" and must not spin.
            let delay = max(0.05, wait)
            shared.nextClaimAt = now + delay
            shared.claimTimer?.schedule(deadline: .now() + delay, leeway: .milliseconds(Self.timerLeewayMilliseconds))
        case .failure(let error):
            storeFailed(error, while: "claim")
            shared.nextClaimAt = now + Self.claimRetryDelay
            shared.claimTimer?.schedule(deadline: .now() + Self.claimRetryDelay)
        }
        publishStatus()
    }

    /// Refreshes the claim's sources one after another (they share the host's politeness
    /// anyway), then ends the claim with their next due times.
    private func run(_ claim: HostClaim, shared: SharedMode) {
        let service = self.service
        let task = Task { [weak self] in
            guard let self else { return }
            var outcomes: [SourceOutcome] = []
            var hold: TimeInterval?
            for id in claim.sourceIDs {
                guard !Task.isCancelled else { break }
                let (source, isLost): (Source?, Bool) = self.queue.sync {
                    let source = self.sources[id]
                    if let source { self.beginSharedRun(source.id, shared: shared) }
                    return (source, shared.lost.contains(claim.fence))
                }
                if isLost {
                    if source != nil { self.queue.async { shared.runningSources.remove(id) } }
                    break
                }
                guard let source else {
                    outcomes.append(SourceOutcome(sourceID: id, nextDueIn: Self.unknownSourceDelay, failures: claim.failures[id] ?? 0,
                                                  failed: false, newArticles: 0, issue: "not in the catalog of node \(shared.node.id)"))
                    continue
                }
                let report = await service.refresh(source, fence: claim.fence)
                let health = service.health(of: source.id)
                let failures = report.sourceFailed ? (claim.failures[id] ?? 0) + 1 : 0
                let result: RefreshResult = report.sourceFailed ? .failure(retryAfter: report.retryAfter) : .success
                let delay = self.queue.sync { self.scheduler.delay(after: result, every: source.every, failures: failures) }
                if let retryAfter = report.retryAfter { hold = max(hold ?? 0, retryAfter) }
                outcomes.append(SourceOutcome(sourceID: id, nextDueIn: delay, failures: failures, failed: report.sourceFailed,
                                              newArticles: report.newArticles, issue: report.issues.first?.message))
                self.healthCache.withLock { $0[source.id] = health }
                self.queue.async { self.finishedShared(source: source, report: report, shared: shared) }
            }
            var failure: StorageError?
            do throws(StorageError) {
                try await shared.work.finishClaim(claim, owner: shared.node.id, outcomes: outcomes, holdHostFor: hold)
            } catch {
                failure = error
            }
            let ended = failure
            self.queue.async { self.claimEnded(claim, failure: ended, shared: shared) }
        }
        running["host:" + claim.host] = task
    }

    private func beginSharedRun(_ sourceID: String, shared: SharedMode) {
        shared.runningSources.insert(sourceID)
        if let waiting = waitingForNextRun.removeValue(forKey: sourceID) {
            waitingForCurrentRun[sourceID, default: []].append(contentsOf: waiting)
        }
        publishStatus()
    }

    private func finishedShared(source: Source, report: RefreshReport, shared: SharedMode) {
        shared.runningSources.remove(source.id)
        snapshot.withLock { $0.record(report) }
        if report.sourceFailed {
            logger.warning("refresh failed", metadata: [
                "source.id": "\(source.id)", "error": "\(report.issues.first?.message ?? "unknown")",
            ])
        } else {
            logger.info("refreshed", metadata: ["source.id": "\(source.id)", "articles.new": "\(report.newArticles)",
                                                "node": "\(shared.node.id)"])
        }
        for waiter in waitingForCurrentRun.removeValue(forKey: source.id) ?? [] {
            waitingForPublish.append((waiter, report))
        }
        markPublishNeeded()
    }

    private func claimEnded(_ claim: HostClaim, failure: StorageError?, shared: SharedMode) {
        shared.claims[claim.host] = nil
        shared.lost.remove(claim.fence)
        running["host:" + claim.host] = nil
        if let failure {
            if failure.kind == .fenced {
                logger.warning("the host was taken over by another node; this node's writes for it were refused",
                               metadata: ["host": "\(claim.host)", "token": "\(claim.fence.token)", "error": "\(failure)"])
            } else {
                storeFailed(failure, while: "the end of a claim")
            }
        }
        claimMore()
        publishStatus()
    }

    // MARK: Requests from people

    /// "Refresh now" through the store: whichever node holds or next claims the host does it.
    /// Returns when it was done (by this node: its report; by another: what the store recorded).
    func refreshShared(_ ids: [String]?, shared: SharedMode) async -> [RefreshReport] {
        let known: [String] = queue.sync { scheduler.isStopping ? [] : (ids ?? scheduler.sourceIDs).filter { sources[$0] != nil } }
        guard !known.isEmpty else { return [] }
        do {
            try await shared.work.requestRefresh(sourceIDs: ids == nil ? nil : known)
        } catch {
            let now = Timestamp.now()
            return known.map { id in
                RefreshReport(sourceID: id, startedAt: now, finishedAt: now,
                              issues: [RefreshIssue(sourceID: id, url: nil, kind: error.issueKind, message: error.description)], sourceFailed: true)
            }
        }
        let reports = await withTaskGroup(of: RefreshReport?.self) { group in
            for id in known {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        self.queue.async {
                            guard !self.scheduler.isStopping else { return continuation.resume(returning: nil) }
                            self.waitingForNextRun[id, default: []].append(RunWaiter(continuation))
                            self.claimMore()
                        }
                    }
                }
            }
            var reports: [RefreshReport] = []
            for await report in group { if let report { reports.append(report) } }
            return reports
        }
        return reports.sorted { $0.sourceID < $1.sourceID }
    }

    func requestSharedRefreshOfAll(_ shared: SharedMode) {
        Task { [weak self] in
            guard let self else { return }
            do {
                try await shared.work.requestRefresh(sourceIDs: nil)
            } catch {
                self.logger.error("could not ask the nodes for a refresh", metadata: ["error": "\(error)"])
            }
            self.queue.async { self.claimMore() }
        }
    }

    /// Callers waiting for a run another node may do: once their request is consumed (and
    /// this node is not running the source), they get the run as the store recorded it.
    func pollWaiters() {
        guard let shared, !shared.isPolling else { return }
        let ids = waitingForNextRun.keys.filter { !shared.runningSources.contains($0) }.sorted()
        guard !ids.isEmpty else { return }
        shared.isPolling = true
        Task { [weak self] in
            guard let self else { return }
            let pending = try? await shared.work.pendingRequests(ids)
            let done = pending.map { pending in ids.filter { !pending.contains($0) } } ?? []
            let overview = done.isEmpty ? nil : try? await shared.work.overview()
            self.queue.async {
                shared.isPolling = false
                guard let overview else { return }
                for id in done where !shared.runningSources.contains(id) {
                    guard let waiters = self.waitingForNextRun.removeValue(forKey: id) else { continue }
                    let report = Self.report(of: id, run: overview.lastRuns[id])
                    waiters.forEach { $0.resume(returning: report) }
                }
            }
        }
    }

    /// A run another node did, as far as the store recorded it.
    static func report(of sourceID: String, run: SharedWorkOverview.LastRun?) -> RefreshReport {
        let finished = Timestamp(date: run?.finishedAt ?? Date(), offsetSeconds: 0)
        var issues: [RefreshIssue] = []
        if run?.failed == true {
            issues.append(RefreshIssue(sourceID: sourceID, url: nil, kind: IssueKind(.fetch, "failed"),
                                       message: "the refresh by node \(run?.node ?? "?") failed (see its log)"))
        }
        return RefreshReport(sourceID: sourceID, startedAt: finished, finishedAt: finished, newArticles: run?.newArticles ?? 0,
                             issues: issues, sourceFailed: run?.failed ?? false)
    }

    /// A reloaded catalog: new sources enter the shared schedule, changed ones run at once.
    func reloadedShared(_ shared: SharedMode, summary: ReloadSummary) {
        if !summary.added.isEmpty {
            shared.needsScheduling = true
            sharedBeat()
        }
        if !summary.changed.isEmpty {
            let changed = summary.changed
            Task { try? await shared.work.requestRefresh(sourceIDs: changed) }
        }
    }

    /// Each source's place in the shared schedule, as of the last heartbeat.
    func sharedSchedules(_ shared: SharedMode) -> [SourceSchedule] {
        let runs = snapshot.current.sharedWork?.lastRuns ?? [:]
        return queue.sync {
            scheduler.sourceIDs.map { id in
                SourceSchedule(sourceID: id, nextRunInSeconds: max(0, runs[id]?.nextDueInSeconds ?? 0),
                               consecutiveFailures: healthCache.current[id]?.consecutiveFailures ?? 0,
                               isRunning: shared.runningSources.contains(id))
            }
        }
    }
}
