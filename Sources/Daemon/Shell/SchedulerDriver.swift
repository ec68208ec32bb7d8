import Dispatch
import Foundation
import Logging
import Refresh
import TidingsCore

/// The thin shell around `Scheduler`: a Dispatch timer wakes it when the next source is due,
/// refreshes run as Tasks, and people's requests (signals, HTTP) arrive as events.
public final class SchedulerDriver: @unchecked Sendable {
    // Invariant: every stored `var` below is read and written only on `queue`, except
    // `liveness` and `snapshot`, which carry their own locks.
    let queue = DispatchQueue(label: "tidings.scheduler")
    let service: any RefreshService
    let logger: Logger
    private let heartbeatInterval: TimeInterval
    var scheduler: Scheduler
    var sources: [String: Source] = [:]
    private var catalogErrors: [CatalogError] = []
    private var timer: DispatchSourceTimer?
    private var heartbeat: DispatchSourceTimer?
    var running: [String: Task<Void, Never>] = [:]
    /// Callers waiting for the run in progress, and those waiting for the next one.
    var waitingForCurrentRun: [String: [RunWaiter]] = [:]
    var waitingForNextRun: [String: [RunWaiter]] = [:]
    private var isStarted = false
    /// Callers whose run has ended and who wait for the feeds to be written.
    var waitingForPublish: [(RunWaiter, RefreshReport)] = []
    private var isPublishDirty = false
    private var isPublishing = false
    /// The catalog changed since the last publication (or there was none yet): every source's
    /// definition is checked against its files, the OPML list and index are rewritten.
    private var isCatalogDirty = true
    /// The catalog in id order, as publishing takes it.
    var sortedSources: [Source] = []
    private var dirtySince: Double?
    private var publishTimer: DispatchSourceTimer?
    private var maintenanceTimer: DispatchSourceTimer?
    private let maximumPublishDelay: TimeInterval
    /// The STATUS= line last sent, so an unchanged line is not sent again.
    private var lastStatusLine: String?

    /// While other refreshes are still running, feeds are written at the latest this long
    /// after a refresh ended; when none is running, at once. 10 s keeps a burst of 1,000
    /// refreshes from rewriting the index 1,000 times, and readers barely notice.
    public static let defaultMaximumPublishDelay: TimeInterval = 10
    /// Retention and vacuum run this long after start, then once a day.
    static let firstMaintenanceDelay: TimeInterval = 300
    static let maintenanceInterval: TimeInterval = 24 * 3600

    private let liveness: Locked<(lastBeat: Double, isStopped: Bool)>
    let snapshot = Locked(DaemonStatus())
    /// Every source's stored health, read at start and after each of its refreshes, so that
    /// /status.json, /metrics and /healthz never read the database per request.
    let healthCache: Locked<[String: SourceHealth]>
    /// Several nodes on one store: claims of hosts instead of the local due queue (see
    /// `SchedulerDriver+Shared.swift`); nil with a store of this node's own.
    let shared: SharedMode?
    /// Called on the scheduler queue after each change of status (sd_notify STATUS=…).
    private let onStatusChange: @Sendable (DaemonStatus) -> Void

    /// Beats every 5 s: often enough for /healthz and a watchdog of 10 s or more, rare enough
    /// to cost nothing measurable while idle.
    public static let defaultHeartbeatInterval: TimeInterval = 5

    public init(service: any RefreshService, configuration: SchedulerConfiguration = .init(), logger: Logger,
                heartbeatInterval: TimeInterval = defaultHeartbeatInterval,
                maximumPublishDelay: TimeInterval = defaultMaximumPublishDelay, node: NodeConfiguration = .init(),
                onStatusChange: @escaping @Sendable (DaemonStatus) -> Void = { _ in }) {
        self.shared = service.sharedWork.map { SharedMode(work: $0, node: node) }
        self.service = service
        self.logger = logger
        self.heartbeatInterval = heartbeatInterval
        self.maximumPublishDelay = maximumPublishDelay
        self.onStatusChange = onStatusChange
        let now = MonotonicClock.now()
        self.liveness = Locked((lastBeat: now, isStopped: false))
        let catalog = service.loadCatalog()
        // Stored health says when each source last ran and whether it was failing: a restart
        // keeps every source's rhythm, its backoff and its place in the failing count.
        let wallNow = Date()
        var lastAttempts: [String: Double] = [:]
        var health: [String: SourceHealth] = [:]
        for source in catalog.sources {
            let stored = service.health(of: source.id)
            health[source.id] = stored
            if let last = stored.lastAttempt {
                lastAttempts[source.id] = now - wallNow.timeIntervalSince(last.date)
            }
        }
        self.healthCache = Locked(health)
        self.scheduler = Scheduler(sources: catalog.sources, now: now, lastAttempts: lastAttempts,
                                   failures: health.mapValues(\.consecutiveFailures), configuration: configuration)
        self.sources = Dictionary(catalog.sources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.sortedSources = sources.values.sorted { $0.id < $1.id }
        self.catalogErrors = catalog.errors
        for error in catalog.errors {
            logger.error("feeds file not usable", metadata: ["file": "\(error.file)", "error": "\(error)"])
        }
    }

    // MARK: Life cycle

    /// Arms the timers; first runs are spread over each source's interval.
    public func start() {
        queue.sync {
            guard !isStarted else { return }
            isStarted = true
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.setEventHandler { @Sendable [weak self] in self?.pump() }
            timer.resume()
            self.timer = timer
            let heartbeat = DispatchSource.makeTimerSource(queue: queue)
            heartbeat.schedule(deadline: .now(), repeating: heartbeatInterval, leeway: .milliseconds(250))
            heartbeat.setEventHandler { @Sendable [weak self] in self?.beat() }
            heartbeat.resume()
            self.heartbeat = heartbeat
            let publishTimer = DispatchSource.makeTimerSource(queue: queue)
            publishTimer.setEventHandler { @Sendable [weak self] in self?.publishIfDue() }
            publishTimer.schedule(deadline: .distantFuture)
            publishTimer.resume()
            self.publishTimer = publishTimer
            let maintenance = DispatchSource.makeTimerSource(queue: queue)
            maintenance.schedule(deadline: .now() + Self.firstMaintenanceDelay, repeating: Self.maintenanceInterval, leeway: .seconds(60))
            maintenance.setEventHandler { @Sendable [weak self] in self?.maintain() }
            maintenance.resume()
            maintenanceTimer = maintenance
            logger.info("scheduler started", metadata: ["sources": "\(sources.count)", "sources_at_once": "\(scheduler.limit)"])
            if let shared { startShared(shared) }
            // Feeds, index and OPML exist from the start, even before the first refresh.
            markPublishNeeded()
            pump()
        }
    }

    /// Stops taking work, lets running refreshes finish for up to `gracePeriod`, then cancels
    /// them and waits a little longer for them to unwind. Callers still waiting get nil.
    public func stop(gracePeriod: TimeInterval) async {
        let tasks: [Task<Void, Never>] = queue.sync {
            scheduler.stop()
            liveness.withLock { $0.isStopped = true }
            timer?.cancel()
            heartbeat?.cancel()
            maintenanceTimer?.cancel()
            shared?.stop()
            for (_, waiters) in waitingForNextRun { waiters.forEach { $0.resume(returning: nil) } }
            waitingForNextRun = [:]
            publishStatus()
            return Array(running.values)
        }
        if !tasks.isEmpty {
            logger.info("waiting for running refreshes", metadata: ["count": "\(tasks.count)"])
            if await !Self.waitAll(tasks, timeout: gracePeriod) {
                logger.warning("cancelling refreshes still running after the grace period")
                tasks.forEach { $0.cancel() }
                _ = await Self.waitAll(tasks, timeout: Self.cancellationAllowance)
            }
        }
        await flushPublishing()
    }

    /// Writes the feeds once more if a refresh ended since the last write, and waits for it.
    private func flushPublishing() async {
        while true {
            let pending: (waiting: [(RunWaiter, RefreshReport)], sources: [Source], catalogChanged: Bool)?
                = queue.sync {
                    publishTimer?.cancel()
                    guard isPublishDirty, !isPublishing else { return nil }
                    defer {
                        waitingForPublish = []
                        isPublishDirty = false
                        isCatalogDirty = false
                    }
                    return (waitingForPublish, sortedSources, isCatalogDirty)
                }
            if let pending {
                await publish(pending.sources, catalogChanged: pending.catalogChanged)
                pending.waiting.forEach { $0.0.resume(returning: $0.1) }
                return
            }
            // A publication in progress: wait for it to end, then look again.
            guard queue.sync(execute: { isPublishing }) else { return }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    /// After cancelling, refreshes get this long to unwind (abort transfers, flush state).
    static let cancellationAllowance: TimeInterval = 2

    /// True when every task ended within `timeout`.
    static func waitAll(_ tasks: [Task<Void, Never>], timeout: TimeInterval) async -> Bool {
        let resumed = Locked(false)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let finish: @Sendable (Bool) -> Void = { value in
                let first = resumed.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: value) }
            }
            Task {
                for task in tasks { await task.value }
                finish(true)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { @Sendable in finish(false) }
        }
    }

    // MARK: Events from people

    /// Re-reads `feeds/`: new sources run at once, removed ones stop, changed ones take
    /// effect; a file that no longer parses keeps its old definition.
    @discardableResult
    public func reload() -> (summary: ReloadSummary, errors: [CatalogError]) {
        let catalog = service.loadCatalog()
        let known = healthCache.current
        let added = catalog.sources.filter { known[$0.id] == nil }.map { ($0.id, service.health(of: $0.id)) }
        healthCache.withLock { cache in for (id, health) in added { cache[id] = health } }
        return queue.sync {
            var merged = Dictionary(catalog.sources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for error in catalog.errors {
                let id = (error.file as NSString).deletingPathExtension
                if merged[id] == nil, let old = sources[id] {
                    merged[id] = old
                    logger.error("feeds file not usable, keeping its previous definition",
                                 metadata: ["file": "\(error.file)", "error": "\(error)"])
                } else {
                    logger.error("feeds file not usable", metadata: ["file": "\(error.file)", "error": "\(error)"])
                }
            }
            let summary = scheduler.reload(sources: Array(merged.values), now: MonotonicClock.now())
            sources = merged
            sortedSources = merged.values.sorted { $0.id < $1.id }
            catalogErrors = catalog.errors
            for id in summary.removed {
                waitingForNextRun.removeValue(forKey: id)?.forEach { $0.resume(returning: nil) }
            }
            if let shared { reloadedShared(shared, summary: summary) }
            if !summary.added.isEmpty || !summary.removed.isEmpty || !summary.changed.isEmpty {
                isCatalogDirty = true
                markPublishNeeded()
            }
            logger.info("feeds reloaded", metadata: [
                "added": "\(summary.added)", "removed": "\(summary.removed)",
                "changed": "\(summary.changed)", "errors": "\(catalog.errors.count)",
            ])
            pump()
            return (summary, catalog.errors)
        }
    }

    /// SIGUSR1 or POST /refresh without waiting.
    public func requestRefreshOfAll() {
        if let shared { return requestSharedRefreshOfAll(shared) }
        queue.async { [self] in
            scheduler.requestRefreshOfAll(now: MonotonicClock.now())
            pump()
        }
    }

    /// Refreshes one source as soon as a slot is free (after its current run, if one is in
    /// progress) and returns that run's report; nil when the source is unknown, was removed,
    /// or the daemon is stopping.
    public func refreshNow(_ sourceID: String) async -> RefreshReport? {
        if let shared { return await refreshShared([sourceID], shared: shared).first }
        return await withCheckedContinuation { continuation in
            queue.async { [self] in
                if waitForNextRun(of: sourceID, now: MonotonicClock.now(), RunWaiter(continuation)) { pump() }
            }
        }
    }

    /// Refreshes every source now and returns the reports, in source order. One waiter per
    /// source gathers into one answer: a task per source held 10,000 task stacks (over 10 MB)
    /// for the whole refresh, and asking for each one apart ran the scheduler 10,000 times.
    public func refreshAllNow() async -> [RefreshReport] {
        if let shared { return await refreshShared(nil, shared: shared) }
        return await withCheckedContinuation { continuation in
            queue.async { [self] in
                let ids = scheduler.sourceIDs
                let batch = ReportBatch(expecting: ids.count) { continuation.resume(returning: $0) }
                let now = MonotonicClock.now()
                for id in ids { waitForNextRun(of: id, now: now, RunWaiter(batch.add)) }
                pump()
            }
        }
    }

    /// On `queue`: asks for a run of the source and has `waiter` answered by it; false, with the
    /// waiter answered nil at once, when the source is unknown or the daemon is stopping.
    @discardableResult
    private func waitForNextRun(of sourceID: String, now: Double, _ waiter: RunWaiter) -> Bool {
        switch scheduler.requestRefresh(sourceID: sourceID, now: now) {
        case .unknownSource, .stopping:
            waiter.resume(returning: nil)
            return false
        case .scheduled, .queuedAfterCurrentRun:
            waitingForNextRun[sourceID, default: []].append(waiter)
            return true
        }
    }

    // MARK: Queries (any thread)

    public func knows(_ sourceID: String) -> Bool { queue.sync { sources[sourceID] != nil } }

    public func source(named sourceID: String) -> Source? { queue.sync { sources[sourceID] } }

    public var currentSources: [Source] { queue.sync { sources.values.sorted { $0.id < $1.id } } }

    /// True while the scheduler queue beats and the daemon is not stopping.
    public var isAlive: Bool {
        let state = liveness.current
        return !state.isStopped && MonotonicClock.now() - state.lastBeat < heartbeatInterval * 3
    }

    public var status: DaemonStatus { snapshot.current }

    /// The source's stored health as of its last refresh (no database read).
    public func health(of sourceID: String) -> SourceHealth { healthCache.current[sourceID] ?? SourceHealth() }

    /// Callers waiting for the next run of a source (tests use it to order events).
    func waitingCount(for sourceID: String) -> Int { queue.sync { waitingForNextRun[sourceID]?.count ?? 0 } }

    /// Each source's place in the schedule, now.
    public func schedules() -> [SourceSchedule] {
        if let shared { return sharedSchedules(shared) }
        return queue.sync {
            let now = MonotonicClock.now()
            return scheduler.sourceIDs.compactMap { id in
                scheduler.state(of: id).map {
                    SourceSchedule(sourceID: id, nextRunInSeconds: max(0, $0.nextDue - now),
                                   consecutiveFailures: $0.consecutiveFailures, isRunning: $0.isRunning)
                }
            }
        }
    }

    /// Runs `body` on the scheduler queue, only if the scheduler is alive (the watchdog).
    public func onSchedulerQueue(_ body: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            if !liveness.current.isStopped { body() }
        }
    }

    // MARK: The loop (scheduler queue only)

    private func beat() {
        liveness.withLock { $0.lastBeat = MonotonicClock.now() }
        // The status line says when the next run is: keep it moving.
        publishStatus(countingWaiting: true)
    }

    func pump() {
        if shared != nil { return claimMore() }
        let now = MonotonicClock.now()
        for source in scheduler.takeDueSources(now: now) {
            start(source)
        }
        armTimer(now: now)
        publishStatus()
    }

    private func start(_ source: Source) {
        waitingForCurrentRun[source.id] = waitingForNextRun.removeValue(forKey: source.id)
        let service = self.service
        running[source.id] = Task { [weak self] in
            let report = await service.refresh(source)
            let health = service.health(of: source.id)  // once per refresh, not per request
            guard let self else { return }
            self.healthCache.withLock { $0[source.id] = health }
            self.queue.async { self.finished(source: source, report: report) }
        }
    }

    func finished(source: Source, report: RefreshReport) {
        running[source.id] = nil
        let result: RefreshResult = report.sourceFailed ? .failure(retryAfter: report.retryAfter) : .success
        scheduler.refreshFinished(sourceID: source.id, result: result, now: MonotonicClock.now())
        snapshot.withLock { $0.record(report) }
        if report.sourceFailed {
            logger.warning("refresh failed", metadata: [
                "source.id": "\(source.id)", "error": "\(report.issues.first?.message ?? "unknown")",
            ])
        } else {
            logger.info("refreshed", metadata: ["source.id": "\(source.id)", "articles.new": "\(report.newArticles)"])
        }
        for waiter in waitingForCurrentRun.removeValue(forKey: source.id) ?? [] {
            waitingForPublish.append((waiter, report))
        }
        markPublishNeeded()
        pump()
    }

    // MARK: Publishing (scheduler queue only, except `publish`)

    func markPublishNeeded() {
        isPublishDirty = true
        if dirtySince == nil { dirtySince = MonotonicClock.now() }
        publishIfDue()
    }

    /// Starts writing the feeds when something changed and either no refresh is running or
    /// the oldest change has waited `maximumPublishDelay`; otherwise arms the publish timer.
    private func publishIfDue() {
        guard isPublishDirty, !isPublishing, !scheduler.isStopping else { return }
        let now = MonotonicClock.now()
        let since = dirtySince ?? now
        guard activeRuns == 0 || now - since >= maximumPublishDelay else {
            publishTimer?.schedule(deadline: .now() + (since + maximumPublishDelay - now))
            return
        }
        publishTimer?.schedule(deadline: .distantFuture)
        isPublishing = true
        isPublishDirty = false
        dirtySince = nil
        let waiting = waitingForPublish
        waitingForPublish = []
        let (sources, catalogChanged) = (sortedSources, isCatalogDirty)
        isCatalogDirty = false
        let refreshesRunning = activeRuns > 0
        Task { [self] in
            let succeeded = await publish(sources, catalogChanged: catalogChanged)
            // Between refreshes the daemon idles for a long while: give back what they freed.
            if !refreshesRunning { FreeMemory.returnToSystem() }
            queue.async { [self] in
                isPublishing = false
                // A catalog change that failed to publish is tried again as one.
                if !succeeded && catalogChanged { isCatalogDirty = true }
                waiting.forEach { $0.0.resume(returning: $0.1) }
                publishStatus()
                publishIfDue()
            }
        }
    }

    /// Writes what changed; records the outcome for /healthz, /status.json and the log.
    /// True when the feeds could be written.
    @discardableResult
    private func publish(_ sources: [Source], catalogChanged: Bool) async -> Bool {
        do {
            let problems = try await service.publishFeeds(of: sources, catalogChanged: catalogChanged)
            snapshot.withLock {
                $0.publishFailure = nil
                $0.lastPublished = Date()
                $0.publishProblems = problems
            }
            return true
        } catch {
            logger.error("writing the feeds failed", metadata: ["error": "\(error)"])
            snapshot.withLock { $0.publishFailure = "\(error)" }
            return false
        }
    }

    /// Retention and vacuum, off the scheduler queue.
    private func maintain() {
        let (service, sources, logger) = (self.service, sortedSources, self.logger)
        Task {
            do {
                try await service.maintain(sources)
            } catch {
                logger.error("upkeep of the state database failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func armTimer(now: Double) {
        guard let timer else { return }
        if let due = scheduler.nextWakeUp {
            let delay = max(0, due - now)
            timer.schedule(deadline: .now() + delay, leeway: .milliseconds(Self.timerLeewayMilliseconds))
        } else {
            timer.schedule(deadline: .distantFuture)
        }
    }

    /// 50 ms: runs may be late by this much so the kernel can coalesce wake-ups.
    static let timerLeewayMilliseconds = 50

    /// `countingWaiting`: count the due sources waiting for a slot (a walk over the catalog,
    /// done on the heartbeat rather than after every refresh).
    func publishStatus(countingWaiting: Bool = false) {
        let now = MonotonicClock.now()
        let status = snapshot.withLock { status -> DaemonStatus in
            status.generation &+= 1
            status.sourceCount = sources.count
            status.failingCount = scheduler.failingCount
            status.runningCount = activeRuns
            status.secondsUntilNextRun = shared.map { $0.nextClaimAt.map { max(0, $0 - now) } } ?? scheduler.nextDue.map { max(0, $0 - now) }
            if shared != nil || scheduler.runningCount < scheduler.limit {
                status.waitingCount = 0
            } else if countingWaiting {
                status.waitingCount = scheduler.waitingCount(now: now)
            }
            status.catalogErrors = catalogErrors.map(\.description)
            status.badFileCount = Set(catalogErrors.map(\.file)).count
            status.isStopping = scheduler.isStopping
            return status
        }
        let line = status.summaryLine
        guard line != lastStatusLine else { return }
        lastStatusLine = line
        onStatusChange(status)
    }
}
