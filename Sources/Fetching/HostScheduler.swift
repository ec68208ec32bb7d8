import Foundation

/// Decides which waiting transfers may start: at most `globalLimit` running in all, at most
/// `perHostLimit` per host, and two starts to one host at least that request's gap apart
/// (measured start to start). A pure state machine: time comes in as an argument, in seconds
/// on any monotonic scale, so tests drive it with made-up instants.
struct HostScheduler<Job> {
    struct Ready {
        var id: UInt64
        var host: String
        var job: Job
    }

    private struct Waiting {
        var id: UInt64
        var gap: TimeInterval
        var job: Job
    }

    /// A class, so the queue is changed in place (a struct copied out of the dictionary
    /// copied the whole queue on every trim).
    private final class HostState {
        var queue: [Waiting] = []
        var head = 0
        var running = 0
        var lastStart: TimeInterval?
        var waitingCount: Int { queue.count - head }
    }

    let globalLimit: Int
    let perHostLimit: Int
    private var hosts: [String: HostState] = [:]
    /// Hosts with waiting jobs, in the order they were first seen; served round-robin.
    private var waitingHosts: [String] = []
    private var cursor = 0
    private(set) var runningCount = 0
    private(set) var waitingCount = 0
    /// The longest gap any job asked for: a host idle for longer can be forgotten safely.
    private(set) var longestGap: TimeInterval = 0

    init(globalLimit: Int, perHostLimit: Int) {
        self.globalLimit = max(1, globalLimit)
        self.perHostLimit = max(1, perHostLimit)
    }

    mutating func enqueue(_ job: Job, id: UInt64, host: String, gap: TimeInterval) {
        let state: HostState
        if let known = hosts[host] { state = known } else { state = HostState(); hosts[host] = state }
        if state.waitingCount == 0 { waitingHosts.append(host) }
        state.queue.append(Waiting(id: id, gap: max(0, gap), job: job))
        longestGap = max(longestGap, gap)
        waitingCount += 1
    }

    /// Takes every job that may start at `now` and counts it as running.
    mutating func startReady(now: TimeInterval) -> [Ready] {
        var started: [Ready] = []
        var passesWithoutStart = 0
        while runningCount < globalLimit, !waitingHosts.isEmpty, passesWithoutStart < waitingHosts.count {
            if cursor >= waitingHosts.count { cursor = 0 }
            let host = waitingHosts[cursor]
            let state = hosts[host]!
            let next = state.queue[state.head]
            let gapOver = state.lastStart.map { now >= $0 + next.gap } ?? true
            guard state.running < perHostLimit, gapOver else {
                cursor += 1
                passesWithoutStart += 1
                continue
            }
            state.head += 1
            state.running += 1
            state.lastStart = now
            runningCount += 1
            waitingCount -= 1
            started.append(Ready(id: next.id, host: host, job: next.job))
            passesWithoutStart = 0
            if state.waitingCount == 0 {
                state.queue.removeAll(keepingCapacity: false)
                state.head = 0
                waitingHosts.remove(at: cursor)
            } else {
                if state.head > 256, state.head * 2 > state.queue.count {
                    state.queue.removeFirst(state.head)
                    state.head = 0
                }
                cursor += 1
            }
        }
        return started
    }

    /// A running job of `host` ended (done, failed or cancelled).
    mutating func finished(host: String) {
        guard let state = hosts[host] else { return }
        state.running = max(0, state.running - 1)
        runningCount = max(0, runningCount - 1)
    }

    /// Drops the memory of idle hosts whose last start is before `instant` (their gap is
    /// long over), so a daemon that meets many hosts does not grow without end.
    mutating func forgetIdleHosts(startedBefore instant: TimeInterval) {
        hosts = hosts.filter { _, state in
            state.running > 0 || state.waitingCount > 0 || (state.lastStart ?? -.infinity) >= instant
        }
    }

    var knownHostCount: Int { hosts.count }

    func knows(_ host: String) -> Bool { hosts[host] != nil }

    /// A host seen before this scheduler existed (by an earlier engine): its next start
    /// waits for the gap after `lastStart` as if this scheduler had started it.
    mutating func remember(_ host: String, lastStart: TimeInterval) {
        let state = hosts[host] ?? HostState()
        state.lastStart = max(lastStart, state.lastStart ?? lastStart)
        hosts[host] = state
    }

    /// Removes a job that has not started yet; nil when it is not waiting.
    mutating func removeWaiting(id: UInt64) -> Job? {
        for (host, state) in hosts {
            guard let index = state.queue[state.head...].firstIndex(where: { $0.id == id }) else { continue }
            let job = state.queue.remove(at: index).job
            waitingCount -= 1
            if state.waitingCount == 0 {
                state.queue.removeAll()
                state.head = 0
                if let position = waitingHosts.firstIndex(of: host) {
                    waitingHosts.remove(at: position)
                    if cursor > position { cursor -= 1 }
                }
            }
            return job
        }
        return nil
    }

    /// Every waiting job, removed (shutdown).
    mutating func removeAllWaiting() -> [Job] {
        var jobs: [Job] = []
        for state in hosts.values {
            jobs += state.queue[state.head...].map(\.job)
            state.queue = []
            state.head = 0
        }
        waitingHosts = []
        waitingCount = 0
        return jobs
    }

    /// The earliest instant a waiting job is held back only by its host's gap; nil when
    /// nothing waits on a gap (everything waiting is held by a concurrency limit).
    func nextGapEnd() -> TimeInterval? {
        var earliest: TimeInterval?
        for host in waitingHosts {
            guard let state = hosts[host], state.running < perHostLimit, let last = state.lastStart else { continue }
            let end = last + state.queue[state.head].gap
            earliest = min(earliest ?? end, end)
        }
        return earliest
    }
}
