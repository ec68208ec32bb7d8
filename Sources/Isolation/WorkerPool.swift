import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Long-lived workers lent to one request at a time. A worker that dies or runs past the
/// time limit is dropped and a fresh one started for the next request; idle ones end after
/// `idleTimeout`.
// @unchecked Sendable: every mutable field is touched only under `lock`.
final class WorkerPool: @unchecked Sendable {
    let configuration: WorkerConfiguration
    private let lock = NSLock()
    private var idle: [(worker: WorkerProcess, since: DispatchTime)] = []
    private var lent = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var counts = WorkerCounts()

    init(configuration: WorkerConfiguration) { self.configuration = configuration }

    deinit {
        for (worker, _) in idle { worker.stop() }
    }

    var statistics: WorkerCounts { lock.withLock { counts } }
    var idleWorkerIDs: [pid_t] { lock.withLock { idle.map(\.worker.pid) } }

    /// Sends `frame` to a worker and returns its answer, read by `decode`, or why there is none.
    func exchange<Answer>(_ frame: [UInt8], url: URL, decode: ([UInt8]) throws -> Answer) async -> Result<Answer, PageReadFailure> {
        await takeSlot()
        defer { giveBackSlot() }
        // A worker found dead when the request is sent (it died idle) is replaced once.
        for attempt in 0..<2 {
            let worker: WorkerProcess
            do throws(WorkerStartError) {
                if let idle = idleWorker() { worker = idle } else { worker = try await startWorker() }
            } catch {
                return .failure(PageReadFailure(.unavailable, url: url, detail: error.description))
            }
            let exchange = await send(frame, to: worker)
            switch exchange {
            case .answer(let answer) where !worker.wasKilledForTime:
                do {
                    let decoded = try decode(answer)
                    putBack(worker)
                    return .success(decoded)
                } catch {
                    // An answer this side cannot read: that worker is not trusted again.
                    worker.stop()
                    return .failure(PageReadFailure(.unavailable, url: url, detail: "the worker's answer could not be read: \(error)"))
                }
            case .notDelivered where attempt == 0 && !worker.wasKilledForTime:
                _ = await ending(of: worker)
                continue
            default:
                let ending = await ending(of: worker)
                let timedOut = worker.wasKilledForTime
                lock.withLock { if timedOut { counts.timedOut += 1 } else { counts.crashed += 1 } }
                if timedOut {
                    return .failure(PageReadFailure(.timedOut, url: url,
                                                    detail: "still reading after \(Int(configuration.timeLimit)) s; worker killed"))
                }
                return .failure(PageReadFailure(.crashed, url: url, detail: "worker \(worker.pid) \(ending)"))
            }
        }
        return .failure(PageReadFailure(.unavailable, url: url, detail: "no worker took the request"))
    }

    /// One request on the worker's own thread (blocking reads never run on the cooperative
    /// pool), with the time limit armed.
    private func send(_ frame: [UInt8], to worker: WorkerProcess) async -> WorkerProcess.Exchange {
        let timeLimit = configuration.timeLimit
        return await withCheckedContinuation { continuation in
            worker.queue.async {
                worker.deadline.arm(after: timeLimit) { worker.killForTime() }
                let exchange = worker.exchange(frame)
                worker.deadline.disarm()
                continuation.resume(returning: exchange)
            }
        }
    }

    /// Waits for a dead or killed worker and says how it ended.
    private func ending(of worker: WorkerProcess) async -> String {
        await withCheckedContinuation { continuation in
            worker.queue.async { continuation.resume(returning: worker.reap()) }
        }
    }

    // MARK: Slots

    private func takeSlot() async {
        let mustWait: Bool = lock.withLock {
            if lent < configuration.workers { lent += 1; return false }
            return true
        }
        guard mustWait else { return }
        // The slot is handed over by `giveBackSlot`, which does not decrement `lent`.
        await withCheckedContinuation { continuation in
            let handedOver: Bool = lock.withLock {
                if lent < configuration.workers { lent += 1; return true }
                waiting.append(continuation)
                return false
            }
            if handedOver { continuation.resume() }
        }
    }

    private func giveBackSlot() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            if waiting.isEmpty { lent -= 1; return nil }
            return waiting.removeFirst()
        }
        next?.resume()
    }

    // MARK: Workers

    /// The most recently used idle worker still alive; dead ones are dropped.
    private func idleWorker() -> WorkerProcess? {
        while let worker = lock.withLock({ idle.popLast()?.worker }) {
            if !worker.hasEnded() { return worker }
        }
        return nil
    }

    /// Longest a new worker may take to say it is ready (a loaded machine starts a process
    /// slowly); the page's own time limit starts after that.
    static let startupLimit: TimeInterval = 30

    private func startWorker() async throws(WorkerStartError) -> WorkerProcess {
        let worker = try WorkerProcess.start(executable: configuration.executable, environment: configuration.environment)
        let ready: Bool = await withCheckedContinuation { continuation in
            worker.queue.async {
                worker.deadline.arm(after: Self.startupLimit) { worker.killForTime() }
                let ready = worker.awaitGreeting()
                worker.deadline.disarm()
                continuation.resume(returning: ready && !worker.wasKilledForTime)
            }
        }
        guard ready else {
            Glibc.kill(worker.pid, SIGKILL)
            let ending = await ending(of: worker)
            throw WorkerStartError(detail: "\(configuration.executable.path) worker did not start as a worker of this build (\(ending))")
        }
        lock.withLock {
            counts.started += 1
            if counts.crashed + counts.timedOut > 0 { counts.restarted += 1 }
        }
        return worker
    }

    private func putBack(_ worker: WorkerProcess) {
        let now = DispatchTime.now()
        let mustArm: Bool = lock.withLock {
            idle.append((worker, now))
            defer { idleSweepArmed = true }
            return !idleSweepArmed
        }
        if mustArm { armIdleSweep(after: configuration.idleTimeout) }
    }

    /// One sweep for every idle worker, armed while some are idle (a timer per request put
    /// back would stay queued for the whole idle timeout; see `Deadline`).
    private let idleSweep = Deadline(queue: .global(qos: .utility))
    private var idleSweepArmed = false

    private func armIdleSweep(after seconds: TimeInterval) {
        idleSweep.arm(after: max(0, seconds)) { [weak self] in self?.endIdle() }
    }

    /// Ends the workers idle for `idleTimeout`, and sweeps again when the next one will be.
    private func endIdle() {
        let timeout = configuration.idleTimeout
        let now = DispatchTime.now().uptimeNanoseconds
        func idleFor(_ since: DispatchTime) -> TimeInterval { Double(now &- since.uptimeNanoseconds) / 1e9 }
        let (ended, next): ([WorkerProcess], TimeInterval?) = lock.withLock {
            let old = idle.filter { idleFor($0.since) >= timeout - 0.001 }.map(\.worker)
            idle.removeAll { idleFor($0.since) >= timeout - 0.001 }
            // The oldest idle worker is first: `putBack` appends.
            let next = idle.first.map { timeout - idleFor($0.since) }
            idleSweepArmed = next != nil
            return (old, next)
        }
        for worker in ended { worker.stop() }
        if let next { armIdleSweep(after: next) }
    }
}

/// What the pool has done so far (for tests, logs and metrics).
public struct WorkerCounts: Sendable, Hashable {
    /// Workers started in all.
    public var started = 0
    /// Workers started after one had died or been killed.
    public var restarted = 0
    /// Requests whose worker died.
    public var crashed = 0
    /// Requests that ran past the time limit.
    public var timedOut = 0
}
