import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
import TidingsCore
#endif
@testable import Daemon

/// What the daemon must remember across a settings reload and a restart.
@Suite("tidings run: memory across reloads and restarts", .serialized)
struct DaemonMemoryTests {
    @Test("SIGHUP with changed fetcher settings keeps Retry-After holds and robots.txt: a host that asked for an hour is not asked again")
    func reloadKeepsPoliteness() async throws {
        let site = try FixtureSite()
        let limited = try LoopbackServer { request in
            request.path == "/robots.txt" ? .notFound
                : LoopbackResponse(status: 429, headers: [("Retry-After", "3600")], body: Data("slow down\n".utf8))
        }
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.writeSource("qingxi", site.sourceTOML(every: "1d"))
        try daemon.writeSource("limited", "title = \"Limited\"\nurl = \"\(limited.url("/news/").absoluteString)\"\nevery = \"1d\"\n")
        try await daemon.start()
        let client = try #require(daemon.endpoint.flatMap(DaemonClient.init(endpoint:)))
        let first = try await client.refresh([]).reports
        // About an hour: the daemon's own first run (within a minute of its start) may have met
        // the 429 before this refresh, which then reports what is left of the same hold.
        #expect(first.first { $0.sourceID == "limited" }?.retryAfter.map { $0 > 3000 } == true, "\(first)")
        #expect(limited.requestCount("/news/") == 1)
        #expect(site.server.requestCount("/robots.txt") == 1)

        // New fetcher settings: the daemon builds a new fetcher for the refreshes after the reload.
        try Data("host_gap = 0\nconcurrency = 8\n".utf8).write(to: daemon.root.appendingPathComponent("tidings.toml"))
        daemon.notify.drain()
        daemon.signal(SIGHUP)
        #expect(await daemon.notify.receiveOffThread(until: "READY=1") != nil)
        let second = try await client.refresh([]).reports
        let held = try #require(second.first { $0.sourceID == "limited" })
        #expect(held.issues.first?.kind == IssueKind(.fetch, "rate_limited"), "\(held.issues)")
        #expect(limited.requestCount("/news/") == 1, "the host that asked for an hour was not asked again")
        #expect(site.server.requestCount("/robots.txt") == 1, "robots.txt is still cached")
        #expect(second.first { $0.sourceID == "qingxi" }?.sourceFailed == false)
        #expect(try await daemon.terminate().status == 0)
    }

    @Test("after a restart a failing source counts as failing in STATUS=, /status.json and /metrics; refresh durations are measured")
    func restartKeepsFailingCount() async throws {
        let broken = try LoopbackServer { request in
            request.path == "/robots.txt" ? .notFound : LoopbackResponse(status: 500, body: Data("down\n".utf8), delay: 0.3)
        }
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.writeSource("broken", "title = \"Broken\"\nurl = \"\(broken.url("/news/").absoluteString)\"\nevery = \"1d\"\n")
        try await daemon.start()
        let token = try #require(daemon.endpoint?.refreshToken)
        let answer = try await RawHTTPClient.send("POST", "/refresh/broken", to: .tcp(port: daemon.port),
                                                  headers: ["Authorization": "Bearer \(token)"])
        let report = try #require(try JSONDecoder().decode(RefreshResponse.self, from: answer.body).reports.first)
        #expect(report.sourceFailed)
        #expect(report.durationSeconds.map { $0 >= 0.25 } == true, "the report spans the refresh: \(String(describing: report.durationSeconds))")
        let metrics = try await daemon.get("/metrics").text
        let sum = metrics.split(separator: "\n").first { $0.hasPrefix("tidings_refresh_duration_seconds_sum{source=\"broken\"}") }
        #expect(sum.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 >= 0.25 } == true, "\(sum ?? "none")")
        #expect(try await daemon.terminate().status == 0)

        let messages = try await daemon.start()
        #expect(messages.last?.contains("STATUS=1 source, 1 failing") == true, "\(messages)")
        let status = try JSONDecoder().decode(StatusDocument.self, from: try await daemon.get("/status.json").body)
        #expect(status.summary.hasPrefix("1 source, 1 failing"), "\(status.summary)")
        #expect(status.sources.first?.consecutiveFailures == 1)
        #expect(try await daemon.get("/metrics").text.contains("tidings_sources_failing 1\n"))
        #expect(try await daemon.terminate().status == 0)
    }
}
