import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Daemon

/// `tidings run` with few descriptors against a real flood of connections from the test.
@Suite("tidings run under a connection flood", .serialized)
struct ConnectionFloodTests {
    @Test("1,500 silent and slow-header connections against a daemon limited to 512 descriptors: the feed answers 200 or 503, never 404; a refresh during the flood stores the new article; the held connections are cut at the request timeout; the daemon lives on")
    func floodOfConnections() async throws {
        let site = try FixtureSite()
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        daemon.descriptorLimit = 512
        daemon.settingsText = "request_timeout = 3\n"
        try daemon.writeSource("qingxi", site.sourceTOML(every: "1d"))
        try await daemon.start()
        let client = try #require(daemon.endpoint.flatMap(DaemonClient.init(endpoint:)))
        _ = try await client.refresh([])
        #expect(try daemon.entryIDs("qingxi.atom").count == FixtureSite.firstListingArticles)
        site.publishExtraArticle()

        let count = ConnectionFlood.affordable(1500)
        #expect(count > 512, "the test process can hold more connections than the daemon has descriptors")
        let flood = ConnectionFlood(port: daemon.port, count: count) { $0.isMultiple(of: 2) ? .silent : .unfinishedHeader }
        defer { flood.closeAll() }
        for _ in 0..<10 {
            flood.poll()
            try await Task.sleep(for: .milliseconds(50))
        }
        // A refresh and readers of an existing feed, while the flood holds the server.
        daemon.signal(SIGUSR1)
        let port = daemon.port
        let probes = Task.detached { () -> [String] in
            await withTaskGroup(of: String.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        do { return "\(try await RawHTTPClient.send("GET", "/qingxi.atom", to: .tcp(port: port)).status)" }
                        catch { return "\(error)" }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await waitUntil(timeout: 90, "the refresh during the flood stores the new article") {
            flood.poll()
            return try daemon.entryIDs("qingxi.atom").count == FixtureSite.firstListingArticles + 1
        }
        try await waitUntil(timeout: 90, "the server has answered or closed every connection of the flood") {
            flood.poll()
            return flood.closedByServer == flood.count
        }
        let statuses = await probes.value
        #expect(statuses.allSatisfy { $0 == "200" || $0 == "503" }, "\(statuses)")
        #expect(flood.refusedWith503 > 0, "connections past the limit are answered 503")
        #expect(flood.otherAnswers.isEmpty, "no other answer to an unfinished request: \(flood.otherAnswers.prefix(3))")
        #expect(daemon.process?.isRunning == true, "the daemon survives the flood; log:\n\(daemon.logText.suffix(2000))")
        flood.closeAll()
        #expect(try await daemon.get("/healthz").status == 200)
        #expect(try await daemon.get("/qingxi.atom").status == 200)
        #expect(!daemon.logText.contains("refresh failed"), "\(daemon.logText.suffix(2000))")
        #expect(try await daemon.terminate().status == 0)
    }
}
