import Foundation
import Testing
@testable import Daemon

@Suite("Feed server: refresh, health, status, metrics")
struct FeedServerControlTests {
    @Test("GET /refresh and GET /refresh/<source> answer 405 with Allow: POST")
    func getRefreshIs405() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        for path in ["/refresh", "/refresh/alpha"] {
            let response = try await fixture.get(path)
            #expect(response.status == 405, "\(path)")
            #expect(response.header("Allow") == "POST")
        }
        #expect(fixture.service.counts().refreshes.isEmpty)
    }

    @Test("POST /refresh without the right Bearer token is refused with 401")
    func refreshNeedsToken() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        #expect(try await fixture.post("/refresh", token: nil).status == 401)
        let wrong = try await fixture.post("/refresh/alpha", token: "guess")
        #expect(wrong.status == 401)
        #expect(wrong.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(fixture.service.counts().refreshes.isEmpty)
    }

    @Test("POST /refresh/<source> refreshes it and answers the report as JSON")
    func refreshOneSource() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let response = try await fixture.post("/refresh/alpha")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let decoded = try JSONDecoder().decode(RefreshResponse.self, from: response.body)
        #expect(decoded.reports.map(\.source) == ["alpha"])
        #expect(decoded.reports[0].ok && decoded.reports[0].newArticles == 1)
        #expect(decoded.reports[0].report.sourceID == "alpha")
        #expect(fixture.service.counts().refreshes == ["alpha": 1])
    }

    @Test("POST /refresh/<unknown> answers 404")
    func refreshUnknownSource() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let response = try await fixture.post("/refresh/nonexistent")
        #expect(response.status == 404)
        #expect(response.text.contains("nonexistent"))
    }

    @Test("POST /refresh refreshes every source and lists each outcome")
    func refreshAll() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        fixture.service.failingSources = ["beta"]
        let response = try await fixture.post("/refresh")
        let decoded = try JSONDecoder().decode(RefreshResponse.self, from: response.body)
        #expect(decoded.reports.map(\.source) == ["alpha", "beta"])
        #expect(decoded.reports.map(\.ok) == [true, false])
        #expect(decoded.reports[1].issues.first?.kind == "fetch.http")
    }

    @Test("concurrent POSTs for one source never run two refreshes of it at once")
    func concurrentRefreshesOfOneSource() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        fixture.service.hold()
        async let a = fixture.post("/refresh/alpha")
        async let b = fixture.post("/refresh/alpha")
        async let c = fixture.post("/refresh/alpha")
        await fixture.service.waitForStarts(1)
        while fixture.driver.waitingCount(for: "alpha") < 2 { try await Task.sleep(for: .milliseconds(2)) }
        fixture.service.release()
        let statuses = try await [a, b, c].map(\.status)
        #expect(statuses == [200, 200, 200])
        #expect(fixture.service.counts().peak["alpha"] == 1)
    }

    @Test("/healthz is 200 while the scheduler runs and 503 once it stopped")
    func healthz() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        let alive = try await fixture.get("/healthz")
        #expect(alive.status == 200 && alive.text == "ok\n")
        await fixture.driver.stop(gracePeriod: 0)
        #expect(try await fixture.get("/healthz").status == 503)
    }

    @Test("/healthz is 503 while feeds cannot be written or are kept back, naming why; /status.json says it too")
    func healthzReportsPublishing() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        fixture.service.publishProblems = ["kept public/alpha.atom as it was: the new feed would drop 20 of the entries it has"]
        _ = try await fixture.post("/refresh/alpha")
        let kept = try await fixture.get("/healthz")
        #expect(kept.status == 503)
        #expect(kept.text.contains("would drop 20 of the entries"))
        let status = try await fixture.get("/status.json")
        #expect(status.text.contains("\"publishProblems\""))
        #expect(status.text.contains("kept back (would lose entries)"))
        fixture.service.publishProblems = []
        fixture.service.publishFailure = "state database: check failed: the database file was deleted"
        _ = try await fixture.post("/refresh/alpha")
        let failing = try await fixture.get("/healthz")
        #expect(failing.status == 503 && failing.text.contains("the database file was deleted"))
        fixture.service.publishFailure = nil
        _ = try await fixture.post("/refresh/alpha")
        #expect(try await fixture.get("/healthz").status == 200, "a publication that works again clears it")
    }

    @Test("/status.json lists every source with its schedule")
    func statusJSON() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        _ = try await fixture.post("/refresh/alpha")
        let response = try await fixture.get("/status.json")
        #expect(response.status == 200)
        let document = try JSONDecoder().decode(StatusDocument.self, from: response.body)
        #expect(document.alive)
        #expect(document.sources.map(\.id) == ["alpha", "beta"])
        #expect(document.sources[0].everySeconds == 1800)
        #expect(document.sources[0].nextRunInSeconds.map { $0 > 1000 } == true)
        #expect(document.summary.hasPrefix("2 sources, 0 failing"))
    }

    @Test("/metrics speaks the Prometheus text format")
    func metrics() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        fixture.service.failingSources = ["beta"]
        _ = try await fixture.post("/refresh")
        let response = try await fixture.get("/metrics")
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let lines = Set(response.text.split(separator: "\n").map(String.init))
        #expect(lines.contains("tidings_up 1"))
        #expect(lines.contains("tidings_sources 2"))
        #expect(lines.contains("tidings_sources_failing 1"))
        #expect(lines.contains("tidings_refreshes_total{source=\"alpha\",outcome=\"success\"} 1"))
        #expect(lines.contains("tidings_refreshes_total{source=\"beta\",outcome=\"failure\"} 1"))
        #expect(lines.contains("tidings_errors_total{kind=\"fetch.http\"} 1"))
        #expect(lines.contains("tidings_fetches_total{source=\"alpha\"} 4"))
        #expect(lines.contains("tidings_fetched_bytes_total{source=\"alpha\"} 80000"))
        #expect(lines.contains("tidings_fetched_bytes_total{source=\"beta\"} 0"))
        #expect(lines.contains("tidings_new_entries_total{source=\"alpha\"} 1"))
        #expect(lines.contains("tidings_refresh_duration_seconds_count{source=\"alpha\"} 1"))
        #expect(lines.contains { $0.hasPrefix("tidings_last_success_timestamp_seconds{source=\"alpha\"} 17") })
        #expect(lines.contains("# TYPE tidings_refreshes_total counter"))
    }

    @Test("a failed write of the feeds shows in /healthz, /status.json and /metrics until a write succeeds")
    func failedPublishShows() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        fixture.service.publishFailure = "could not write alpha.atom: No space left on device"
        _ = try await fixture.post("/refresh/alpha")
        let health = try await fixture.get("/healthz")
        #expect(health.status == 503)
        #expect(health.text.contains("the feeds could not be written: could not write alpha.atom: No space left on device"))
        let failing = try JSONDecoder().decode(StatusDocument.self, from: try await fixture.get("/status.json").body)
        #expect(failing.publishError?.contains("No space left on device") == true)
        #expect(failing.summary.contains("writing the feeds failed"))
        #expect(try await fixture.get("/metrics").text.contains("tidings_publish_failing 1\n"))

        fixture.service.publishFailure = nil
        _ = try await fixture.post("/refresh/alpha")
        #expect(try await fixture.get("/healthz").status == 200)
        let healed = try JSONDecoder().decode(StatusDocument.self, from: try await fixture.get("/status.json").body)
        #expect(healed.publishError == nil && healed.lastPublished != nil)
        #expect(try await fixture.get("/metrics").text.contains("tidings_publish_failing 0\n"))
    }

    @Test("a source stored as failing counts as failing from the start: STATUS line, /status.json, /metrics")
    func storedFailuresCountAtStart() async throws {
        let service = FakeRefreshService(sources: [testSource("alpha"), testSource("beta")], lastAttemptAtStart: .now())
        service.storedFailures = ["beta": 3]
        let driver = SchedulerDriver(service: service, logger: quietLogger())
        driver.start()
        defer { Task { await driver.stop(gracePeriod: 0) } }
        #expect(driver.status.failingCount == 1)
        #expect(driver.status.summaryLine.hasPrefix("2 sources, 1 failing"), "\(driver.status.summaryLine)")
        let lines = MetricsText.render(status: driver.status, isAlive: true, sources: driver.currentSources, health: driver.health(of:))
        #expect(lines.contains("tidings_sources_failing 1\n"))
        let beta = driver.schedules().first { $0.sourceID == "beta" }
        #expect(beta?.consecutiveFailures == 3)
        #expect((beta?.nextRunInSeconds ?? 0) > 3600, "a failing source keeps backing off after a restart")
    }

    @Test("/status.json and /metrics read stored health once per refresh, never per request")
    func statusReadsNoDatabasePerRequest() async throws {
        let fixture = try await ServerFixture()
        defer { Task { await fixture.shutDown() } }
        _ = try await fixture.post("/refresh/alpha")
        let before = fixture.service.healthReads
        for _ in 0..<10 {
            #expect(try await fixture.get("/status.json").status == 200)
            #expect(try await fixture.get("/metrics").status == 200)
            #expect(try await fixture.get("/healthz").status == 200)
        }
        #expect(fixture.service.healthReads == before)
        _ = try await fixture.post("/refresh/alpha")
        #expect(fixture.service.healthReads == before + 1, "one read after the refresh")
        let document = try JSONDecoder().decode(StatusDocument.self, from: try await fixture.get("/status.json").body)
        #expect(document.sources.first?.lastAttempt != nil)
    }
}
