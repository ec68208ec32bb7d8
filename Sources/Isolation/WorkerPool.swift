import Foundation

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

    /// Sends `frame` to a worker and returns its answer, read by `decode`, or why there is none.
    func exchange<Answer>(_ frame: [UInt8], url: URL, decode: ([UInt8]) throws -> Answer) async -> Result<Answer, PageReadFailure> {
        await takeSlot()
        let worker: WorkerProcess
        do {
            worker = try idleWorker() ?? startWorker()
        } catch {
            giveBackSlot()
            return .failure(PageReadFailure(.unavailable, url: url, detail: error.description))
        }
        let timeLimit = configuration.timeLimit
        let answer: [UInt8]? = await withCheckedContinuation { continuation in
            // Blocking reads belong on a thread of their own, never on the cooperative pool.
            worker.queue.async {
                let timer = DispatchWorkItem { worker.killForTime() }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: timer)
                let answer = worker.exchange(frame)
                timer.cancel()
                continuation.resume(returning: answer)
            }
        }
        if let answer, !worker.wasKilledForTime {
            do {
                let decoded = try decode(answer)
                putBack(worker)
                return .success(decoded)
            } catch {
                // An answer this side cannot read: that worker is not trusted again.
                worker.stop()
                giveBackSlot()
                return .failure(PageReadFailure(.unavailable, url: url, detail: "the worker's answer could not be read: \(error)"))
            }
        }
        let ending = await withCheckedContinuation { continuation in
            worker.queue.async { continuation.resume(returning: worker.reap()) }
        }
        let timedOut = worker.wasKilledForTime
        lock.withLock {
            if timedOut { counts.timedOut += 1 } else { counts.crashed += 1 }
        }
        giveBackSlot()
        if timedOut {
            return .failure(PageReadFailure(.timedOut, url: url, detail: "still reading after \(Int(timeLimit)) s; worker killed"))
        }
        return .failure(PageReadFailure(.crashed, url: url, detail: "worker \(worker.pid) \(ending)"))
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

    private func idleWorker() -> WorkerProcess? {
        lock.withLock { idle.popLast()?.worker }
    }

    private func startWorker() throws(WorkerStartError) -> WorkerProcess {
        let worker = try WorkerProcess.start(executable: configuration.executable, environment: configuration.environment)
        lock.withLock {
            counts.started += 1
            if counts.crashed + counts.timedOut > 0 { counts.restarted += 1 }
        }
        return worker
    }

    private func putBack(_ worker: WorkerProcess) {
        let now = DispatchTime.now()
        lock.withLock { idle.append((worker, now)) }
        giveBackSlot()
        let timeout = configuration.idleTimeout
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: now + timeout) { [weak self] in self?.endIdle(olderThan: timeout) }
    }

    private func endIdle(olderThan timeout: TimeInterval) {
        let now = DispatchTime.now().uptimeNanoseconds
        func isOld(_ since: DispatchTime) -> Bool { Double(now &- since.uptimeNanoseconds) / 1e9 >= timeout - 0.001 }
        let ended: [WorkerProcess] = lock.withLock {
            let old = idle.filter { isOld($0.since) }.map(\.worker)
            idle.removeAll { isOld($0.since) }
            return old
        }
        for worker in ended { worker.stop() }
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
