import Foundation
import Testing
@testable import Fetching
import TestSupport

@Suite("robots.txt (RFC 9309)")
struct RobotsRulesTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var rule: String
        var robots: String
        var path: String
        var allowed: Bool
        var testDescription: String { "\(rule): \(path) → \(allowed ? "allowed" : "disallowed")" }
    }

    static let cases: [Case] = [
        Case(rule: "§2.2.2 no matching rule means allowed", robots: "User-agent: *\nDisallow: /private/\n", path: "/news/1", allowed: true),
        Case(rule: "§2.2.2 a rule matches as a path prefix", robots: "User-agent: *\nDisallow: /private/\n", path: "/private/x.html", allowed: false),
        Case(rule: "§2.2.2 the longest match wins (Allow longer)", robots: "User-agent: *\nDisallow: /news/\nAllow: /news/public/\n", path: "/news/public/1", allowed: true),
        Case(rule: "§2.2.2 the longest match wins (Disallow longer)", robots: "User-agent: *\nAllow: /news/\nDisallow: /news/drafts/\n", path: "/news/drafts/1", allowed: false),
        Case(rule: "§2.2.2 equal length: Allow wins", robots: "User-agent: *\nDisallow: /page\nAllow: /page\n", path: "/page", allowed: true),
        Case(rule: "§2.2.2 an empty Disallow changes nothing", robots: "User-agent: *\nDisallow:\n", path: "/anything", allowed: true),
        Case(rule: "§2.2.2 /robots.txt is always allowed", robots: "User-agent: *\nDisallow: /\n", path: "/robots.txt", allowed: true),
        Case(rule: "§2.2.2 the query counts in the match", robots: "User-agent: *\nDisallow: /search?q=\n", path: "/search?q=cats", allowed: false),
        Case(rule: "§2.2.2 percent-encoded unreserved characters compare decoded", robots: "User-agent: *\nDisallow: /%7Ejoe/\n", path: "/~joe/index.html", allowed: false),
        Case(rule: "§2.2.2 non-ASCII paths compare percent-encoded", robots: "User-agent: *\nDisallow: /新闻/\n", path: "/%E6%96%B0%E9%97%BB/1.html", allowed: false),
        Case(rule: "§2.2.3 * matches any run of characters", robots: "User-agent: *\nDisallow: /*.pdf\n", path: "/files/report.pdf", allowed: false),
        Case(rule: "§2.2.3 $ anchors the end", robots: "User-agent: *\nDisallow: /*.pdf$\n", path: "/files/report.pdf?download=1", allowed: true),
        Case(rule: "§2.2.3 $ anchors the end (exact)", robots: "User-agent: *\nDisallow: /*.pdf$\n", path: "/files/report.pdf", allowed: false),
        Case(rule: "§2.2.3 * in the middle", robots: "User-agent: *\nDisallow: /a/*/edit\n", path: "/a/b/c/edit/now", allowed: false),
        Case(rule: "§2.2.1 our product token's group is chosen over *", robots: "User-agent: *\nDisallow: /\n\nUser-agent: Tidings\nAllow: /\n", path: "/news", allowed: true),
        Case(rule: "§2.2.1 product tokens match case-insensitively", robots: "User-agent: tidings\nDisallow: /x\n\nUser-agent: *\nDisallow: /\n", path: "/news", allowed: true),
        Case(rule: "§2.2.1 another crawler's group is ignored", robots: "User-agent: OtherBot\nDisallow: /\n", path: "/news", allowed: true),
        Case(rule: "§2.2.1 groups for the same token are combined", robots: "User-agent: Tidings\nDisallow: /a\n\nUser-agent: Tidings\nDisallow: /b\n", path: "/b/1", allowed: false),
        Case(rule: "§2.1 several user-agent lines share one group", robots: "User-agent: OtherBot\nUser-agent: Tidings\nDisallow: /shared\n", path: "/shared/1", allowed: false),
        Case(rule: "§2.2 comments and unknown records are ignored", robots: "# hello\nUser-agent: * # all\nCrawl-delay: 5\nSitemap: https://x/s.xml\nDisallow: /tmp # temp\n", path: "/tmp/1", allowed: false),
        Case(rule: "§2.2 CRLF line ends", robots: "User-agent: *\r\nDisallow: /private\r\n", path: "/private", allowed: false),
    ]

    @Test("robots rules", arguments: cases)
    func rules(_ c: Case) {
        let rules = RobotsRules(parsing: c.robots, productToken: "Tidings")
        #expect(rules.allows(c.path) == c.allowed)
    }

    @Test("a robots.txt damaged at random still parses, and /robots.txt itself stays allowed")
    func randomDamage() {
        let original = Array(Self.cases.map(\.robots).joined(separator: "\n").unicodeScalars)
        let pieces = ["*", "$", "/", ":", "\n", "\r", "User-agent:", "Disallow:", "Allow:", "%", "%2", "%zz", "\u{0}", "新", "#", " ", "?"]
        let paths = ["/", "/private/x", "/news/public/1", "/files/report.pdf", "/%E6%96%B0/1", "/%", "/search?q=1", "/*$"]
        var random = SeededRandom(seed: 0x0B07)
        for _ in 0..<2000 {
            var scalars = original
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                let position = Int.random(in: 0...scalars.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: scalars.insert(contentsOf: pieces.randomElement(using: &random)!.unicodeScalars, at: position)
                case 1: scalars.removeSubrange(position..<min(scalars.count, position + Int.random(in: 1...10, using: &random)))
                default: scalars = Array(scalars.prefix(position))
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            let rules = RobotsRules(parsing: text, productToken: "Tidings")
            for path in paths { _ = rules.allows(path) }
            #expect(rules.allows("/robots.txt"))
        }
    }

    /// A server with a robots.txt answer of our choosing; every other path is a page.
    static func server(robots: LoopbackResponse) throws -> LoopbackServer {
        try LoopbackServer { request in
            request.path == "/robots.txt" ? robots : .text("<p>page</p>")
        }
    }

    static func politeFetcher(clock: ManualClock) -> Fetcher {
        loopbackFetcher({ $0.obeysRobots = true }, clock: clock)
    }

    @Test("robots.txt is fetched once per host and asked again after 24 hours (§2.4)")
    func cachedPerHost() async throws {
        let server = try Self.server(robots: .text("User-agent: *\nDisallow: /private/\n", contentType: "text/plain"))
        let clock = ManualClock()
        let fetcher = Self.politeFetcher(clock: clock)
        _ = try await fetcher.fetch(FetchRequest(url: server.url("/a")))
        _ = try await fetcher.fetch(FetchRequest(url: server.url("/b")))
        #expect(await fetchError(fetcher, FetchRequest(url: server.url("/private/c"))) == .robotsDisallowed(server.url("/private/c")))
        #expect(server.requestCount("/robots.txt") == 1)
        #expect(server.requestCount("/private/c") == 0)

        clock.advance(by: 24 * 3600 + 1)
        _ = try await fetcher.fetch(FetchRequest(url: server.url("/a")))
        #expect(server.requestCount("/robots.txt") == 2)
    }

    @Test("a 4xx robots.txt allows everything (§2.3.1.3)")
    func unavailableAllowsAll() async throws {
        let server = try Self.server(robots: .notFound)
        let page = try await fetchPage(Self.politeFetcher(clock: ManualClock()), FetchRequest(url: server.url("/news")))
        #expect(page?.text == "<p>page</p>")
    }

    @Test("a 5xx robots.txt disallows everything (§2.3.1.4)")
    func unreachableDisallowsAll() async throws {
        let server = try Self.server(robots: LoopbackResponse(status: 500))
        let error = await fetchError(Self.politeFetcher(clock: ManualClock()), FetchRequest(url: server.url("/news")))
        #expect(error?.kind == "robots_unreachable")
        #expect(server.requestCount("/news") == 0)
    }

    @Test("a source that opts out of robots.txt is fetched despite Disallow: /")
    func optOut() async throws {
        let server = try Self.server(robots: .text("User-agent: *\nDisallow: /\n", contentType: "text/plain"))
        let fetcher = Self.politeFetcher(clock: ManualClock())
        #expect(await fetchError(fetcher, FetchRequest(url: server.url("/news")))?.kind == "robots")
        let page = try await fetchPage(fetcher, FetchRequest(url: server.url("/news"), obeysRobots: false))
        #expect(page?.text == "<p>page</p>")
    }
}

@Suite("robots.txt failures")
struct RobotsFailureTests {
    @Test("an unreachable host fails with its own cause, naming the page, and robots.txt is asked again next time")
    func networkFailureNotCached() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(raw: Data()) }  // closes without answering
        let fetcher = loopbackFetcher({ $0.obeysRobots = true }, clock: ManualClock())
        let first = await fetchError(fetcher, FetchRequest(url: server.url("/news")))
        #expect(first?.url == server.url("/news"))
        #expect(first?.kind == "invalid_response")
        _ = await fetchError(fetcher, FetchRequest(url: server.url("/news")))
        #expect(server.requestCount("/robots.txt") == 2)
        #expect(server.requestCount("/news") == 0)
    }
}
