import Foundation
import Testing
@testable import Fetching
import TestSupport

@Suite("Redirects")
struct RedirectTests {
    /// `/hop/N` redirects to `/hop/N+1` until `/hop/<last>`, which is a page.
    static func chainServer(last: Int) throws -> LoopbackServer {
        try LoopbackServer { request in
            let step = Int(request.path.split(separator: "/").last ?? "") ?? 0
            if step >= last { return .text("<p>arrived</p>") }
            return LoopbackResponse(status: 302, headers: [("Location", "/hop/\(step + 1)")])
        }
    }

    @Test("five redirects are followed and a sixth is refused")
    func redirectLimit() async throws {
        let fiveHops = try Self.chainServer(last: 5)
        let fetcher = loopbackFetcher()
        let page = try #require(try await fetchPage(fetcher, FetchRequest(url: fiveHops.url("/hop/0"))))
        #expect(page.url == fiveHops.url("/hop/5"))
        #expect(page.requestedURL == fiveHops.url("/hop/0"))

        let sixHops = try Self.chainServer(last: 6)
        let error = await fetchError(fetcher, FetchRequest(url: sixHops.url("/hop/0")))
        #expect(error == .tooManyRedirects(sixHops.url("/hop/0"), limit: 5))
        #expect(sixHops.requestCount("/hop/6") == 0)
    }

    @Test("a redirect to the cloud metadata address 169.254.169.254 is refused even with private networks allowed")
    func redirectToMetadataRefused() async throws {
        let server = try LoopbackServer { _ in
            LoopbackResponse(status: 302, headers: [("Location", "http://169.254.169.254/latest/meta-data/")])
        }
        let fetcher = loopbackFetcher()
        #expect(fetcher.configuration.allowPrivateNetworks)
        let error = await fetchError(fetcher, FetchRequest(url: server.url("/go")))
        guard case .blockedAddress(let url, let reason)? = error else { Issue.record("expected blockedAddress, got \(String(describing: error))"); return }
        #expect(url == server.url("/go"))
        #expect(reason.contains("169.254.169.254"))
    }

    @Test("loopback is refused when private networks are not allowed")
    func loopbackRefusedByDefault() async throws {
        let server = try LoopbackServer { _ in .text("secret") }
        let fetcher = loopbackFetcher { $0.allowPrivateNetworks = false }
        let error = await fetchError(fetcher, FetchRequest(url: server.url("/admin")))
        #expect(error?.kind == "blocked_address")
        #expect(server.totalRequests == 0)
    }

    @Test("a redirect to a file: URL is refused even when the request allows file:")
    func redirectToFileRefused() async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(status: 302, headers: [("Location", "file:///etc/passwd")]) }
        let fetcher = loopbackFetcher()
        let error = await fetchError(fetcher, FetchRequest(url: server.url("/go"), allowFileScheme: true))
        #expect(error == .unsupportedScheme(server.url("/go")))
    }

    @Test("a redirect to a path that robots.txt disallows is refused before that path is asked for")
    func redirectIntoDisallowedPath() async throws {
        let server = try LoopbackServer { request in
            switch request.path {
            case "/robots.txt": return .text("User-agent: *\nDisallow: /private/\n", contentType: "text/plain")
            case "/go": return LoopbackResponse(status: 302, headers: [("Location", "/private/page")])
            default: return .text("<p>members only</p>")
            }
        }
        let error = await fetchError(loopbackFetcher { $0.obeysRobots = true }, FetchRequest(url: server.url("/go")))
        #expect(error == .robotsDisallowed(server.url("/private/page")))
        #expect(server.requestCount("/go") == 1)
        #expect(server.requestCount("/private/page") == 0)
    }

    @Test("a redirect to another host asks that host's robots.txt first")
    func redirectToAnotherHostAsksItsRobots() async throws {
        let target = try LoopbackServer { request in
            request.path == "/robots.txt" ? .text("User-agent: *\nDisallow: /\n", contentType: "text/plain") : .text("<p>story</p>")
        }
        let source = try LoopbackServer { request in
            request.path == "/robots.txt" ? .notFound : LoopbackResponse(status: 301, headers: [("Location", target.url("/story").absoluteString)])
        }
        let error = await fetchError(loopbackFetcher { $0.obeysRobots = true }, FetchRequest(url: source.url("/go")))
        #expect(error == .robotsDisallowed(target.url("/story")))
        #expect(target.requestCount("/robots.txt") == 1)
        #expect(target.requestCount("/story") == 0)
    }

    @Test("per-source cookies and headers go to the source's host through its own redirects, never to another host")
    func credentialsStayOnTheirHost() async throws {
        let other = try LoopbackServer { _ in .text("<p>elsewhere</p>") }
        let elsewhere = "http://localhost:\(other.port)/page"
        let source = try LoopbackServer { request in
            LoopbackResponse(status: 302, headers: [("Location", request.path == "/go" ? "/again" : elsewhere)])
        }
        let request = FetchRequest(url: source.url("/go"), headers: ["X-Api-Key": "key-1"], cookies: "session=s1")
        let page = try #require(try await fetchPage(loopbackFetcher(), request))
        #expect(page.url.absoluteString == elsewhere)
        #expect(page.requestedURL == source.url("/go"))
        #expect(source.requests.map(\.path) == ["/go", "/again"])
        #expect(source.requests.allSatisfy { $0.headers["cookie"] == "session=s1" && $0.headers["x-api-key"] == "key-1" })
        let arrived = try #require(other.requests.first)
        #expect(arrived.headers["cookie"] == nil)
        #expect(arrived.headers["x-api-key"] == nil)
    }

    @Test("a redirect with a broken Location, or one leading outside http(s), is an error naming the page asked for", arguments: [
        ("mailto:desk@example.com", "scheme"), ("ftp://files.example.com/a", "scheme"), ("http://", "invalid_response"),
        ("http://[::1", "invalid_response"), ("", "http_status"),
    ])
    func brokenLocation(location: String, kind: String) async throws {
        let server = try LoopbackServer { _ in LoopbackResponse(status: 302, headers: [("Location", location)]) }
        let error = await fetchError(loopbackFetcher(), FetchRequest(url: server.url("/go")))
        #expect(error?.kind == kind)
        #expect(error?.url == server.url("/go"))
        #expect(server.totalRequests == 1)
    }
}
