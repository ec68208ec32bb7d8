import Foundation
import Testing
@testable import Fetching
import TestSupport
import TidingsCore

@Suite("What a request sends and accepts")
struct RequestOptionsTests {
    @Test("every compression this libcurl supports is offered and decoded", arguments: [
        ("gzip", "article-utf8.html.gz"), ("deflate", "article-utf8.html.deflate"),
        ("br", "article-utf8.html.br"), ("zstd", "article-utf8.html.zst"),
    ])
    func compressions(encoding: String, file: String) async throws {
        let compressed = try fixture(file)
        let plain = String(decoding: try fixture("article-utf8.html"), as: UTF8.self)
        let server = try LoopbackServer { _ in
            LoopbackResponse(headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", encoding)],
                             body: compressed)
        }
        let page = try #require(try await fetchPage(loopbackFetcher(), FetchRequest(url: server.url("/article"))))
        #expect(page.text == plain)
        #expect(page.byteCount == plain.utf8.count)
        let offered = server.requests[0].headers["accept-encoding"] ?? ""
        #expect(offered.contains(encoding))
    }

    @Test("the User-Agent, per-source headers, cookies and Referer reach the server")
    func identityAndSourceHeaders() async throws {
        let server = try LoopbackServer { _ in .text("<p>ok</p>") }
        let fetcher = loopbackFetcher { $0.userAgent = "Tidings/9.9 (+https://example.org/tidings)" }
        let request = FetchRequest(url: server.url("/news"), headers: ["X-Edition": "asia"],
                                   cookies: "consent=yes; region=hk", referer: "https://news.example.com/")
        _ = try await fetcher.fetch(request)
        let seen = server.requests[0].headers
        #expect(seen["user-agent"] == "Tidings/9.9 (+https://example.org/tidings)")
        #expect(seen["x-edition"] == "asia")
        #expect(seen["cookie"] == "consent=yes; region=hk")
        #expect(seen["referer"] == "https://news.example.com/")
        #expect(seen["accept"]?.hasPrefix("text/html") == true)
    }

    @Test("the default User-Agent names Tidings, its version and the project URL")
    func defaultUserAgent() {
        let agent = FetcherConfiguration.defaultUserAgent
        #expect(agent.hasPrefix("Tidings/\(TidingsVersion.current) (+http"))
        #expect(FetcherConfiguration().productToken == "Tidings")
    }

    @Test("proxy environment variables are ignored: only the configured proxy is used")
    func environmentProxyIgnored() async throws {
        // In a child process: setting them in this process would send every other test's
        // subprocess (newsboat, curl, the daemon) to the dead proxy.
        let server = try LoopbackServer { _ in .text("<p>direct</p>") }
        let deadProxy = "http://127.0.0.1:9"
        let run = try ExternalProcess.run(TidingsBinary.url.path, ["fetch", "--allow-private-networks", server.url("/direct").absoluteString],
                                          environment: ["http_proxy": deadProxy, "HTTP_PROXY": deadProxy, "ALL_PROXY": deadProxy])
        #expect(run.succeeded, "\(run.output)")
        #expect(server.requestCount("/direct") == 1)
    }

    @Test("a cancelled fetch ends with .cancelled without waiting for the server")
    func cancellation() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(body: Data("late".utf8), delay: 10) }
        let fetcher = loopbackFetcher()
        let task = Task { await fetchError(fetcher, FetchRequest(url: server.url("/stuck"))) }
        while server.totalRequests == 0 { await Task.yield() }
        task.cancel()
        #expect(await task.value == .cancelled(server.url("/stuck")))
    }
}

@Suite("Connection reuse")
struct ConnectionReuseTests {
    @Test("requests to one host reuse one kept-alive connection")
    func keepAlive() async throws {
        let server = try LoopbackServer(keepAlive: true) { _ in .text("<p>ok</p>") }
        let fetcher = loopbackFetcher()
        for i in 0..<5 { _ = try await fetcher.fetch(FetchRequest(url: server.url("/page/\(i)"))) }
        #expect(server.totalRequests == 5)
        // One connection is what happens; twice in the full suite on a loaded 2-core machine curl
        // opened a second one (never alone, cause not found: not EINTR in the server). Without
        // reuse this is 5.
        #expect(server.acceptedConnections <= 2)
    }

    @Test("the connection cache grows with the hosts asked lately: 60 hosts visited twice connect once each")
    func cacheFollowsHosts() async throws {
        let servers = try (0..<60).map { _ in try LoopbackServer(keepAlive: true) { _ in .text("<p>ok</p>") } }
        defer { servers.forEach { $0.stop() } }
        let fetcher = loopbackFetcher()
        for round in 0..<2 {
            for server in servers { _ = try await fetcher.fetch(FetchRequest(url: server.url("/page/\(round)"))) }
        }
        #expect(servers.map(\.totalRequests) == Array(repeating: 2, count: 60))
        // 60 when every second visit reuses its connection (the 32-connection cache of old
        // reconnected to 28 of them: 88); a heavily loaded machine has been seen to lose one.
        #expect(servers.map(\.acceptedConnections).reduce(0, +) <= 62, "the 32-connection cache of old reconnected to 28 of them")
    }
}
