import CCurl
import Foundation

/// Runs every transfer of one Fetcher on one thread that owns one libcurl multi handle
/// (connection cache, HTTP/2 multiplexing, DNS cache). Callers submit jobs and await results;
/// a `HostScheduler` decides when each may start.
final class TransferEngine: @unchecked Sendable {
    // @unchecked Sendable: `multi`, `scheduler`, `running`, `runningByID` and `idleHandles` are
    // touched only by the engine thread; `inbox`, `cancelRequests`, `nextID` and `isShuttingDown`
    // only under `lock`.
    private typealias Continuation = CheckedContinuation<Result<RawResponse, FetchError>, Never>
    private struct Submission {
        var id: UInt64
        var job: TransferJob
        var continuation: Continuation
    }

    /// The engine thread's name, as `top -H` and /proc show it.
    static let threadName = "tidings-fetch"
    /// The longest the engine thread sleeps without being woken, in milliseconds.
    private static let maxPollMilliseconds: Int32 = 1000
    /// How often idle hosts' gap memory is pruned, in seconds.
    private static let pruneInterval: TimeInterval = 600

    private let configuration: FetcherConfiguration
    /// Shared with the engines of earlier and later Fetchers (settings reloads).
    private let starts: HostStarts
    private let lock = NSLock()
    private var inbox: [Submission] = []
    private var cancelRequests: [UInt64] = []
    private var nextID: UInt64 = 0
    private var isShuttingDown = false
    /// False once the engine thread has cleaned up the multi handle; wake-ups stop then.
    private var isMultiAlive = true
    /// The engine thread is (about to be) asleep in `curl_multi_poll` with a free transfer
    /// slot, so a new job should wake it. With every slot busy, a new job just waits in the
    /// inbox until a transfer ends (which wakes the thread anyway): at 10,000 jobs that saves
    /// thousands of wake-ups.
    private var isIdleWithFreeSlot = false
    /// The engine thread is (about to be) asleep in `curl_multi_poll`, so a task enqueued on
    /// `executor` from another thread must wake it.
    private var isPolling = false
    /// Runs tasks that prefer it on this engine's thread (see `EngineExecutor`).
    private(set) var executor: EngineExecutor!

    private let multi: UnsafeMutableRawPointer
    private var scheduler: HostScheduler<Submission>
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]
    private var runningByID: [UInt64: UnsafeMutableRawPointer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(configuration: FetcherConfiguration, starts: HostStarts = HostStarts()) {
        self.configuration = configuration
        self.starts = starts
        multi = curl_multi_init()
        scheduler = HostScheduler(globalLimit: configuration.globalConcurrency,
                                  perHostLimit: configuration.perHostConcurrency)
        _ = tidings_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX)
        connectionCacheSize = Self.connectionCacheSize(hosts: 0, configuration: configuration)
        _ = tidings_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, connectionCacheSize)
        executor = EngineExecutor { [weak self] in self?.wakeForExecutorJob() }
        let thread = Thread { [self] in self.run() }
        thread.name = Self.threadName
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs one job to its end; a cancelled caller gets `.cancelled` and the transfer stops.
    func perform(_ job: TransferJob) async -> Result<RawResponse, FetchError> {
        let token = CancellationToken()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Continuation) in
                submit(job, token: token, continuation: continuation)
            }
        } onCancel: {
            if let id = token.cancel() { self.cancel(id) }
        }
    }

    /// Stops the thread: running and waiting transfers end with `.cancelled`.
    func shutdown() {
        lock.withLock {
            isShuttingDown = true
            wakeLocked()
        }
    }

    /// Wakes the engine thread out of `curl_multi_poll`; call with `lock` held.
    private func wakeLocked() {
        if isMultiAlive { _ = curl_multi_wakeup(multi) }
    }

    private func wakeForExecutorJob() {
        lock.withLock {
            if isPolling { wakeLocked() }
        }
    }

    private func submit(_ job: TransferJob, token: CancellationToken, continuation: Continuation) {
        let accepted = lock.withLock { () -> Bool in
            guard !isShuttingDown else { return false }
            nextID += 1
            guard token.markSubmitted(id: nextID) else { return false }
            inbox.append(Submission(id: nextID, job: job, continuation: continuation))
            if isIdleWithFreeSlot {
                isIdleWithFreeSlot = false
                wakeLocked()
            }
            return true
        }
        if !accepted { continuation.resume(returning: .failure(.cancelled(job.url))) }
    }

    private func cancel(_ id: UInt64) {
        lock.withLock {
            cancelRequests.append(id)
            wakeLocked()
        }
    }

    // MARK: - Connection cache

    /// Connections kept open for reuse: one per host and allowed connection for the hosts
    /// asked lately (so a daemon cycling through 200 hosts does not reconnect every time),
    /// at least twice the transfers at once, at most `largestConnectionCache` (each one holds
    /// a file descriptor).
    static func connectionCacheSize(hosts: Int, configuration: FetcherConfiguration) -> Int {
        min(largestConnectionCache, max(32, configuration.globalConcurrency * 2, hosts * configuration.perHostConcurrency))
    }

    /// A quarter of the usual 1,024 descriptors a service may open.
    static let largestConnectionCache = 256
    private var connectionCacheSize = 0

    private func sizeConnectionCache() {
        let wanted = Self.connectionCacheSize(hosts: scheduler.knownHostCount, configuration: configuration)
        guard wanted != connectionCacheSize else { return }
        connectionCacheSize = wanted
        _ = tidings_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, wanted)
    }

    // MARK: - The engine thread

    private func run() {
        tidings_name_current_thread(Self.threadName)  // Foundation's Thread.name does not reach the kernel here
        var lastPrune = ProcessInfo.processInfo.systemUptime
        while true {
            executor.runWaitingJobs()
            let (submissions, cancels, stopping) = lock.withLock { () -> ([Submission], [UInt64], Bool) in
                defer { inbox = []; cancelRequests = [] }
                return (inbox, cancelRequests, isShuttingDown)
            }
            for submission in submissions {
                let host = submission.job.hostKey
                if !scheduler.knows(host), let last = starts.last(host) { scheduler.remember(host, lastStart: last) }
                scheduler.enqueue(submission, id: submission.id, host: host, gap: submission.job.hostGap)
            }
            if !submissions.isEmpty { sizeConnectionCache() }
            for id in cancels { cancelOne(id) }
            if stopping { break }

            let now = ProcessInfo.processInfo.systemUptime
            for ready in scheduler.startReady(now: now) {
                starts.record(ready.host, at: now)
                start(ready)
            }
            if now - lastPrune > Self.pruneInterval {
                scheduler.forgetIdleHosts(startedBefore: now - max(Self.pruneInterval, scheduler.longestGap))
                lastPrune = now
            }

            var stillRunning: Int32 = 0
            _ = curl_multi_perform(multi, &stillRunning)
            let finishedAny = collectFinished()

            var wait = Self.maxPollMilliseconds
            var curlTimeout = -1
            _ = curl_multi_timeout(multi, &curlTimeout)
            if curlTimeout >= 0 { wait = min(wait, Int32(clamping: curlTimeout)) }
            if let gapEnd = scheduler.nextGapEnd() {
                let milliseconds = max(0, (gapEnd - ProcessInfo.processInfo.systemUptime) * 1000)
                wait = min(wait, Int32(min(Double(Self.maxPollMilliseconds), milliseconds.rounded(.up))))
            }
            if finishedAny && scheduler.waitingCount > 0 { wait = 0 }
            let hasFreeSlot = scheduler.runningCount < scheduler.globalLimit
            let inboxEmpty = lock.withLock { () -> Bool in
                isIdleWithFreeSlot = hasFreeSlot
                isPolling = true
                return inbox.isEmpty
            }
            if !inboxEmpty && hasFreeSlot { wait = 0 }
            if executor.hasJobs { wait = 0 }  // checked after isPolling is set: a later job wakes the poll
            _ = curl_multi_poll(multi, nil, 0, wait, nil)
            lock.withLock {
                isIdleWithFreeSlot = false
                isPolling = false
            }
        }
        stopAll()
    }

    private func start(_ ready: HostScheduler<Submission>.Ready) {
        let submission = ready.job
        let handle = idleHandles.popLast() ?? curl_easy_init()
        guard let handle else {
            scheduler.finished(host: ready.host)
            submission.continuation.resume(returning: .failure(.other(submission.job.url, "libcurl could not start a transfer")))
            return
        }
        let transfer = Transfer(id: submission.id, host: ready.host, job: submission.job,
                                configuration: configuration, continuation: submission.continuation)
        transfer.configure(handle, configuration)
        running[handle] = transfer
        runningByID[submission.id] = handle
        let added = curl_multi_add_handle(multi, handle)
        if added != CURLM_OK {
            finish(handle, with: .failure(.other(submission.job.url, String(cString: curl_multi_strerror(added)))))
        }
    }

    /// Reads curl's "done" messages; true when any transfer ended.
    private func collectFinished() -> Bool {
        var finishedAny = false
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  let transfer = running[handle] else { continue }
            let code = tidings_multi_message_result(message)
            finish(handle, with: transfer.result(handle, code: code))
            finishedAny = true
        }
        return finishedAny
    }

    private func finish(_ handle: UnsafeMutableRawPointer, with result: Result<RawResponse, FetchError>) {
        guard let transfer = running.removeValue(forKey: handle) else { return }
        runningByID[transfer.id] = nil
        _ = curl_multi_remove_handle(multi, handle)
        recycle(handle)
        scheduler.finished(host: transfer.host)
        transfer.continuation.resume(returning: result)
    }

    private func recycle(_ handle: UnsafeMutableRawPointer) {
        if idleHandles.count < configuration.globalConcurrency {
            curl_easy_reset(handle)
            idleHandles.append(handle)
        } else {
            curl_easy_cleanup(handle)
        }
    }

    private func cancelOne(_ id: UInt64) {
        if let waiting = scheduler.removeWaiting(id: id) {
            waiting.continuation.resume(returning: .failure(.cancelled(waiting.job.url)))
        } else if let handle = runningByID[id], let transfer = running[handle] {
            finish(handle, with: .failure(.cancelled(transfer.job.url)))
        }
    }

    private func stopAll() {
        for submission in scheduler.removeAllWaiting() {
            submission.continuation.resume(returning: .failure(.cancelled(submission.job.url)))
        }
        for (handle, transfer) in running {
            finish(handle, with: .failure(.cancelled(transfer.job.url)))
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles = []
        executor.stop()
        lock.withLock {
            isMultiAlive = false
            _ = curl_multi_cleanup(multi)
        }
    }
}

/// Lets a task's cancellation handler and the submission agree on whether the job was
/// submitted, whichever runs first.
private final class CancellationToken: @unchecked Sendable {
    // @unchecked Sendable: `id` and `isCancelled` are guarded by `lock`.
    private let lock = NSLock()
    private var id: UInt64?
    private var isCancelled = false

    /// Records the job's id; false when the task was cancelled already.
    func markSubmitted(id: UInt64) -> Bool {
        lock.withLock {
            guard !isCancelled else { return false }
            self.id = id
            return true
        }
    }

    /// Marks the task cancelled; returns the job's id when it was submitted already.
    func cancel() -> UInt64? {
        lock.withLock {
            isCancelled = true
            return id
        }
    }
}
