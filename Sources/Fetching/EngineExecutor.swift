import Foundation

/// Runs tasks on the fetch engine's own thread, between two turns of its curl loop. A task
/// that prefers this executor (`withTaskExecutorPreference`) and awaits a fetch is resumed
/// right there when the transfer ends, instead of being handed to another thread: for light
/// work per page (printing a line, counting) that hand-over costs more than the work itself.
/// Heavy work (extraction) does not belong here: it would hold up every transfer.
final class EngineExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `jobs` and `isRunning` are guarded by `lock`.
    private let lock = NSLock()
    private var jobs: [UnownedJob] = []
    /// False once the engine thread has stopped: jobs then go to the global executor.
    private var isRunning = true
    /// Wakes the engine thread when a job arrives from another thread.
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) {
        self.wake = wake
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let accepted = lock.withLock { () -> Bool in
            guard isRunning else { return false }
            jobs.append(unowned)
            return true
        }
        if accepted {
            wake()
        } else {
            globalConcurrentExecutor.enqueue(ExecutorJob(unowned))
        }
    }

    var hasJobs: Bool { lock.withLock { !jobs.isEmpty } }

    /// False once the engine thread has stopped.
    var runsOnEngineThread: Bool { lock.withLock { isRunning } }

    /// Runs the jobs waiting now (not those they enqueue); called on the engine thread.
    func runWaitingJobs() {
        let waiting = lock.withLock { () -> [UnownedJob] in
            defer { jobs = [] }
            return jobs
        }
        let me = asUnownedTaskExecutor()
        for job in waiting { job.runSynchronously(on: me) }
    }

    /// The engine thread is ending: what waits, and what comes later, goes to the global executor.
    func stop() {
        let waiting = lock.withLock { () -> [UnownedJob] in
            isRunning = false
            defer { jobs = [] }
            return jobs
        }
        for job in waiting { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }
}
