import Foundation
import Testing
@testable import Fetching
import TestSupport

@Suite("Politeness: host scheduler")
struct HostSchedulerTests {
    @Test("one host gets one request at a time by default, the next starting when the first ends")
    func perHostLimit() {
        var scheduler = HostScheduler<String>(globalLimit: 16, perHostLimit: 1)
        for (id, path) in ["/a", "/b", "/c"].enumerated() {
            scheduler.enqueue(path, id: UInt64(id), host: "https://news.example", gap: 0)
        }
        #expect(scheduler.startReady(now: 0).map(\.job) == ["/a"])
        #expect(scheduler.startReady(now: 5).isEmpty)
        scheduler.finished(host: "https://news.example")
        #expect(scheduler.startReady(now: 5).map(\.job) == ["/b"])
    }

    @Test("two starts to one host are at least the gap apart, and other hosts do not wait for it")
    func hostGap() {
        var scheduler = HostScheduler<String>(globalLimit: 16, perHostLimit: 1)
        scheduler.enqueue("a1", id: 1, host: "a", gap: 1)
        scheduler.enqueue("a2", id: 2, host: "a", gap: 1)
        scheduler.enqueue("b1", id: 3, host: "b", gap: 1)
        #expect(scheduler.startReady(now: 100).map(\.job) == ["a1", "b1"])
        scheduler.finished(host: "a")
        #expect(scheduler.startReady(now: 100.5).isEmpty)
        #expect(scheduler.nextGapEnd() == 101)
        #expect(scheduler.startReady(now: 101).map(\.job) == ["a2"])
    }

    @Test("a per-source gap override applies to that request")
    func gapOverride() {
        var scheduler = HostScheduler<String>(globalLimit: 16, perHostLimit: 1)
        scheduler.enqueue("first", id: 1, host: "a", gap: 1)
        scheduler.enqueue("slow source", id: 2, host: "a", gap: 10)
        _ = scheduler.startReady(now: 0)
        scheduler.finished(host: "a")
        #expect(scheduler.startReady(now: 5).isEmpty)
        #expect(scheduler.startReady(now: 10).map(\.job) == ["slow source"])
    }

    @Test("the global limit caps transfers across hosts, served round-robin")
    func globalLimit() {
        var scheduler = HostScheduler<String>(globalLimit: 3, perHostLimit: 2)
        for i in 0..<4 { scheduler.enqueue("a\(i)", id: UInt64(i), host: "a", gap: 0) }
        for i in 0..<4 { scheduler.enqueue("b\(i)", id: UInt64(10 + i), host: "b", gap: 0) }
        let started = scheduler.startReady(now: 0).map(\.job)
        #expect(started.count == 3)
        #expect(Set(started.map(\.first)) == ["a", "b"])
        #expect(scheduler.runningCount == 3)
        #expect(scheduler.startReady(now: 1).isEmpty)
    }

    @Test("a waiting job can be withdrawn (cancellation)")
    func withdraw() {
        var scheduler = HostScheduler<String>(globalLimit: 1, perHostLimit: 1)
        scheduler.enqueue("a", id: 1, host: "h", gap: 0)
        scheduler.enqueue("b", id: 2, host: "h", gap: 0)
        _ = scheduler.startReady(now: 0)
        #expect(scheduler.removeWaiting(id: 2) == "b")
        #expect(scheduler.waitingCount == 0)
        scheduler.finished(host: "h")
        #expect(scheduler.startReady(now: 1).isEmpty)
    }

    @Test("the fetcher never opens more simultaneous requests to one host than allowed")
    func perHostConcurrencyOverLoopback() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(body: Data("<p>x</p>".utf8), delay: 0.05) }
        for limit in [1, 3] {
            server.resetCounts()
            let fetcher = loopbackFetcher { $0.perHostConcurrency = limit }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<8 {
                    group.addTask { _ = try await fetcher.fetch(FetchRequest(url: server.url("/page/\(i)"))) }
                }
                try await group.waitForAll()
            }
            #expect(server.totalRequests == 8)
            #expect(server.peakSimultaneousRequests <= limit, "limit \(limit)")
            #expect(server.peakSimultaneousRequests >= 1)
        }
    }
}

@Suite("Politeness: host memory")
struct HostMemoryTests {
    @Test("an idle host is forgotten only once its gap is over")
    func forgetting() {
        var scheduler = HostScheduler<String>(globalLimit: 4, perHostLimit: 1)
        scheduler.enqueue("a", id: 1, host: "a", gap: 30)
        _ = scheduler.startReady(now: 0)
        scheduler.finished(host: "a")
        scheduler.forgetIdleHosts(startedBefore: -1)
        #expect(scheduler.knownHostCount == 1)
        scheduler.enqueue("a again", id: 2, host: "a", gap: 30)
        #expect(scheduler.startReady(now: 10).isEmpty)
        #expect(scheduler.longestGap == 30)
        scheduler.forgetIdleHosts(startedBefore: 31)
        #expect(scheduler.knownHostCount == 1, "a host with a waiting job is kept")
    }
}
