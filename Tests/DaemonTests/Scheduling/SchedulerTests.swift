import Foundation
import TestSupport
import Testing
import TidingsCore
@testable import Daemon

private func source(_ id: String, every: TimeInterval = 600, url: String? = nil) -> Source {
    Source(id: id, title: id, url: URL(string: url ?? "https://news.example.com/\(id)/")!, every: every)
}

/// A scheduler whose sources are all due at `start` and whose jitter is off, so times are exact.
private func exactScheduler(_ sources: [Source], limit: Int = 4, now: Double = 0) -> Scheduler {
    var scheduler = Scheduler(sources: sources, now: now,
                              configuration: .init(jitterFraction: 0, maximumConcurrentRefreshes: limit),
                              random: SeededRandom(seed: 1))
    scheduler.requestRefreshOfAll(now: now)
    return scheduler
}

@Suite("Scheduler")
struct SchedulerTests {
    @Test("first runs of 1,000 sources come within a minute of start, spread over it, not over their interval")
    func firstRunsAreSpread() {
        let sources = (0..<1000).map { source("s\($0)", every: 3600) }
        let scheduler = Scheduler(sources: sources, now: 1000, random: SeededRandom(seed: 42))
        var buckets = [Int](repeating: 0, count: 10)
        for id in scheduler.sourceIDs {
            let due = scheduler.state(of: id)!.nextDue
            #expect(due >= 1000 && due < 1000 + Scheduler.firstRunSpreadWindow)
            buckets[Int((due - 1000) / (Scheduler.firstRunSpreadWindow / 10))] += 1
        }
        // Uniform spread: each tenth of the window holds about 100 first runs, none is crowded.
        #expect(buckets.allSatisfy { (60...140).contains($0) }, "buckets: \(buckets)")
        let quick = Scheduler(sources: [source("q", every: 10)], now: 0, random: SeededRandom(seed: 1))
        #expect(quick.state(of: "q")!.nextDue < 10, "a source with a shorter interval starts within it")
    }

    @Test("nothing is due before its first run and a due source is handed out once")
    func dueSourcesAreHandedOutOnce() {
        var scheduler = Scheduler(sources: [source("a", every: 100)], now: 0, random: SeededRandom(seed: 7))
        let due = scheduler.state(of: "a")!.nextDue
        #expect(scheduler.takeDueSources(now: due - 0.001).isEmpty)
        #expect(scheduler.takeDueSources(now: due).map(\.id) == ["a"])
        #expect(scheduler.takeDueSources(now: due + 1000).isEmpty, "a running source is not started twice")
        #expect(scheduler.state(of: "a")!.isRunning)
    }

    @Test("after a success the next run is one interval later, within ±10 % jitter")
    func successSchedulesOneJitteredInterval() {
        var scheduler = Scheduler(sources: [source("a", every: 1000)], now: 0, random: SeededRandom(seed: 3))
        var delays: [Double] = []
        var now = 5000.0
        scheduler.requestRefresh(sourceID: "a", now: now)
        for _ in 0..<500 {
            #expect(scheduler.takeDueSources(now: now).count == 1)
            scheduler.refreshFinished(sourceID: "a", result: .success, now: now)
            let next = scheduler.state(of: "a")!.nextDue
            delays.append(next - now)
            now = next
        }
        #expect(delays.allSatisfy { (900...1100).contains($0) })
        #expect(delays.contains { $0 < 950 } && delays.contains { $0 > 1050 }, "jitter uses its whole range")
    }

    @Test("the wait after a failure is the doubled interval within ±10 % jitter (the one backoff, #19)")
    func failureBackoffIsJittered() {
        var scheduler = Scheduler(sources: [source("a", every: 1000)], now: 0, random: SeededRandom(seed: 5))
        var delays: [Double] = []
        var now = 5000.0
        for _ in 0..<300 {
            scheduler.requestRefresh(sourceID: "a", now: now)
            #expect(scheduler.takeDueSources(now: now).count == 1)
            scheduler.refreshFinished(sourceID: "a", result: .success, now: now)
            scheduler.requestRefresh(sourceID: "a", now: now)
            #expect(scheduler.takeDueSources(now: now).count == 1)
            scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: nil), now: now)
            delays.append(scheduler.state(of: "a")!.nextDue - now)
            now += 10_000
        }
        #expect(delays.allSatisfy { (1800...2200).contains($0) }, "\(delays.min()!)…\(delays.max()!)")
        #expect(delays.contains { $0 < 1900 } && delays.contains { $0 > 2100 })
    }

    @Test("without jitter the next run is exactly one interval later")
    func noJitterIsExact() {
        var scheduler = exactScheduler([source("a", every: 900)])
        _ = scheduler.takeDueSources(now: 0)
        scheduler.refreshFinished(sourceID: "a", result: .success, now: 10)
        #expect(scheduler.state(of: "a")!.nextDue == 910)
    }

    @Test("failures back off exponentially up to 24 hours")
    func failuresBackOffExponentially() {
        var scheduler = exactScheduler([source("a", every: 60)])
        var now = 0.0
        var delays: [Double] = []
        for _ in 0..<14 {
            #expect(scheduler.takeDueSources(now: now).count == 1)
            scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: nil), now: now)
            let next = scheduler.state(of: "a")!.nextDue
            delays.append(next - now)
            now = next
        }
        #expect(Array(delays.prefix(6)) == [120, 240, 480, 960, 1920, 3840])
        #expect(delays.last == 86400)
        #expect(delays.allSatisfy { $0 <= 86400 })
        #expect(scheduler.state(of: "a")!.consecutiveFailures == 14)
        #expect(scheduler.failingCount == 1)
    }

    @Test("a success resets the backoff")
    func successResetsBackoff() {
        var scheduler = exactScheduler([source("a", every: 60)])
        for now in [0.0, 120, 360] {
            _ = scheduler.takeDueSources(now: now)
            scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: nil), now: now)
        }
        #expect(scheduler.state(of: "a")!.nextDue == 360 + 480)
        _ = scheduler.takeDueSources(now: 840)
        scheduler.refreshFinished(sourceID: "a", result: .success, now: 840)
        #expect(scheduler.state(of: "a")!.nextDue == 900)
        #expect(scheduler.state(of: "a")!.consecutiveFailures == 0)
        _ = scheduler.takeDueSources(now: 900)
        scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: nil), now: 900)
        #expect(scheduler.state(of: "a")!.nextDue == 900 + 120, "the count starts again from one")
    }

    @Test("a source whose interval is longer than a day still waits at least its interval after a failure")
    func backoffNeverShorterThanInterval() {
        let scheduler = Scheduler(sources: [], now: 0, random: SeededRandom(seed: 1))
        #expect(scheduler.backoff(every: 2 * 86400, failures: 3) == 2 * 86400)
        #expect(scheduler.backoff(every: 60, failures: 0) == 60)
        #expect(scheduler.backoff(every: 60, failures: 1000) == 86400)
    }

    @Test("Retry-After longer than the backoff is respected (RFC 9110 §10.2.3)")
    func retryAfterIsRespected() {
        var scheduler = exactScheduler([source("a", every: 60)])
        _ = scheduler.takeDueSources(now: 0)
        scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: 7200), now: 0)
        #expect(scheduler.state(of: "a")!.nextDue == 7200)
    }

    @Test("Retry-After shorter than the backoff does not shorten it")
    func shortRetryAfterKeepsBackoff() {
        var scheduler = exactScheduler([source("a", every: 600)])
        _ = scheduler.takeDueSources(now: 0)
        scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: 5), now: 0)
        #expect(scheduler.state(of: "a")!.nextDue == 1200)
    }

    @Test("Retry-After is respected even with jitter on")
    func retryAfterWithJitter() {
        var scheduler = Scheduler(sources: [source("a", every: 60)], now: 0, random: SeededRandom(seed: 9))
        for round in 0..<50 {
            let now = Double(round) * 100_000
            scheduler.requestRefresh(sourceID: "a", now: now)
            _ = scheduler.takeDueSources(now: now)
            scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: 3600), now: now)
            #expect(scheduler.state(of: "a")!.nextDue >= now + 3600)
            _ = scheduler.takeDueSources(now: now)
        }
    }

    @Test("no more sources run at once than the global limit")
    func globalLimit() {
        let sources = (0..<10).map { source("s\($0)") }
        var scheduler = exactScheduler(sources, limit: 3)
        let first = scheduler.takeDueSources(now: 0)
        #expect(first.count == 3)
        #expect(scheduler.runningCount == 3)
        #expect(scheduler.takeDueSources(now: 1).isEmpty)
        #expect(scheduler.nextWakeUp == nil, "all slots busy: wait for a refresh to end")
        scheduler.refreshFinished(sourceID: first[0].id, result: .success, now: 2)
        #expect(scheduler.nextWakeUp == 0)
        let second = scheduler.takeDueSources(now: 2)
        #expect(second.count == 1)
        #expect(Set(first.map(\.id)).isDisjoint(with: second.map(\.id)))
    }

    @Test("the longest overdue source goes first")
    func longestOverdueFirst() {
        var scheduler = Scheduler(sources: [source("a", every: 100), source("b", every: 100), source("c", every: 100)],
                                  now: 0, configuration: .init(jitterFraction: 0, maximumConcurrentRefreshes: 1),
                                  random: SeededRandom(seed: 5))
        let order = scheduler.sourceIDs.sorted { scheduler.state(of: $0)!.nextDue < scheduler.state(of: $1)!.nextDue }
        #expect(scheduler.takeDueSources(now: 200).map(\.id) == [order[0]])
    }

    @Test("a source asked for by a person goes before sources that are merely due")
    func urgentGoesFirst() {
        var scheduler = Scheduler(sources: [source("a", every: 100), source("b", every: 100), source("late", every: 10_000)],
                                  now: 0, configuration: .init(jitterFraction: 0, maximumConcurrentRefreshes: 1),
                                  random: SeededRandom(seed: 5))
        #expect(scheduler.requestRefresh(sourceID: "late", now: 500) == .scheduled)
        #expect(scheduler.takeDueSources(now: 500).map(\.id) == ["late"])
    }

    @Test("refresh now ignores the failure backoff")
    func refreshNowIgnoresBackoff() {
        var scheduler = exactScheduler([source("a", every: 60)])
        _ = scheduler.takeDueSources(now: 0)
        scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: 3600), now: 0)
        #expect(scheduler.requestRefresh(sourceID: "a", now: 10) == .scheduled)
        #expect(scheduler.nextWakeUp == 10)
        #expect(scheduler.takeDueSources(now: 10).map(\.id) == ["a"])
    }

    @Test("refresh now of a running source runs it again right after the current run")
    func refreshNowWhileRunning() {
        var scheduler = exactScheduler([source("a", every: 600)])
        _ = scheduler.takeDueSources(now: 0)
        #expect(scheduler.requestRefresh(sourceID: "a", now: 5) == .queuedAfterCurrentRun)
        #expect(scheduler.takeDueSources(now: 5).isEmpty, "at most one refresh of a source at a time")
        scheduler.refreshFinished(sourceID: "a", result: .success, now: 8)
        #expect(scheduler.state(of: "a")!.nextDue == 8)
        #expect(scheduler.takeDueSources(now: 8).map(\.id) == ["a"])
        scheduler.refreshFinished(sourceID: "a", result: .success, now: 9)
        #expect(scheduler.state(of: "a")!.nextDue == 609, "the rerun happens once")
    }

    @Test("refresh now of an unknown source says so")
    func refreshUnknown() {
        var scheduler = exactScheduler([source("a")])
        #expect(scheduler.requestRefresh(sourceID: "nope", now: 0) == .unknownSource)
    }

    @Test("refresh all makes every source due at once, still within the global limit")
    func refreshAll() {
        let sources = (0..<6).map { source("s\($0)", every: 3600) }
        var scheduler = Scheduler(sources: sources, now: 0,
                                  configuration: .init(maximumConcurrentRefreshes: 4), random: SeededRandom(seed: 2))
        let outcomes = scheduler.requestRefreshOfAll(now: 1)
        #expect(outcomes.count == 6 && outcomes.values.allSatisfy { $0 == .scheduled })
        #expect(scheduler.takeDueSources(now: 1).count == 4)
        #expect(scheduler.requestRefreshOfAll(now: 2).values.filter { $0 == .queuedAfterCurrentRun }.count == 4)
    }

    @Test("a reload adds new sources due at once, drops removed ones and counts unchanged ones")
    func reloadAddsAndRemoves() {
        var scheduler = Scheduler(sources: [source("a"), source("b")], now: 0, random: SeededRandom(seed: 4))
        let summary = scheduler.reload(sources: [source("b"), source("c")], now: 50)
        #expect(summary == ReloadSummary(added: ["c"], removed: ["a"], changed: [], unchanged: 1))
        #expect(scheduler.sourceIDs == ["b", "c"])
        #expect(scheduler.state(of: "c")!.nextDue == 50)
        #expect(scheduler.takeDueSources(now: 50).map(\.id).contains("c"))
    }

    @Test("a source removed while it runs is forgotten when its refresh ends")
    func removedWhileRunning() {
        var scheduler = exactScheduler([source("a"), source("b")])
        _ = scheduler.takeDueSources(now: 0)
        _ = scheduler.reload(sources: [source("b")], now: 1)
        scheduler.refreshFinished(sourceID: "a", result: .success, now: 2)
        #expect(scheduler.state(of: "a") == nil)
        #expect(scheduler.runningCount == 1)
    }

    @Test("a changed interval moves the next run no later than one new interval")
    func changedIntervalReschedules() {
        var scheduler = exactScheduler([source("a", every: 3600)])
        _ = scheduler.takeDueSources(now: 0)
        scheduler.refreshFinished(sourceID: "a", result: .success, now: 0)
        let summary = scheduler.reload(sources: [source("a", every: 60)], now: 100)
        #expect(summary.changed == ["a"])
        #expect(scheduler.state(of: "a")!.nextDue == 160)
        #expect(scheduler.source(named: "a")!.every == 60)
        _ = scheduler.reload(sources: [source("a", every: 7200)], now: 110)
        #expect(scheduler.state(of: "a")!.nextDue == 160, "a longer interval does not push a due run back")
    }

    @Test("any other change of a source runs it at once, or right after its current run")
    func changedDefinitionRunsNow() {
        var scheduler = exactScheduler([source("a", every: 3600), source("b", every: 3600)])
        _ = scheduler.takeDueSources(now: 0)
        scheduler.refreshFinished(sourceID: "a", result: .success, now: 0)
        _ = scheduler.reload(sources: [source("a", url: "https://other.example.org/"),
                                       source("b", url: "https://other.example.org/b")], now: 10)
        #expect(scheduler.state(of: "a")!.nextDue == 10)
        #expect(scheduler.source(named: "a")!.url.host == "other.example.org")
        scheduler.refreshFinished(sourceID: "b", result: .success, now: 20)
        #expect(scheduler.state(of: "b")!.nextDue == 20)
    }

    @Test("a changed source keeps its failure count")
    func changedKeepsFailures() {
        var scheduler = exactScheduler([source("a", every: 60)])
        _ = scheduler.takeDueSources(now: 0)
        scheduler.refreshFinished(sourceID: "a", result: .failure(retryAfter: nil), now: 0)
        _ = scheduler.reload(sources: [source("a", every: 30)], now: 1)
        #expect(scheduler.state(of: "a")!.consecutiveFailures == 1)
    }

    @Test("a stopping scheduler hands out no work and refuses requests")
    func stopping() {
        var scheduler = exactScheduler([source("a"), source("b")], limit: 1)
        _ = scheduler.takeDueSources(now: 0)
        scheduler.stop()
        #expect(scheduler.takeDueSources(now: 10).isEmpty)
        #expect(scheduler.nextWakeUp == nil)
        #expect(scheduler.requestRefresh(sourceID: "b", now: 10) == .stopping)
        scheduler.refreshFinished(sourceID: "a", result: .success, now: 11)
        #expect(scheduler.runningCount == 0)
    }

    @Test("the next wake-up is the earliest due time of a waiting source")
    func nextWakeUp() {
        var scheduler = Scheduler(sources: [source("a", every: 100), source("b", every: 1000)], now: 0,
                                  random: SeededRandom(seed: 11))
        let dueA = scheduler.state(of: "a")!.nextDue
        let dueB = scheduler.state(of: "b")!.nextDue
        #expect(scheduler.nextWakeUp == min(dueA, dueB))
        _ = scheduler.takeDueSources(now: min(dueA, dueB))
        #expect(scheduler.nextWakeUp == max(dueA, dueB))
        #expect(Scheduler(sources: [], now: 0).nextWakeUp == nil)
    }

    @Test("after a restart a source refreshed recently keeps its rhythm instead of being spread anew")
    func restartKeepsRhythm() {
        let scheduler = Scheduler(sources: [source("a", every: 3600)], now: 10_000, lastAttempts: ["a": 9_000],
                                  configuration: .init(jitterFraction: 0), random: SeededRandom(seed: 1))
        #expect(scheduler.state(of: "a")!.nextDue == 12_600)
    }

    @Test("after a restart overdue sources run within five minutes, spread out")
    func restartSpreadsOverdueSources() {
        let sources = (0..<200).map { source("s\($0)", every: 86400) }
        let lastAttempts = Dictionary(uniqueKeysWithValues: sources.map { ($0.id, -200_000.0) })
        let scheduler = Scheduler(sources: sources, now: 0, lastAttempts: lastAttempts, random: SeededRandom(seed: 8))
        let dues = scheduler.sourceIDs.map { scheduler.state(of: $0)!.nextDue }
        #expect(dues.allSatisfy { $0 >= 0 && $0 < Scheduler.overdueSpreadWindow })
        #expect(Set(dues.map { Int($0 / 30) }).count == 10, "every 30 s slice of the window gets some")
    }

    @Test("a last attempt in the future (clock trouble) never delays a source beyond one interval")
    func futureLastAttemptIsBounded() {
        let scheduler = Scheduler(sources: [source("a", every: 600)], now: 0, lastAttempts: ["a": 50_000],
                                  random: SeededRandom(seed: 3))
        #expect(scheduler.state(of: "a")!.nextDue <= 600)
    }

    @Test("sources due together go to different hosts first, then fill the free slots in order")
    func hostsFirst() {
        let sources = [source("a1", url: "https://a.example.com/1"), source("a2", url: "https://a.example.com/2"),
                       source("a3", url: "https://a.example.com/3"), source("b1", url: "https://b.example.com/1"),
                       source("c1", url: "https://c.example.com/1")]
        var scheduler = exactScheduler(sources, limit: 3)
        #expect(scheduler.takeDueSources(now: 0).map(\.id) == ["a1", "b1", "c1"])
        scheduler.refreshFinished(sourceID: "b1", result: .success, now: 1)
        #expect(scheduler.takeDueSources(now: 1).map(\.id) == ["a2"], "a free slot still goes to a due source of a busy host")
    }

    @Test("sources at once follow the catalog's hosts unless set, and change with a reload")
    func limitFollowsHosts() {
        let many = (0..<30).map { source("s\($0)", url: "https://h\($0 % 10).example.com/\($0)") }
        #expect(Scheduler(sources: many, now: 0).limit == 10)
        #expect(Scheduler(sources: many, now: 0, configuration: .init(maximumConcurrentRefreshes: 2)).limit == 2)
        var scheduler = Scheduler(sources: Array(many.prefix(3)), now: 0)
        #expect(scheduler.limit == 4)
        _ = scheduler.reload(sources: many, now: 0)
        #expect(scheduler.limit == 10)
    }

    /// Runs the scheduler on an injected clock: `limit` slots, each refresh taking `duration`
    /// seconds, for `length` seconds; returns when each source ran and when it was due then.
    static func simulate(_ sources: [Source], limit: Int, duration: Double, length: Double) -> [String: [(due: Double, start: Double)]] {
        var scheduler = Scheduler(sources: sources, now: 0, configuration: .init(maximumConcurrentRefreshes: limit),
                                  random: SeededRandom(seed: 5))
        var runs: [String: [(due: Double, start: Double)]] = [:]
        var ending: [(time: Double, id: String)] = []
        var now = 0.0
        while now < length {
            for started in scheduler.takeDueSources(now: now) {
                runs[started.id, default: []].append((due: scheduler.state(of: started.id)!.nextDue, start: now))
                ending.append((now + duration, started.id))
            }
            ending.sort { $0.time < $1.time }
            let nextEnd = ending.first?.time ?? .infinity
            let nextDue = scheduler.nextWakeUp ?? .infinity
            now = min(nextEnd, max(nextDue, now + 0.001))
            while let first = ending.first, first.time <= now {
                ending.removeFirst()
                scheduler.refreshFinished(sourceID: first.id, result: .success, now: now)
            }
        }
        return runs
    }

    @Test("overloaded (200 sources every 30 s, 4 at once, 1 s each): no due source waits over an interval while another runs twice")
    func fairUnderOverload() {
        let sources = (0..<200).map { source("s\($0)", every: 30, url: "https://h\($0 % 7).example.com/\($0)") }
        let runs = Self.simulate(sources, limit: 4, duration: 1, length: 600)
        #expect(runs.count == 200, "every source ran (\(runs.count))")
        let counts = runs.values.map(\.count)
        #expect(counts.max()! - counts.min()! <= 2, "runs per source: \(counts.min()!)…\(counts.max()!)")
        // 600 s × 4 slots of 1 s: about 2,400 refreshes, 12 each, close to the capacity.
        #expect(counts.reduce(0, +) > 2300)
        for (id, list) in runs {
            for run in list.dropFirst() where run.start - run.due > 30 {
                // Waited past one interval: nobody may have started twice while it waited.
                let others = runs.filter { $0.key != id }.values.map { $0.filter { $0.start >= run.due && $0.start < run.start }.count }
                #expect(others.allSatisfy { $0 <= 1 }, "\(id) waited \(run.start - run.due) s while another ran twice")
            }
        }
    }

    @Test("not overloaded, every source runs on time every interval")
    func onTimeWhenThereIsRoom() {
        let sources = (0..<20).map { source("s\($0)", every: 30, url: "https://h\($0).example.com/") }
        let runs = Self.simulate(sources, limit: 20, duration: 1, length: 300)
        for (id, list) in runs {
            #expect(list.count >= 9, "\(id) ran \(list.count) times in 300 s at every = 30 s")
            #expect(list.allSatisfy { $0.start - $0.due < 0.01 }, "\(id) started late")
        }
    }
}
