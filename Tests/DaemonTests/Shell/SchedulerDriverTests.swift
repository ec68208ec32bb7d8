import Foundation
import Logging
import Testing
import TidingsCore
@testable import Daemon

@Suite("Scheduler driver")
struct SchedulerDriverTests {
    let logger = quietLogger()

    @Test("refresh now runs the source, publishes it and returns its report")
    func refreshNowReturnsReport() async {
        let service = FakeRefreshService(sources: [testSource("alpha"), testSource("beta")], lastAttemptAtStart: .now())
        let driver = SchedulerDriver(service: service, logger: logger)
        driver.start()
        let report = await driver.refreshNow("alpha")
        #expect(report?.sourceID == "alpha")
        #expect(report?.newArticles == 1)
        #expect(service.counts().published.last == "alpha,beta", "the whole catalog is written after the run")
        #expect(await driver.refreshNow("gamma") == nil, "an unknown source gets no report")
        await driver.stop(gracePeriod: 1)
    }

    @Test("two requests for one source while it runs never run it twice at once")
    func atMostOneRunPerSource() async throws {
        let service = FakeRefreshService(sources: [testSource("alpha")], lastAttemptAtStart: .now())
        service.hold()
        let driver = SchedulerDriver(service: service, logger: logger)
        driver.start()
        async let first = driver.refreshNow("alpha")
        await service.waitForStarts(1)
        async let second = driver.refreshNow("alpha")
        async let third = driver.refreshNow("alpha")
        while driver.waitingCount(for: "alpha") < 2 { try await Task.sleep(for: .milliseconds(2)) }
        service.release()
        let reports = await [first, second, third]
        #expect(reports.allSatisfy { $0?.sourceID == "alpha" })
        let counts = service.counts()
        #expect(counts.peak["alpha"] == 1)
        #expect(counts.refreshes["alpha"] == 2, "the later requests share one run after the first")
        await driver.stop(gracePeriod: 1)
    }

    @Test("refresh all now returns one report per source, failures included")
    func refreshAllNow() async {
        let service = FakeRefreshService(sources: [testSource("a"), testSource("b"), testSource("c")], lastAttemptAtStart: .now())
        service.failingSources = ["b"]
        let driver = SchedulerDriver(service: service, logger: logger)
        driver.start()
        let reports = await driver.refreshAllNow()
        #expect(reports.map(\.sourceID) == ["a", "b", "c"])
        #expect(reports.map(\.sourceFailed) == [false, true, false])
        #expect(driver.status.failingCount == 1)
        #expect(driver.status.summaryLine.hasPrefix("3 sources, 1 failing, next run in "))
        let metrics = driver.status.metrics
        #expect(metrics.sources["b"]?.failures == 1 && metrics.sources["a"]?.successes == 1)
        #expect(metrics.issuesByKind["fetch.http"] == 1)
        await driver.stop(gracePeriod: 1)
    }

    @Test("a reload adds and removes sources and keeps the old definition of a broken file")
    func reloadKeepsOldDefinitionOfBrokenFile() async {
        let service = FakeRefreshService(sources: [testSource("keep", every: 60), testSource("gone"), testSource("broken")], lastAttemptAtStart: .now())
        let driver = SchedulerDriver(service: service, logger: logger)
        driver.start()
        service.setCatalog([testSource("keep", every: 60), testSource("new")],
                           errors: [CatalogError(file: "broken.toml", key: "every", message: "'soon' is not a duration")])
        let (summary, errors) = driver.reload()
        #expect(summary.added == ["new"])
        #expect(summary.removed == ["gone"])
        #expect(errors.count == 1)
        #expect(driver.currentSources.map(\.id) == ["broken", "keep", "new"])
        #expect(driver.status.catalogErrors == ["broken.toml: key 'every': 'soon' is not a duration"])
        await service.waitForStarts(1)
        #expect(service.counts().refreshes["new"] == 1, "a new source runs at once")
        await driver.stop(gracePeriod: 1)
    }

    @Test("stopping cancels refreshes still running after the grace period and answers waiting callers")
    func stopCancelsAfterGrace() async {
        let service = FakeRefreshService(sources: [testSource("slow"), testSource("queued")], lastAttemptAtStart: .now())
        service.hold()
        let driver = SchedulerDriver(service: service, logger: logger, heartbeatInterval: 1)
        driver.start()
        driver.requestRefreshOfAll()
        await service.waitForStarts(2)
        #expect(driver.isAlive)
        await driver.stop(gracePeriod: 0)
        #expect(!driver.isAlive)
        #expect(service.cancelledRuns == 2)
        #expect(await driver.refreshNow("slow") == nil, "a stopped scheduler takes no work")
    }

    @Test("the watchdog hook runs only while the scheduler is alive")
    func watchdogHookOnlyWhileAlive() async {
        let service = FakeRefreshService(sources: [testSource("a")])
        let driver = SchedulerDriver(service: service, logger: logger)
        driver.start()
        let pings = Locked(0)
        driver.onSchedulerQueue { pings.withLock { $0 += 1 } }
        _ = driver.schedules()
        #expect(pings.current == 1)
        await driver.stop(gracePeriod: 0)
        driver.onSchedulerQueue { pings.withLock { $0 += 1 } }
        _ = driver.schedules()
        #expect(pings.current == 1)
    }

    @Test("a source due soon is refreshed by the timer without being asked")
    func timerRunsDueSources() async {
        let service = FakeRefreshService(sources: [testSource("quick", every: 0.2)])
        let driver = SchedulerDriver(service: service, logger: logger)
        driver.start()
        await service.waitForStarts(2)
        #expect(service.counts().refreshes["quick"]! >= 2)
        await driver.stop(gracePeriod: 1)
    }

    @Test("a source never refreshed runs within a minute of start, without being asked")
    func firstRunSoonAfterStart() async {
        let service = FakeRefreshService(sources: [testSource("fresh", every: 86400)])
        let driver = SchedulerDriver(service: service, logger: logger)
        #expect(driver.schedules().first.map { $0.nextRunInSeconds < Scheduler.firstRunSpreadWindow } == true)
        await driver.stop(gracePeriod: 0)
    }

    @Test("the status line's next run moves with the clock, sent on the heartbeat only when it changed")
    func liveStatusLine() async throws {
        let service = FakeRefreshService(sources: [testSource("later", every: 1800)], lastAttemptAtStart: .now())
        let lines = Locked<[String]>([])
        let driver = SchedulerDriver(service: service, logger: logger, heartbeatInterval: 0.1,
                                     onStatusChange: { status in lines.withLock { $0.append(status.summaryLine) } })
        driver.start()
        let deadline = Date().addingTimeInterval(10)
        while Set(lines.current).count < 3 && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        await driver.stop(gracePeriod: 0)
        let distinct = lines.current.filter { $0.contains("next run in") }
        #expect(Set(distinct).count >= 3, "\(distinct)")
        #expect(distinct.count == Set(distinct).count, "an unchanged line is not sent again: \(distinct)")
        #expect(distinct.allSatisfy { $0.range(of: #"next run in \d+m \d+s"#, options: .regularExpression) != nil }, "\(distinct)")
    }

    @Test("due sources that wait for a slot are counted on the status line, not shown as 'next run in 0s'")
    func waitingForSlot() async throws {
        let sources = (0..<5).map { testSource("s\($0)") }
        let service = FakeRefreshService(sources: sources, lastAttemptAtStart: .now())
        service.hold()
        let driver = SchedulerDriver(service: service, configuration: .init(maximumConcurrentRefreshes: 2), logger: logger,
                                     heartbeatInterval: 0.1)
        driver.start()
        driver.requestRefreshOfAll()
        await service.waitForStarts(2)
        let deadline = Date().addingTimeInterval(10)
        while !driver.status.summaryLine.contains("3 due, waiting for a free slot") && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(driver.status.summaryLine == "5 sources, 0 failing, 2 refreshing, 3 due, waiting for a free slot")
        service.release()
        await driver.stop(gracePeriod: 1)
    }

    @Test("publishing is told when the catalog changed: at start and after a reload that changed it, not after refreshes")
    func catalogChangesReachPublishing() async {
        let service = FakeRefreshService(sources: [testSource("a")], lastAttemptAtStart: .now())
        let driver = SchedulerDriver(service: service, logger: logger)
        driver.start()
        _ = await driver.refreshNow("a")
        _ = await driver.refreshNow("a")
        #expect(service.counts().published.count >= 2)
        #expect(service.catalogPublications == 1)
        service.setCatalog([testSource("a"), testSource("b")])
        driver.reload()
        _ = await driver.refreshNow("b")
        #expect(service.catalogPublications == 2)
        await driver.stop(gracePeriod: 1)
    }
}
