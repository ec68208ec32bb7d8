import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Daemon

/// `tidings run` as a real subprocess against the loopback fixture site.
@Suite("tidings run, end to end", .serialized)
struct RunCommandTests {
    @Test("READY=1 and WATCHDOG=1 reach the notify socket; the server answers 304 and 405; SIGTERM exits cleanly within 20 s")
    func lifecycle() async throws {
        let site = try FixtureSite()
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.writeSource("qingxi", site.sourceTOML(every: "1h"))
        daemon.watchdogUSec = 1_000_000
        let atStart = try await daemon.start()
        #expect(atStart.last?.hasPrefix("READY=1\nSTATUS=1 source, 0 failing") == true, "\(atStart)")
        #expect(await daemon.notify.receiveOffThread(until: "WATCHDOG=1") != nil, "a watchdog ping at half of WATCHDOG_USEC")

        #expect(try await daemon.get("/healthz").status == 200)
        try await waitUntil(timeout: 30, "the index is written at start") {
            FileManager.default.fileExists(atPath: daemon.output.appendingPathComponent("index.html").path)
        }
        let index = try await daemon.get("/index.html")
        #expect(index.status == 200, "the index is written at start")
        let etag = try #require(index.header("ETag"))
        #expect(try await daemon.get("/index.html", headers: ["If-None-Match": etag]).status == 304)
        #expect(try await daemon.get("/refresh").status == 405)

        let second = try ExternalProcess.run(DaemonProcess.binary.path, [
            "run", "--feeds", daemon.feeds.path, "--out", daemon.output.path, "--state", daemon.state.path, "--listen", "127.0.0.1:0",
        ])
        #expect(second.status == 2)
        #expect(second.output.contains("another daemon (pid \(daemon.endpoint!.pid)) already uses the state folder"), "\(second.output)")

        // Listen from before the signal on, so STOPPING=1 finds room in the socket's queue.
        daemon.notify.drain()
        let stopping = Task { await daemon.notify.receiveOffThread(until: "STOPPING=1") }
        let (status, seconds) = try await daemon.terminate()
        #expect(status == 0, "\(daemon.logText)")
        #expect(seconds < 20)
        #expect(await stopping.value != nil)
        #expect(!FileManager.default.fileExists(atPath: DaemonEndpoint.fileURL(stateDirectory: daemon.state).path),
                "daemon.json is removed on a clean stop")
    }

    @Test("a source with a 2 s interval picks up a newly published article on its own")
    func shortIntervalPicksUpNewArticle() async throws {
        let site = try FixtureSite()
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.writeSource("qingxi", site.sourceTOML(every: "2s"))
        try await daemon.start()
        try await waitUntil(timeout: 90, "the first articles are in the feed") {
            try daemon.entryIDs("qingxi.atom").count == FixtureSite.firstListingArticles
        }
        let before = try daemon.entryIDs("qingxi.atom")
        site.publishExtraArticle()
        try await waitUntil(timeout: 90, "the new article is in the feed") {
            try daemon.entryIDs("qingxi.atom").count == FixtureSite.firstListingArticles + 1
        }
        let after = try daemon.entryIDs("qingxi.atom")
        #expect(Set(before).isSubset(of: Set(after)), "no entry lost, no id changed")
        #expect(try await daemon.terminate().status == 0)
    }

    @Test("SIGHUP makes a new feeds file appear as a feed, a broken file keeps its old definition, and tidings.toml is re-read")
    func sighupReloads() async throws {
        let site = try FixtureSite()
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.writeSource("qingxi", site.sourceTOML(every: "1h"))
        try await daemon.start()
        try daemon.writeSource("second", site.sourceTOML(title: "Second copy", every: "1h"))
        try daemon.writeSource("qingxi", "title = \"broken\"\nevery = \"soon\"\nurl = \"\(site.listingURL)\"\n")
        try Data("host_gap = 0\nbase_url = \"https://feeds.example.org/tidings/\"\n".utf8)
            .write(to: daemon.root.appendingPathComponent("tidings.toml"))
        daemon.signal(SIGHUP)
        let reload = await daemon.notify.receiveOffThread(until: "READY=1")
        #expect(reload?.contains { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") } == true, "\(reload ?? [])")
        try await waitUntil(timeout: 90, "the added source's feed has entries") {
            try daemon.entryIDs("second.atom").count == FixtureSite.firstListingArticles
        }
        let status = try JSONDecoder().decode(StatusDocument.self, from: try await daemon.get("/status.json").body)
        #expect(status.sources.map(\.id) == ["qingxi", "second"])
        #expect(status.sources.first { $0.id == "qingxi" }?.title == "青溪新闻网", "the old definition is kept")
        #expect(status.catalogErrors.count == 1 && status.catalogErrors[0].contains("qingxi.toml"))
        #expect(daemon.logText.contains("qingxi.toml"), "the broken file is reported in the log")
        let feed = try String(contentsOf: daemon.output.appendingPathComponent("second.atom"), encoding: .utf8)
        #expect(feed.contains(#"href="https://feeds.example.org/tidings/second.atom""#), "the reloaded base_url gives the self link")
        #expect(try await daemon.terminate().status == 0)
    }

    @Test("SIGUSR1 refreshes every source at once, and so does a refresh through the daemon client")
    func sigusr1AndClientRefresh() async throws {
        let site = try FixtureSite()
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.writeSource("one", site.sourceTOML(every: "1d"))
        try daemon.writeSource("two", site.sourceTOML(every: "1d"))
        try await daemon.start()
        daemon.signal(SIGUSR1)
        try await waitUntil(timeout: 90, "both feeds have entries") {
            try daemon.entryIDs("one.atom").count == FixtureSite.firstListingArticles
                && daemon.entryIDs("two.atom").count == FixtureSite.firstListingArticles
        }
        site.publishExtraArticle()
        let client = try #require(daemon.endpoint.flatMap(DaemonClient.init(endpoint:)))
        let reports = try await client.refresh(["one"]).reports
        #expect(reports.map(\.sourceID) == ["one"], "\(daemon.logText)")
        #expect(reports.first?.newArticles == 1)
        #expect(try daemon.entryIDs("one.atom").count == FixtureSite.firstListingArticles + 1,
                "the feed is written before the daemon answers")
        await #expect(throws: DaemonClientError.self) { try await client.refresh(["nonexistent"]) }

        // `tidings refresh` finds the daemon through the state folder and asks it.
        let cli = try ExternalProcess.run(DaemonProcess.binary.path, [
            "refresh", "--feeds", daemon.feeds.path, "--out", daemon.output.path, "--state", daemon.state.path, "two",
        ])
        #expect(cli.status == 0, "\(cli.output)")
        #expect(cli.output.contains("Asking the daemon at http://127.0.0.1:"), "\(cli.output)")
        #expect(cli.output.contains("two: ok"), "\(cli.output)")
        #expect(try daemon.entryIDs("two.atom").count == FixtureSite.firstListingArticles + 1, "\(cli.output)")
        #expect(try await daemon.terminate().status == 0)
    }

    @Test("kill -9 in the middle of a refresh, then a restart: feeds stay valid, no entry is lost, no id changes")
    func killNineAndRestart() async throws {
        let site = try FixtureSite()
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try daemon.writeSource("qingxi", site.sourceTOML(every: "1d"))
        try await daemon.start()
        let client = try #require(daemon.endpoint.flatMap(DaemonClient.init(endpoint:)))
        _ = try await client.refresh([])
        let before = try daemon.entryIDs("qingxi.atom")
        #expect(before.count == FixtureSite.firstListingArticles)

        site.publishExtraArticle(articleDelay: 30)
        site.server.resetCounts()
        daemon.signal(SIGUSR1)
        try await waitUntil(timeout: 60, "the refresh is fetching the new article") {
            site.server.requestCount(FixtureSite.extraArticle) > 0
        }
        try await daemon.kill9()
        #expect(try daemon.entryIDs("qingxi.atom") == before, "the feed file is whole and unchanged")

        site.publishExtraArticle()
        try await daemon.start()
        let restarted = try #require(daemon.endpoint.flatMap(DaemonClient.init(endpoint:)))
        _ = try await restarted.refresh(["qingxi"])
        let after = try daemon.entryIDs("qingxi.atom")
        #expect(Set(before).isSubset(of: Set(after)), "no entry lost, no id changed")
        // The listing's validators are stored only after its articles: the killed run's article is fetched now.
        #expect(after.count == before.count + 1)
        if FileManager.default.isExecutableFile(atPath: FixtureSite.checkFeed.path) {
            let check = try ExternalProcess.run(FixtureSite.checkFeed.path, [daemon.output.appendingPathComponent("qingxi.atom").path])
            #expect(check.succeeded, "\(check.output)")
        }
        #expect(try await daemon.terminate().status == 0)
    }
}
